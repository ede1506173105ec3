from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterbroker.registry import permissions as registry_permissions
from clusterbroker.registry.models import Organisation

from .. import permissions
from ..models import Application, AwardCall, Certificate
from . import workflow
from .certificate import pdf_bytes, stored_certificate
from .conflicts import conflict_reason
from .evaluators import MAX_LISTED, eligible_evaluators, evaluator_label
from .forms import AwardCallForm, EvaluatorForm, ScoresForm

# Ids are database integers: a value beyond 64 bits (or not a number) names no record.
MAX_ID = 2**63 - 1


def _id(raw) -> int | None:
    """A record id from a form or a path, or None when it cannot be one."""
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if 0 < value <= MAX_ID else None


def site_address(request: HttpRequest) -> str:
    """Scheme and host the platform is reached at, for links printed in documents."""
    return request.build_absolute_uri("/").rstrip("/")


def call_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "community/award_calls.html",
        {
            "calls": AwardCall.objects.all(),
            "can_create": permissions.can_create_call(request.user),
        },
    )


@login_required
def call_create(request: HttpRequest) -> HttpResponse:
    """A new label or award call, opened by a community manager (who then manages it)."""
    if not permissions.can_create_call(request.user):
        raise PermissionDenied
    form = AwardCallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        call = form.save_for(request.user)
        messages.success(request, _("Call “%(name)s” created.") % {"name": call.name})
        return redirect(call)
    status = 422 if form.is_bound else 200
    return render(request, "community/award_call_form.html", {"form": form}, status=status)


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
            _own_organisations(request.user), pk=_id(request.POST.get("organisation")) or 0
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
    """The application, or the same 404 whether it does not exist or may not be seen."""
    application = (
        Application.objects.select_related("call", "organisation", "call__criteria_set")
        .filter(pk=_id(pk) or 0)
        .first()
    )
    if application is None or not permissions.can_view_application(request.user, application):
        raise Http404
    return application


@login_required
def my_evaluations(request: HttpRequest) -> HttpResponse:
    assignments = request.user.evaluation_assignments.select_related(
        "application", "application__call"
    )
    return render(request, "community/my_evaluations.html", {"assignments": assignments})


def _assign(request: HttpRequest, application: Application, evaluator_form: EvaluatorForm):
    """The evaluator chosen from the list; nothing else is accepted (no login to type)."""
    if not evaluator_form.is_valid():
        raise ValidationError({"evaluator": evaluator_form.errors["evaluator"]})
    return workflow.assign_evaluator(
        application, evaluator_form.cleaned_data["evaluator"], request.user
    )


def _act(
    request: HttpRequest,
    application: Application,
    assignment,
    scores_form: ScoresForm,
    evaluator_form: EvaluatorForm,
) -> None:
    """One step posted on the application's page; raises what the workflow refuses."""
    user = request.user
    action = request.POST.get("action")
    is_manager = permissions.can_manage_call(user, application.call)
    if action == "score" and assignment:
        if not scores_form.is_valid():
            raise ValidationError(_("Some scores need a correction: see below."))
        workflow.record_scores(assignment, user, scores_form.scores(), submit=True)
    elif action == "assign" and is_manager:
        _assign(request, application, evaluator_form)
    elif action == "unassign" and is_manager:
        removed = application.assignments.filter(pk=_id(request.POST.get("assignment")) or 0)
        if not removed.exists():
            raise ValidationError({"assignment": _("Not an evaluator of this application.")})
        workflow.remove_assignment(application, removed.get(), user)
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
            site=site_address(request),
        )
    else:
        raise PermissionDenied


def _saved_scores(assignment) -> dict[str, object]:
    """The evaluator's saved scores and comments, as the scores form's initial values."""
    if assignment is None:
        return {}
    initial = {}
    for score in assignment.scores.all():
        initial[f"score_{score.criterion_id}"] = score.value
        initial[f"comment_{score.criterion_id}"] = score.comment
    return initial


def _listed(eligible) -> dict | None:
    """The people of the evaluator list (at most MAX_LISTED) and whether there are more."""
    if eligible is None:
        return None
    people = list(eligible.prefetch_related("person__positions__organisation")[: MAX_LISTED + 1])
    listed = [(user.pk, evaluator_label(user)) for user in people[:MAX_LISTED]]
    return {"people": listed, "more": len(people) > MAX_LISTED}


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"{name}: {' '.join(texts)}" if name != "__all__" else " ".join(texts)
            for name, texts in error.message_dict.items()
        ]
    return error.messages


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    user = request.user
    is_manager = permissions.can_manage_call(user, application.call)
    assignment = application.assignments.filter(evaluator=user).first()
    criteria = workflow.criteria_of(application.call)
    action = request.POST.get("action") if request.method == "POST" else None
    scores_form = ScoresForm(
        criteria,
        request.POST if action == "score" else None,
        initial=_saved_scores(assignment),
    )
    people = request.GET.get("people", "")[:100]
    eligible = eligible_evaluators(application, user, people) if is_manager else None
    evaluator_form = EvaluatorForm(eligible, request.POST if action == "assign" else None)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            _act(request, application, assignment, scores_form, evaluator_form)
        except ValidationError as error:
            errors = _messages(error)
            # A refusal by where the records stand (decided, conflict of interest) is a 409,
            # an invalid input a 422; the page shows why either way.
            status = 409 if isinstance(error, workflow.WorkflowConflict) else 422
            application.refresh_from_db()
        else:
            messages.success(request, _("Saved."))
            return redirect(application.get_absolute_url())
    decided = application.decided_at is not None
    return render(
        request,
        "community/application.html",
        {
            "application": application,
            "is_manager": is_manager,
            "assignment": assignment,
            "criteria": criteria,
            "scores_form": scores_form,
            "evaluator_form": evaluator_form,
            "evaluator_choices": _listed(eligible),
            "people": people,
            "assignments": [
                (a, conflict_reason(a.evaluator, application))
                for a in application.assignments.select_related("evaluator")
            ]
            if is_manager
            else [],
            "result": workflow.consolidated(application)
            if permissions.can_see_result(user, application)
            else None,
            "decided": decided,
            "certificate": stored_certificate(application) if decided else None,
            "errors": errors,
        },
        status=status,
    )


@login_required
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """The same 404 for a missing attachment and for one of an application the user may
    not see."""
    application = _application(request, pk)
    item = application.attachments.filter(pk=_id(attachment_pk) or 0).first()
    if item is None:
        raise Http404
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate stored at the decision, never rebuilt from today's records."""
    application = _application(request, pk)
    stored = stored_certificate(application)
    if stored is None or not permissions.can_see_result(request.user, application):
        raise Http404
    response = HttpResponse(pdf_bytes(stored), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{stored.number}.pdf"'
    return response


def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: what a certificate awarded to whom and when, as stored at the decision. The
    code is unguessable, printed on the certificate; an unknown code is a 404."""
    stored = get_object_or_404(Certificate, code=code[:40])
    return render(request, "community/certificate_verify.html", {"certificate": stored})
