import dataclasses
import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterbroker.registry.models import Organisation, Partnership

from . import permissions, roadmap, services
from .forms import (
    ActionForm,
    KpiForm,
    KpiValueForm,
    SwotItemForm,
    TargetMarketForm,
    VisibilityForm,
)
from .kpis import MEASURES
from .models import Action, Kpi, KpiValue, PlanVisibility, SwotItem, SwotQuadrant, TargetMarket
from .report_pdf import report_pdf
from .reports import build_report, kpi_rows, report_xlsx


def _today() -> dt.date:
    return dt.date.today()


def _partnership(slug: str) -> Partnership:
    return get_object_or_404(Partnership, slug=slug)


def _require_section(request: HttpRequest, partnership: Partnership, section: str) -> None:
    if not permissions.can_view_section(request.user, partnership, section):
        # Not public and not a member: say nothing about what is there.
        raise Http404


def _require_manager(request: HttpRequest, partnership: Partnership) -> None:
    if not permissions.can_manage_plan(request.user, partnership):
        raise PermissionDenied


def _context(request: HttpRequest, partnership: Partnership, tab: str, **extra) -> dict:
    return {
        "partnership": partnership,
        "tab": tab,
        "sections": permissions.visible_sections(request.user, partnership),
        "manager": permissions.can_manage_plan(request.user, partnership),
        "member": permissions.is_member(request.user, partnership),
        **extra,
    }


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's errors next to the fields they are about (or above the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def plan_index(request: HttpRequest) -> HttpResponse:
    partnerships = Partnership.objects.order_by("name")
    query = request.GET.get("q", "").strip()[:200]  # a longer LIKE pattern is an error
    if query:
        partnerships = partnerships.filter(Q(name__icontains=query) | Q(acronym__icontains=query))
    page = Paginator(partnerships, 25).get_page(request.GET.get("page"))
    return render(request, "plans/index.html", {"page": page, "query": query})


# --- action plan -------------------------------------------------------------------------


def action_plan(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(slug)
    _require_section(request, partnership, "action_plan")
    today = _today()
    actions = list(
        partnership.actions.select_related("lead").prefetch_related(
            "contributors", "events", "projects"
        )
    )
    context = _context(
        request,
        partnership,
        "action_plan",
        actions=[(a, services.is_overdue(a, today)) for a in actions],
        timeline=services.action_timeline(actions, today),
    )
    if context["manager"] or context["member"]:
        context["warnings"] = services.action_plan_warnings(partnership, today)
        context["clusters"] = partnership.members.filter(kind="cluster").order_by("name")
    return render(request, "plans/action_plan.html", context)


def _delete_managed(
    request: HttpRequest, slug: str, model: type, pk: int, back: str, message: str = ""
) -> HttpResponse:
    """Managers remove one record of their partnership's plan, then go back to `back`."""
    partnership = _partnership(slug)
    _require_manager(request, partnership)
    get_object_or_404(model, pk=pk, partnership=partnership).delete()
    if message:
        messages.success(request, message)
    return redirect(back, slug=slug)


@login_required
def action_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    partnership = _partnership(slug)
    _require_manager(request, partnership)
    action = get_object_or_404(Action, pk=pk, partnership=partnership) if pk else None
    form = ActionForm(request.POST or None, instance=action, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_action(
                form.save(commit=False),
                contributors=form.cleaned_data["contributors"],
                events=form.cleaned_data["events"],
                projects=form.cleaned_data["projects"],
                today=_today(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Action saved."))
            return redirect("plans:action-plan", slug=slug)
    return render(
        request,
        "plans/form.html",
        _context(
            request,
            partnership,
            "action_plan",
            form=form,
            heading=_("Edit action") if action else _("New action"),
        ),
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def action_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _delete_managed(request, slug, Action, pk, "plans:action-plan", _("Action deleted."))


# --- KPIs --------------------------------------------------------------------------------


def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(slug)
    _require_section(request, partnership, "kpis")
    readings = services.read_kpis(partnership, _today())
    return render(
        request,
        "plans/dashboard.html",
        _context(
            request,
            partnership,
            "kpis",
            readings=readings,
            measures=MEASURES.values(),
            evidence=permissions.can_view_evidence(request.user, partnership),
        ),
    )


@login_required
def kpi_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    partnership = _partnership(slug)
    _require_manager(request, partnership)
    kpi = get_object_or_404(Kpi, pk=pk, partnership=partnership) if pk else None
    form = KpiForm(request.POST or None, instance=kpi, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_kpi(form.save(commit=False))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("KPI saved."))
            return redirect("plans:dashboard", slug=slug)
    return render(
        request,
        "plans/form.html",
        _context(
            request,
            partnership,
            "kpis",
            form=form,
            heading=_("Edit KPI") if kpi else _("New KPI"),
            multipart=False,
        ),
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def kpi_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _delete_managed(
        request, slug, Kpi, pk, "plans:dashboard", _("KPI deleted with its values.")
    )


@login_required
def kpi_value_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(slug)
    _require_manager(request, partnership)
    kpi = get_object_or_404(Kpi, pk=pk, partnership=partnership)
    if kpi.is_computed:
        messages.error(request, _("This KPI is computed from the data; it cannot be typed in."))
        return redirect("plans:dashboard", slug=slug)
    form = KpiValueForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("document")
        document = (
            services.EvidenceFile(upload.name, upload.content_type or "", upload.read())
            if upload
            else None
        )
        try:
            services.record_kpi_value(
                kpi,
                value=form.cleaned_data["value"],
                as_of=form.cleaned_data["as_of"],
                entered_by=request.user,
                evidence_url=form.cleaned_data["evidence_url"],
                document=document,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "evidence" in error.error_dict:
                form.add_error("evidence_url", error.error_dict.pop("evidence"))
            _add_errors(form, error)
        else:
            messages.success(request, _("Value recorded."))
            return redirect("plans:dashboard", slug=slug)
    return render(
        request,
        "plans/form.html",
        _context(
            request,
            partnership,
            "kpis",
            form=form,
            heading=_("New value for “%(kpi)s”") % {"kpi": kpi.name},
            multipart=True,
        ),
        status=400 if form.errors else 200,
    )


@login_required
def evidence_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(slug)
    if not permissions.can_view_evidence(request.user, partnership):
        # The same answer as for a missing document: nothing tells whether it exists.
        raise Http404
    entry = get_object_or_404(
        KpiValue.objects.select_related("evidence_document"),
        pk=pk,
        kpi__partnership=partnership,
        evidence_document__isnull=False,
    )
    document = entry.evidence_document
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{_safe_name(document.filename)}"'
    return response


def _safe_name(filename: str) -> str:
    stem, _dot, extension = filename.rpartition(".")
    if not stem:
        return slugify(filename) or "evidence"
    return f"{slugify(stem) or 'evidence'}.{slugify(extension)}"


# --- reports -----------------------------------------------------------------------------


def report(request: HttpRequest, slug: str, file_format: str = "") -> HttpResponse:
    partnership = _partnership(slug)
    _require_section(request, partnership, "report")
    data = build_report(partnership, _today())
    if not permissions.is_member(request.user, partnership) and not (
        permissions.can_manage_plan(request.user, partnership)
    ):
        # A published report shows results; the plan's internal warnings stay with members.
        data = dataclasses.replace(data, warnings=())
    if file_format == "pdf":
        response = HttpResponse(report_pdf(data), content_type="application/pdf")
    elif file_format == "xlsx":
        response = HttpResponse(
            report_xlsx(data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        return render(
            request,
            "plans/report.html",
            _context(request, partnership, "report", report=data, kpi_table=kpi_rows(data)),
        )
    name = f"{partnership.slug}-report-{data.made_on.isoformat()}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- internationalisation strategy -------------------------------------------------------


def strategy(request: HttpRequest, slug: str) -> HttpResponse:
    return _strategy_page(request, _partnership(slug))


def _strategy_page(
    request: HttpRequest,
    partnership: Partnership,
    swot_form: SwotItemForm | None = None,
    market_form: TargetMarketForm | None = None,
    status: int = 200,
) -> HttpResponse:
    _require_section(request, partnership, "strategy")
    items = list(partnership.swot_items.all())
    context = _context(
        request,
        partnership,
        "strategy",
        swot=[
            (label, [i for i in items if i.quadrant == code])
            for code, label in SwotQuadrant.choices
        ],
        markets=services.target_markets(partnership),
        roadmap=[
            (label, partnership.actions.filter(horizon=code).select_related("lead"))
            for code, label in (("2y", _("Next two years")), ("5y", _("Next five years")))
        ],
    )
    if context["manager"]:
        context["swot_form"] = swot_form or SwotItemForm()
        context["market_form"] = market_form or TargetMarketForm(partnership=partnership)
    return render(request, "plans/strategy.html", context, status=status)


@login_required
@require_POST
def swot_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(slug)
    _require_manager(request, partnership)
    form = SwotItemForm(request.POST)
    if form.is_valid():
        item = form.save(commit=False)
        item.partnership = partnership
        item.save()
        messages.success(request, _("SWOT point added."))
        return redirect("plans:strategy", slug=slug)
    return _strategy_page(request, partnership, swot_form=form, status=400)


@login_required
@require_POST
def swot_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _delete_managed(request, slug, SwotItem, pk, "plans:strategy")


@login_required
@require_POST
def market_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(slug)
    _require_manager(request, partnership)
    country = request.POST.get("country", "").strip().upper()
    existing = TargetMarket.objects.filter(partnership=partnership, country=country).first()
    form = TargetMarketForm(request.POST, instance=existing, partnership=partnership)
    if form.is_valid():
        form.save()
        messages.success(request, _("Target market saved."))
        return redirect("plans:strategy", slug=slug)
    return _strategy_page(request, partnership, market_form=form, status=400)


@login_required
@require_POST
def market_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _delete_managed(request, slug, TargetMarket, pk, "plans:strategy")


@login_required
def visibility(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(slug)
    _require_manager(request, partnership)
    instance = PlanVisibility.objects.filter(partnership=partnership).first() or PlanVisibility(
        partnership=partnership
    )
    form = VisibilityForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Publication settings saved."))
        return redirect("plans:action-plan", slug=slug)
    return render(
        request,
        "plans/form.html",
        _context(request, partnership, "visibility", form=form, heading=_("What the public sees")),
    )


# --- roadmap questionnaire ---------------------------------------------------------------


class RoadmapForm(forms.Form):
    answered_on = forms.DateField(
        label=_("answered on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in roadmap.QUESTIONS:
            self.fields[f"q{question.number}"] = forms.CharField(
                label=f"{question.number}. {question.text}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def answers(self) -> dict[int, str]:
        return {q.number: self.cleaned_data[f"q{q.number}"] for q in roadmap.QUESTIONS}


def roadmap_page(request: HttpRequest, org_slug: str, version: int | None = None) -> HttpResponse:
    cluster = get_object_or_404(Organisation, slug=org_slug)
    if not permissions.can_view_roadmap(request.user, cluster):
        raise Http404
    versions = list(cluster.roadmap_versions.select_related("answered_by"))
    shown = (
        next((v for v in versions if v.pk == version), None)
        if version
        else (versions[0] if versions else None)
    )
    if version and shown is None:
        raise Http404
    can_edit = permissions.can_edit_roadmap(request.user, cluster)
    answers = {a.question: a.text for a in shown.answers.all()} if shown else {}
    form = None
    if can_edit:
        initial = {"answered_on": _today(), **{f"q{n}": t for n, t in answers.items()}}
        form = RoadmapForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                roadmap.save_roadmap(
                    cluster, form.answers(), form.cleaned_data["answered_on"], request.user
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("New version of the roadmap saved."))
                return redirect("plans:roadmap", org_slug=org_slug)
    elif request.method == "POST":
        raise PermissionDenied
    derived = roadmap.derived_values(cluster)
    rows = [
        {
            "question": q,
            "answer": answers.get(q.number, ""),
            "derived": derived.get(q.number, ""),
            "field": form[f"q{q.number}"] if form else None,
        }
        for q in roadmap.QUESTIONS
    ]
    return render(
        request,
        "plans/roadmap.html",
        {
            "cluster": cluster,
            "versions": versions,
            "shown": shown,
            "rows": rows,
            "form": form,
            "action_url": reverse("plans:roadmap", args=[org_slug]),
        },
        status=400 if form and form.errors else 200,
    )
