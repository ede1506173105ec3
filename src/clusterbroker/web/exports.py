"""Turn any exportable list into a download, in the format the user asked for.

A spreadsheet (CSV, XLSX) of projects or partnerships is headed in the language of the
request: each column by the name of its field (the model's own, translated, name). The
organisations' columns stay the import columns whatever the language, so that an exported
file can be edited and imported again; JSON keeps the column keys as data does.
"""

from django.http import HttpResponse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from clusterbroker.importers.exports import EXPORTS
from clusterbroker.importers.tabular import CONTENT_TYPES, write_table, write_xlsx

# The lists whose spreadsheets are for reading only (no import reads them back).
READ_ONLY = {"projects", "partnerships"}
# Columns named otherwise than their model field, or not a field of the model.
FIELD_OF_COLUMN = {"type": "kind"}
COLUMN_LABELS = {
    "participants": gettext_lazy("Participants"),
    "members": gettext_lazy("Members"),
}


def column_label(model, column: str) -> str:
    """A column's header for people, in the active language: its field's name."""
    if column in COLUMN_LABELS:
        return str(COLUMN_LABELS[column])
    field = model._meta.get_field(FIELD_OF_COLUMN.get(column, column))
    return capfirst(str(field.verbose_name))


def headers(kind: str, fmt: str) -> list[str]:
    """The header row of an export of `kind` in `fmt`: translated labels for a spreadsheet
    read by people, the column keys for an importable list or for JSON."""
    columns, _rows, model = EXPORTS[kind]
    if kind not in READ_ONLY or fmt == "json":
        return list(columns)
    labels: list[str] = []
    for column in columns:
        label = column_label(model, column)
        # Two columns a language names alike keep apart by their keys.
        labels.append(f"{label} ({column})" if label in labels else label)
    return labels


def export_response(kind: str, queryset, fmt: str) -> HttpResponse:
    columns, rows, model = EXPORTS[kind]
    labels = headers(kind, fmt)
    records = [
        {label: row.get(column) for column, label in zip(columns, labels, strict=True)}
        for row in rows(queryset)
    ]
    if fmt == "xlsx":  # the sheet named after the list, in the same language
        title = capfirst(str(model._meta.verbose_name_plural))
        content = write_xlsx(labels, records, title=title)
    else:
        content = write_table(fmt, labels, records)
    response = HttpResponse(content, CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{kind}.{fmt}"'
    return response
