from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterbroker.registry import permissions as registry_permissions
from clusterbroker.registry.models import Organisation

from .. import permissions
from ..models import Application, AwardCall
from . import workflow
from .certificate import certificate_pdf


def call_list(request: HttpRequest) -> HttpResponse:
    return render(request, "community/award_calls.html", {"calls": AwardCall.objects.all()})


def _own_organisations(user):
    if not user.is_authenticated:
        return Organisation.objects.none()
    if registry_permissions.is_platform_admin(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=registry_permissions.editable_organisation_ids(user))


def call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(AwardCall.objects.select_related("criteria_set"), slug=slug)
    errors: list[str] = []
    if request.method == "POST":
        if not request.user.is_authenticated:
            raise PermissionDenied
        organisation = get_object_or_404(
            _own_organisations(request.user), pk=request.POST.get("organisation") or 0
        )
        try:
            application = workflow.submit_application(
                call,
                organisation,
                request.user,
                request.POST.get("title", ""),
                request.POST.get("summary", ""),
                files=request.FILES.getlist("attachments"),
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Application submitted."))
            return redirect(application.get_absolute_url())
    today = timezone.localdate()
    return render(
        request,
        "community/award_call.html",
        {
            "call": call,
            "sections": call.criteria_set.sections.prefetch_related("criteria"),
            "applications": permissions.applications_visible_to(request.user, call),
            "is_manager": permissions.can_manage_call(request.user, call),
            "open": call.opens_on <= today <= call.closes_on,
            "own_organisations": _own_organisations(request.user),
            "errors": errors,
        },
    )


def _application(request: HttpRequest, pk: int) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("call", "organisation", "call__criteria_set"), pk=pk
    )
    if not permissions.can_view_application(request.user, application):
        raise Http404
    return application


@login_required
def my_evaluations(request: HttpRequest) -> HttpResponse:
    assignments = request.user.evaluation_assignments.select_related(
        "application", "application__call"
    )
    return render(request, "community/my_evaluations.html", {"assignments": assignments})


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    user = request.user
    is_manager = permissions.can_manage_call(user, application.call)
    assignment = application.assignments.filter(evaluator=user).first()
    criteria = workflow.criteria_of(application.call)
    errors: dict | list = []
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "score" and assignment:
                scores = {}
                for criterion in criteria:
                    raw = request.POST.get(f"score_{criterion.pk}", "").strip()
                    if raw:
                        try:
                            value = int(raw)
                        except ValueError:
                            value = None
                        scores[criterion.pk] = (
                            value,
                            request.POST.get(f"comment_{criterion.pk}", ""),
                        )
                workflow.record_scores(assignment, user, scores, submit=True)
            elif action == "assign" and is_manager:
                evaluator = (
                    get_user_model()
                    .objects.filter(username=request.POST.get("username", ""))
                    .first()
                )
                if evaluator is None:
                    raise ValidationError({"evaluator": _("No user with this login.")})
                workflow.assign_evaluator(application, evaluator, user)
            elif action == "consensus" and is_manager:
                raw = request.POST.get("score", "").strip()
                try:
                    score = Decimal(raw) if raw else None
                except InvalidOperation as exc:
                    raise ValidationError({"score": _("Not a number.")}) from exc
                workflow.record_consensus(application, user, request.POST.get("comment", ""), score)
            elif action == "decide" and is_manager:
                workflow.decide(
                    application,
                    user,
                    request.POST.get("awarded") == "yes",
                    request.POST.get("note", ""),
                )
            else:
                raise PermissionDenied
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Saved."))
            return redirect(application.get_absolute_url())
    return render(
        request,
        "community/application.html",
        {
            "application": application,
            "is_manager": is_manager,
            "assignment": assignment,
            "criteria": criteria,
            "my_scores": {s.criterion_id: s for s in assignment.scores.all()} if assignment else {},
            "assignments": application.assignments.select_related("evaluator")
            if is_manager
            else [],
            "result": workflow.consolidated(application)
            if permissions.can_see_result(user, application)
            else None,
            "decided": application.decided_at is not None,
            "errors": errors,
        },
    )


@login_required
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    application = _application(request, pk)
    item = get_object_or_404(application.attachments, pk=attachment_pk)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    if not application.awarded or not permissions.can_see_result(request.user, application):
        raise Http404
    response = HttpResponse(certificate_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{application.pk}.pdf"'
    return response
