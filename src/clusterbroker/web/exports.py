"""Turn any exportable list into a download, in the format the user asked for."""

from django.http import HttpResponse

from clusterbroker.importers.exports import EXPORTS
from clusterbroker.importers.tabular import CONTENT_TYPES, write_table


def export_response(kind: str, queryset, fmt: str) -> HttpResponse:
    columns, rows, _model = EXPORTS[kind]
    response = HttpResponse(write_table(fmt, columns, rows(queryset)), CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{kind}.{fmt}"'
    return response
