"""Survey pages: the list (to answer, managed), the survey's settings and questions, the
answer form (saved and taken up again until the close), who answered, and the results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterbroker.importers.tabular import CONTENT_TYPES, write_table
from clusterbroker.registry.countries import country_name
from clusterbroker.registry.models import Organisation, OrganisationKind, Partnership, SizeClass
from clusterbroker.registry.permissions import (
    is_platform_admin,
    managed_partnership_ids,
    own_organisation_ids,
)

from . import notices, permissions, services, use_of_results
from .charts import bar_chart
from .forms import AnswerForm, QuestionForm, SurveyForm
from .models import Audience, Question, Response, Survey


def _survey(request: HttpRequest, pk: int) -> Survey:
    survey = get_object_or_404(Survey.objects.select_related("partnership", "cluster"), pk=pk)
    if not permissions.can_see_survey(request.user, survey):
        raise Http404  # say nothing of a survey one is not part of
    return survey


def _managed(request: HttpRequest, pk: int) -> Survey:
    survey = _survey(request, pk)
    if not permissions.can_manage_survey(request.user, survey):
        raise PermissionDenied
    return survey


def _owners(user) -> list:
    if is_platform_admin(user):
        partnerships = Partnership.objects.order_by("name")
        clusters = Organisation.objects.filter(kind="cluster").order_by("name")
    else:
        partnerships = Partnership.objects.filter(pk__in=managed_partnership_ids(user))
        clusters = Organisation.objects.filter(pk__in=permissions.managed_cluster_ids(user))
    return [*partnerships.order_by("name"), *clusters.order_by("name")]


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    own = own_organisation_ids(user)
    to_answer = (
        Survey.objects.filter(invitations__organisation_id__in=own).distinct().order_by("closes_on")
    )
    if is_platform_admin(user):
        managed = Survey.objects.all()
    else:
        managed = Survey.objects.filter(
            partnership_id__in=managed_partnership_ids(user)
        ) | Survey.objects.filter(cluster_id__in=permissions.managed_cluster_ids(user))
    return render(
        request,
        "surveys/list.html",
        {
            "to_answer": to_answer.select_related("partnership", "cluster"),
            "managed": managed.select_related("partnership", "cluster").order_by("-opens_on"),
            "can_create": bool(_owners(user)),
            "today": timezone.localdate(),
        },
    )


@login_required
def survey_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    survey = _managed(request, pk) if pk else Survey(created_by=request.user)
    owners = [] if pk else _owners(request.user)
    if not pk and not owners:
        raise PermissionDenied
    listable = services.listable_organisations(survey) if pk else None
    form = SurveyForm(request.POST or None, instance=survey, owners=owners, listable=listable)
    if request.method == "POST" and form.is_valid():
        survey = form.save()
        if not pk and form.cleaned_data.get("from_dia"):
            services.add_dia_questions(survey)
        chosen = list(form.cleaned_data.get("organisations") or [])
        services.invite(survey, chosen)
        notices.notify_opened(survey, timezone.localdate(), actor=request.user)
        messages.success(request, _("The survey was saved."))
        return redirect("surveys:survey", pk=survey.pk)
    return render(
        request,
        "surveys/form.html",
        {"form": form, "survey": survey if pk else None, "heading": _("Survey settings")},
    )


def survey_page(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    if not permissions.can_manage_survey(request.user, survey):
        return redirect("surveys:answer", pk=survey.pk)
    responses = {r.organisation_id: r for r in survey.responses.all()}
    invited = [
        (i.organisation, responses.get(i.organisation_id))
        for i in survey.invitations.select_related("organisation")
    ]
    return render(
        request,
        "surveys/survey.html",
        {
            "survey": survey,
            "questions": survey.questions.select_related("taxonomy"),
            "invited": invited,
            "answered": sum(1 for _o, r in invited if r and r.submitted_at),
            "today": timezone.localdate(),
            "is_list": survey.audience == Audience.LIST,
        },
    )


@login_required
def question_edit(request: HttpRequest, pk: int, question_pk: int | None = None) -> HttpResponse:
    survey = _managed(request, pk)
    question = (
        get_object_or_404(Question, pk=question_pk, survey=survey)
        if question_pk
        else Question(survey=survey, position=survey.questions.count() + 1)
    )
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("surveys:survey", pk=survey.pk)
    return render(
        request, "surveys/form.html", {"form": form, "survey": survey, "heading": _("Question")}
    )


@login_required
@require_POST
def question_delete(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    survey = _managed(request, pk)
    get_object_or_404(Question, pk=question_pk, survey=survey).delete()
    return redirect("surveys:survey", pk=survey.pk)


@login_required
@require_POST
def dia_questions(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _managed(request, pk)
    if not services.add_dia_questions(survey):
        messages.error(request, _("The DIA taxonomies are not loaded."))
    return redirect("surveys:survey", pk=survey.pk)


def _answering_organisation(request: HttpRequest, survey: Survey) -> Organisation | None:
    ids = permissions.answering_organisation_ids(request.user, survey)
    organisations = Organisation.objects.filter(pk__in=ids).order_by("name")
    wanted = request.GET.get("organisation", "")
    if wanted:
        return organisations.filter(slug=wanted).first()
    return organisations.first()


@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    organisation = _answering_organisation(request, survey)
    if organisation is None:
        if permissions.can_manage_survey(request.user, survey):
            return redirect("surveys:survey", pk=survey.pk)
        raise Http404
    today = timezone.localdate()
    response = services.response_for(survey, organisation)
    questions = list(survey.questions.select_related("taxonomy"))
    form = AnswerForm(
        request.POST or None,
        questions=questions,
        values=services.response_values(response),
        consent=bool(response and response.consent_to_profile),
    )
    editable = permissions.can_answer(request.user, survey, organisation, today)
    form.fields["consent"].disabled = not editable
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                services.save_response(
                    request.user,
                    survey,
                    organisation,
                    form.values(),
                    submit=submit,
                    consent=form.cleaned_data["consent"],
                    today=today,
                )
            except ValidationError as error:
                for key, errors in error.message_dict.items():
                    form.add_error(key if key in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("Your answers were submitted; you may change them until the survey closes.")
                    if submit
                    else _("Your answers were saved; come back to finish them."),
                )
                url = request.path + (f"?organisation={organisation.slug}")
                return redirect(url)
    others = Organisation.objects.filter(
        pk__in=permissions.answering_organisation_ids(request.user, survey)
    ).exclude(pk=organisation.pk)
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "organisation": organisation,
            "others": others,
            "response": response,
            "form": form,
            "editable": editable,
            "status": survey.status(today),
        },
    )


def _filters(request: HttpRequest) -> services.ResultFilters:
    try:
        cluster = int(request.GET.get("cluster") or 0) or None
    except ValueError:
        cluster = None
    return services.ResultFilters(
        cluster=cluster,
        country=request.GET.get("country", "")[:2].upper(),
        kind=request.GET.get("kind", "")[:20],
        size_class=request.GET.get("size", "")[:10],
    )


def results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    if not permissions.can_see_results(request.user, survey):
        raise PermissionDenied
    filters = _filters(request)
    outcome = services.survey_results(survey, filters)
    respondents = Organisation.objects.filter(
        survey_responses__survey=survey, survey_responses__submitted_at__isnull=False
    )
    clusters = Organisation.objects.filter(kind="cluster").filter(
        pk__in=respondents.values("memberships__cluster")
    ) | Organisation.objects.filter(kind="cluster", pk__in=respondents.values("pk"))
    countries = sorted(set(respondents.values_list("country", flat=True)), key=country_name)
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "results": outcome,
            "charts": [(r, bar_chart(r.rows)) for r in outcome.questions],
            "filters": filters,
            "clusters": clusters.distinct().order_by("name"),
            "countries": [(c, country_name(c)) for c in countries],
            "kinds": OrganisationKind.choices,
            "sizes": SizeClass.choices,
            "query": request.GET.urlencode(),
            "can_plan": permissions.can_plan_from_results(request.user, survey),
        },
    )


@login_required
@require_POST
def results_plan_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Make one ranked area of the results an action of the partnership's plan."""
    survey = _survey(request, pk)
    if not permissions.can_plan_from_results(request.user, survey):
        raise PermissionDenied
    try:
        question_id = int(request.POST.get("question", ""))
        term_id = int(request.POST.get("term", ""))
        action, created = use_of_results.add_plan_action(request.user, survey, question_id, term_id)
    except (ValueError, use_of_results.UnknownArea):
        raise Http404 from None
    if created:
        messages.success(
            request,
            _("“%(title)s” was added to the action plan; complete it here.")
            % {"title": action.title},
        )
    else:
        messages.info(
            request,
            _("“%(title)s” is already an action of the plan.") % {"title": action.title},
        )
    return redirect("plans:action-edit", slug=survey.partnership.slug, pk=action.pk)


def results_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    survey = _survey(request, pk)
    if not permissions.can_see_results(request.user, survey):
        raise PermissionDenied
    if fmt not in ("csv", "xlsx"):
        raise Http404
    outcome = services.survey_results(survey, _filters(request))
    content = write_table(fmt, services.EXPORT_COLUMNS, services.export_rows(outcome))
    response = HttpResponse(content, CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-results.{fmt}"'
    return response


def response_page(request: HttpRequest, pk: int, response_pk: int) -> HttpResponse:
    """One organisation's answers, for the survey's managers and that organisation."""
    survey = _survey(request, pk)
    response = get_object_or_404(Response, pk=response_pk, survey=survey)
    if not permissions.can_see_response(request.user, response):
        raise Http404
    values = services.response_values(response)
    rows = [(q, services.display_value(q, values.get(q.pk))) for q in survey.questions.all()]
    return render(
        request, "surveys/response.html", {"survey": survey, "response": response, "rows": rows}
    )
