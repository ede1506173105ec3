from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clusterbroker.registry import permissions

from .organisations import COLUMNS, import_organisations
from .tabular import TableError, read_table


@login_required
def import_organisations_page(request: HttpRequest) -> HttpResponse:
    """Upload a CSV/XLSX of organisations; show every bad row, or import all of them."""
    if not permissions.can_import_organisations(request.user):
        raise PermissionDenied
    context: dict = {"columns": COLUMNS, "report": None, "file_error": ""}
    upload = request.FILES.get("file") if request.method == "POST" else None
    if request.method == "POST" and upload is None:
        context["file_error"] = _("Choose a CSV or XLSX file to import.")
    elif upload is not None and upload.size > settings.IMPORT_MAX_BYTES:
        context["file_error"] = _("%(name)s is larger than the limit of %(limit)s MB.") % {
            "name": upload.name,
            "limit": settings.IMPORT_MAX_BYTES // (1024 * 1024),
        }
    elif upload is not None:
        try:
            report = import_organisations(
                read_table(upload.name, upload.read()),
                user=request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except TableError as error:
            context["file_error"] = str(error)
        else:
            if report.ok:
                messages.success(
                    request,
                    _(
                        "%(name)s: %(rows)s rows imported, %(created)s created, %(updated)s "
                        "updated, %(invitations)s contacts invited to be editors."
                    )
                    % {
                        "name": report.source,
                        "rows": report.rows,
                        "created": report.created,
                        "updated": report.updated,
                        "invitations": report.invitations,
                    },
                )
                return redirect("registry:organisations")
            context["report"] = report
    status = 400 if context["report"] or context["file_error"] else 200
    return render(request, "importers/import_organisations.html", context, status=status)
