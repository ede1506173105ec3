"""The partnership-management API: action plan, warnings, KPIs, strategy, roadmap answers.

Reads follow the partnership's publication settings (members see everything, the public
what is marked public); writes are for partnership managers, with a session or a token.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from clusterbroker.events.models import Event
from clusterbroker.plans import permissions, roadmap, services
from clusterbroker.plans.kpis import MEASURES
from clusterbroker.plans.models import Action, Kpi, SwotItem, TargetMarket
from clusterbroker.registry.models import Organisation, Partnership, Project
from clusterbroker.web.fields import MAX_ID

from .auth import WRITE_AUTH, TokenAuth
from .crud import ErrorOut

router = Router(tags=["partnership management"])


def _anyone(request) -> bool:
    """Reads are open: a request without credentials is read as the public."""
    return True


READ_AUTH = [TokenAuth(), django_auth, _anyone]
# Writes also answer 400 when the body is not JSON at all (before any field is read).


class ActionIn(Schema):
    number: int = 0
    title: str
    description: str = ""
    phase: str = "preparation"
    lead: str | None = None
    contributors: list[str] = []
    start: dt.date | None = None
    end: dt.date | None = None
    status: str = "planned"
    budget: Decimal | None = None
    funding_source: str = ""
    horizon: str = ""
    events: list[str] = []
    projects: list[int] = []


class ActionOut(Schema):
    id: int
    number: int
    title: str
    description: str
    phase: str
    lead: str | None
    contributors: list[str]
    start: dt.date | None
    end: dt.date | None
    status: str
    completed_on: dt.date | None
    budget: Decimal | None
    funding_source: str
    horizon: str
    events: list[str]
    projects: list[int]

    @staticmethod
    def resolve_lead(obj) -> str | None:
        return obj.lead.slug if obj.lead else None

    @staticmethod
    def resolve_contributors(obj) -> list[str]:
        return [o.slug for o in obj.contributors.all()]

    @staticmethod
    def resolve_events(obj) -> list[str]:
        return [e.slug for e in obj.events.all()]

    @staticmethod
    def resolve_projects(obj) -> list[int]:
        return [p.pk for p in obj.projects.all()]


class WarningOut(Schema):
    kind: str
    message: str
    action_id: int | None
    organisation_id: int | None


class KpiIn(Schema):
    name: str
    unit: str = ""
    target: Decimal | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    source: str
    measure: str = ""
    note: str = ""
    position: int = 0


class HistoryPointOut(Schema):
    day: dt.date
    value: Decimal


class KpiOut(Schema):
    id: int
    name: str
    unit: str
    target: Decimal | None
    source: str
    measure: str
    period_start: dt.date | None
    period_end: dt.date | None
    value: Decimal | None
    share_of_target: float | None
    how: str
    history: list[HistoryPointOut]


class KpiValueIn(Schema):
    value: Decimal
    as_of: dt.date
    evidence_url: str = ""
    note: str = ""


class KpiValueOut(Schema):
    id: int
    value: Decimal
    as_of: dt.date
    evidence_url: str
    entered_by_name: str


class MeasureOut(Schema):
    code: str
    label: str
    explanation: str


class SwotItemIn(Schema):
    quadrant: str
    text: str
    position: int = 0


class SwotItemOut(Schema):
    id: int
    quadrant: str
    text: str


class TargetMarketIn(Schema):
    country: str
    status: str = "candidate"
    rationale: str = ""
    planned_actions: str = ""


class TargetMarketOut(Schema):
    id: int
    country: str
    status: str
    rationale: str
    planned_actions: str


class StrategyOut(Schema):
    swot: list[SwotItemOut]
    target_markets: list[TargetMarketOut]
    roadmap: list[ActionOut]


class RoadmapIn(Schema):
    answered_on: dt.date
    answers: dict[int, str]


class RoadmapAnswerOut(Schema):
    question: int
    topic: str
    text: str
    answer: str
    derived: str


class RoadmapOut(Schema):
    cluster: str
    answered_on: dt.date | None
    versions: list[dt.date]
    answers: list[RoadmapAnswerOut]


def _partnership(slug: str) -> Partnership:
    return get_object_or_404(Partnership, slug=slug)


def _readable(request, slug: str, section: str) -> Partnership:
    partnership = _partnership(slug)
    if not permissions.can_view_section(request.user, partnership, section):
        raise HttpError(404, _("Not found."))
    return partnership


def _managed(request, slug: str) -> Partnership:
    partnership = _partnership(slug)
    if not permissions.can_manage_plan(request.user, partnership):
        raise HttpError(403, _("Only the partnership's managers change its plan."))
    return partnership


def _unprocessable(error: ValidationError) -> HttpError:
    if not hasattr(error, "error_dict"):
        return HttpError(422, " ".join(error.messages))
    return HttpError(
        422,
        "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()),
    )


def _actions(partnership: Partnership):
    return partnership.actions.select_related("lead").prefetch_related(
        "contributors", "events", "projects"
    )


def _delete(request, slug: str, model: type, pk: int) -> Status:
    """Managers delete one record of their partnership's plan."""
    partnership = _managed(request, slug)
    get_object_or_404(model, pk=pk, partnership=partnership).delete()
    return Status(204, None)


@router.get("/measures", response=list[MeasureOut], summary="The menu of computed measures")
def list_measures(request):
    return [
        {"code": m.code, "label": str(m.label), "explanation": str(m.explanation)}
        for m in MEASURES.values()
    ]


@router.get(
    "/{slug}/actions",
    response={200: list[ActionOut], 404: ErrorOut},
    auth=READ_AUTH,
    summary="The action plan",
)
def list_actions(request, slug: str):
    return _actions(_readable(request, slug, "action_plan"))


def _save_action(partnership: Partnership, action: Action, payload: ActionIn) -> Action:
    lead = Organisation.objects.filter(slug=payload.lead).first() if payload.lead else None
    if payload.lead and lead is None:
        raise HttpError(422, _("lead: unknown organisation “%(s)s”.") % {"s": payload.lead})
    contributors = list(Organisation.objects.filter(slug__in=payload.contributors))
    events = list(Event.objects.filter(slug__in=payload.events))
    # An id no database can hold is simply unknown (SQLite cannot even compare it).
    projects = list(Project.objects.filter(pk__in=[p for p in payload.projects if 0 < p <= MAX_ID]))
    for name, asked, found in (
        ("contributors", payload.contributors, [o.slug for o in contributors]),
        ("events", payload.events, [e.slug for e in events]),
        ("projects", payload.projects, [p.pk for p in projects]),
    ):
        missing = sorted(set(asked) - set(found), key=str)
        if missing:
            raise HttpError(
                422, _("%(f)s: unknown %(v)s.") % {"f": name, "v": ", ".join(map(str, missing))}
            )
    for field in ("number", "title", "description", "phase", "start", "end", "status"):
        setattr(action, field, getattr(payload, field))
    action.budget, action.funding_source, action.horizon = (
        payload.budget,
        payload.funding_source,
        payload.horizon,
    )
    action.lead = lead
    try:
        return services.save_action(action, contributors, events, projects)
    except ValidationError as error:
        raise _unprocessable(error) from error


@router.post(
    "/{slug}/actions",
    response={201: ActionOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="Add an action (managers)",
)
def create_action(request, slug: str, payload: ActionIn):
    partnership = _managed(request, slug)
    return Status(201, _save_action(partnership, Action(partnership=partnership), payload))


@router.put(
    "/{slug}/actions/{action_id}",
    response={200: ActionOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="Change an action (managers)",
)
def update_action(request, slug: str, action_id: int, payload: ActionIn):
    partnership = _managed(request, slug)
    action = get_object_or_404(Action, pk=action_id, partnership=partnership)
    return Status(200, _save_action(partnership, action, payload))


@router.delete(
    "/{slug}/actions/{action_id}",
    response={204: None, 403: ErrorOut},
    auth=WRITE_AUTH,
    summary="Delete an action (managers)",
)
def delete_action(request, slug: str, action_id: int):
    return _delete(request, slug, Action, action_id)


@router.get(
    "/{slug}/warnings",
    response={200: list[WarningOut], 404: ErrorOut},
    auth=READ_AUTH,
    summary="What the action plan lacks (members)",
)
def list_warnings(request, slug: str):
    partnership = _partnership(slug)
    if not (
        permissions.is_member(request.user, partnership)
        or permissions.can_manage_plan(request.user, partnership)
    ):
        raise HttpError(404, _("Not found."))
    return services.action_plan_warnings(partnership, dt.date.today())


def _kpi_out(reading: services.KpiReading) -> dict[str, Any]:
    kpi = reading.kpi
    return {
        "id": kpi.pk,
        "name": kpi.name,
        "unit": kpi.unit,
        "target": kpi.target,
        "source": kpi.source,
        "measure": kpi.measure,
        "period_start": reading.period.start,
        "period_end": reading.period.end,
        "value": reading.value,
        "share_of_target": reading.share,
        "how": reading.how,
        "history": [{"day": day, "value": value} for day, value in reading.history],
    }


@router.get(
    "/{slug}/kpis",
    response={200: list[KpiOut], 404: ErrorOut},
    auth=READ_AUTH,
    summary="KPIs with their values against targets",
)
def list_kpis(request, slug: str):
    partnership = _readable(request, slug, "kpis")
    return [_kpi_out(r) for r in services.read_kpis(partnership, dt.date.today())]


@router.post(
    "/{slug}/kpis",
    response={201: KpiOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="Define a KPI (managers)",
)
def create_kpi(request, slug: str, payload: KpiIn):
    partnership = _managed(request, slug)
    kpi = Kpi(partnership=partnership, **payload.dict())
    try:
        services.save_kpi(kpi)
    except ValidationError as error:
        raise _unprocessable(error) from error
    return Status(201, _kpi_out(services.read_kpi(kpi, dt.date.today())))


@router.put(
    "/{slug}/kpis/{kpi_id}",
    response={200: KpiOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="Change a KPI's definition (managers)",
)
def update_kpi(request, slug: str, kpi_id: int, payload: KpiIn):
    partnership = _managed(request, slug)
    kpi = get_object_or_404(Kpi, pk=kpi_id, partnership=partnership)
    for field, value in payload.dict().items():
        setattr(kpi, field, value)
    try:
        services.save_kpi(kpi)
    except ValidationError as error:
        raise _unprocessable(error) from error
    return Status(200, _kpi_out(services.read_kpi(kpi, dt.date.today())))


@router.delete(
    "/{slug}/kpis/{kpi_id}",
    response={204: None, 403: ErrorOut},
    auth=WRITE_AUTH,
    summary="Delete a KPI with its values (managers)",
)
def delete_kpi(request, slug: str, kpi_id: int):
    return _delete(request, slug, Kpi, kpi_id)


@router.post(
    "/{slug}/kpis/{kpi_id}/values",
    response={201: KpiValueOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="Enter a value of a hand-entered KPI, with evidence (managers)",
)
def create_kpi_value(request, slug: str, kpi_id: int, payload: KpiValueIn):
    partnership = _managed(request, slug)
    kpi = get_object_or_404(Kpi, pk=kpi_id, partnership=partnership)
    try:
        entry = services.record_kpi_value(
            kpi,
            value=payload.value,
            as_of=payload.as_of,
            entered_by=request.user,
            evidence_url=payload.evidence_url,
            note=payload.note,
        )
    except ValidationError as error:
        raise _unprocessable(error) from error
    return Status(201, entry)


@router.get(
    "/{slug}/strategy",
    response={200: StrategyOut, 404: ErrorOut},
    auth=READ_AUTH,
    summary="Internationalisation strategy: SWOT, target markets, roadmap",
)
def read_strategy(request, slug: str):
    partnership = _readable(request, slug, "strategy")
    return {
        "swot": partnership.swot_items.all(),
        "target_markets": services.target_markets(partnership),
        "roadmap": _actions(partnership).exclude(horizon=""),
    }


@router.post(
    "/{slug}/strategy/swot",
    response={201: SwotItemOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="Add a SWOT point (managers)",
)
def create_swot_item(request, slug: str, payload: SwotItemIn):
    partnership = _managed(request, slug)
    item = SwotItem(partnership=partnership, **payload.dict())
    try:
        item.full_clean()
    except ValidationError as error:
        raise _unprocessable(error) from error
    item.save()
    return Status(201, item)


@router.post(
    "/{slug}/strategy/markets",
    response={201: TargetMarketOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="Add or update a target market (managers)",
)
def save_target_market(request, slug: str, payload: TargetMarketIn):
    partnership = _managed(request, slug)
    country = payload.country.strip().upper()
    market = TargetMarket.objects.filter(partnership=partnership, country=country).first()
    market = market or TargetMarket(partnership=partnership, country=country)
    market.status, market.rationale, market.planned_actions = (
        payload.status,
        payload.rationale,
        payload.planned_actions,
    )
    try:
        market.full_clean()
    except ValidationError as error:
        raise _unprocessable(error) from error
    market.save()
    return Status(201, market)


@router.delete(
    "/{slug}/strategy/swot/{item_id}",
    response={204: None, 403: ErrorOut},
    auth=WRITE_AUTH,
    summary="Remove a SWOT point (managers)",
)
def delete_swot_item(request, slug: str, item_id: int):
    return _delete(request, slug, SwotItem, item_id)


@router.delete(
    "/{slug}/strategy/markets/{country}",
    response={204: None, 403: ErrorOut},
    auth=WRITE_AUTH,
    summary="Remove a target market (managers)",
)
def delete_target_market(request, slug: str, country: str):
    partnership = _managed(request, slug)
    get_object_or_404(TargetMarket, partnership=partnership, country=country.upper()).delete()
    return Status(204, None)


def _roadmap_out(cluster: Organisation) -> dict[str, Any]:
    versions = list(cluster.roadmap_versions.prefetch_related("answers"))
    latest = versions[0] if versions else None
    answers = {a.question: a.text for a in latest.answers.all()} if latest else {}
    derived = roadmap.derived_values(cluster)
    return {
        "cluster": cluster.slug,
        "answered_on": latest.answered_on if latest else None,
        "versions": [v.answered_on for v in versions],
        "answers": [
            {
                "question": q.number,
                "topic": q.topic,
                "text": q.text,
                "answer": answers.get(q.number, ""),
                "derived": derived.get(q.number, ""),
            }
            for q in roadmap.QUESTIONS
        ],
    }


@router.get(
    "/roadmaps/{org_slug}",
    response={200: RoadmapOut, 404: ErrorOut},
    auth=READ_AUTH,
    summary="A cluster's latest roadmap answers, with the values derived from the data",
)
def read_roadmap(request, org_slug: str):
    cluster = get_object_or_404(Organisation, slug=org_slug)
    if not permissions.can_view_roadmap(request.user, cluster):
        raise HttpError(404, _("Not found."))
    return _roadmap_out(cluster)


@router.post(
    "/roadmaps/{org_slug}",
    response={201: RoadmapOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="Answer the roadmap questionnaire: a new dated version",
)
def answer_roadmap(request, org_slug: str, payload: RoadmapIn):
    cluster = get_object_or_404(Organisation, slug=org_slug)
    if not permissions.can_edit_roadmap(request.user, cluster):
        raise HttpError(403, _("Only those who edit the cluster answer its roadmap."))
    try:
        roadmap.save_roadmap(cluster, payload.answers, payload.answered_on, request.user)
    except ValidationError as error:
        raise _unprocessable(error) from error
    return Status(201, _roadmap_out(cluster))
