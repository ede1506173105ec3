"""Operations on a partnership's action plan and KPIs, called by pages, API and CLI."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusterbroker.registry.models import Organisation, Partnership, Project

from .kpis import MEASURES, Period, measure_history
from .models import Action, ActionStatus, Evidence, Kpi, KpiValue, TargetMarket
from .timeline import Timeline, TimelineItem, build_timeline

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
CLOSED_STATUSES = (ActionStatus.DONE, ActionStatus.CANCELLED)


# --- action plan -------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanWarning:
    kind: str  # "no_action_led", "overdue" or "lead_not_member"
    message: str
    action_id: int | None = None
    organisation_id: int | None = None


def member_organisations(partnership: Partnership) -> list[Organisation]:
    return list(
        Organisation.objects.filter(partnership_memberships__partnership=partnership).order_by(
            "partnership_memberships__position", "name"
        )
    )


def is_overdue(action: Action, today: dt.date) -> bool:
    return bool(action.end and action.end < today and action.status not in CLOSED_STATUSES)


def action_plan_warnings(partnership: Partnership, today: dt.date) -> list[PlanWarning]:
    """What the plan still lacks: members leading no action, actions late and not done."""
    actions = list(partnership.actions.select_related("lead"))
    members = member_organisations(partnership)
    member_ids = {m.pk for m in members}
    leads = {a.lead_id for a in actions if a.status != ActionStatus.CANCELLED}
    warnings = [
        PlanWarning(
            "no_action_led",
            _("%(member)s leads no action; each partner should lead at least one.")
            % {"member": member.name},
            organisation_id=member.pk,
        )
        for member in members
        if member.pk not in leads
    ]
    for action in actions:
        if is_overdue(action, today):
            warnings.append(
                PlanWarning(
                    "overdue",
                    _("“%(action)s” ended on %(end)s and is not done (%(status)s).")
                    % {
                        "action": action.title,
                        "end": action.end.isoformat(),
                        "status": action.get_status_display(),
                    },
                    action_id=action.pk,
                )
            )
        if action.lead_id and action.lead_id not in member_ids:
            warnings.append(
                PlanWarning(
                    "lead_not_member",
                    _("“%(action)s” is led by %(lead)s, who is not a member any more.")
                    % {"action": action.title, "lead": action.lead.name},
                    action_id=action.pk,
                )
            )
    return warnings


@transaction.atomic
def save_action(
    action: Action,
    contributors: Iterable[Organisation] = (),
    events: Iterable = (),
    projects: Iterable = (),
    today: dt.date | None = None,
) -> Action:
    """Check and save an action: its lead and contributors must be partnership members, its
    events the partnership's, its projects ones that a member takes part in."""
    contributors, events, projects = list(contributors), list(events), list(projects)
    member_ids = {m.pk for m in member_organisations(action.partnership)}
    errors = {}
    if action.lead_id and action.lead_id not in member_ids:
        errors["lead"] = _("The lead partner must be a member of the partnership.")
    strangers = [c.name for c in contributors if c.pk not in member_ids]
    if strangers:
        errors["contributors"] = _("Not members of the partnership: %(names)s.") % {
            "names": ", ".join(strangers)
        }
    foreign_events = [e.name for e in events if e.partnership_id != action.partnership_id]
    if foreign_events:
        errors["events"] = _("Events of another partnership: %(names)s.") % {
            "names": ", ".join(foreign_events)
        }
    member_projects = set(
        Project.objects.filter(
            pk__in=[p.pk for p in projects], participations__organisation_id__in=member_ids
        ).values_list("pk", flat=True)
    )
    foreign_projects = [p.acronym or p.title for p in projects if p.pk not in member_projects]
    if foreign_projects:
        errors["projects"] = _(
            "Projects no member of the partnership takes part in: %(names)s."
        ) % {"names": ", ".join(foreign_projects)}
    try:
        action.full_clean(exclude=["partnership"])
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    if action.status == ActionStatus.DONE:
        action.completed_on = action.completed_on or today or dt.date.today()
    else:
        action.completed_on = None
    if not action.number:
        action.number = (
            max(action.partnership.actions.values_list("number", flat=True), default=0) + 1
        )
    action.save()
    action.contributors.set(contributors)
    action.events.set(events)
    action.projects.set(projects)
    return action


def action_timeline(actions: Iterable[Action], today: dt.date) -> Timeline:
    return build_timeline(
        [
            TimelineItem(
                key=a.pk,
                label=str(a),
                start=a.start,
                end=a.end,
                status=a.status,
                overdue=is_overdue(a, today),
            )
            for a in actions
        ],
        today,
    )


# Main targets first, dropped ones last.
MARKET_ORDER = [
    TargetMarket.Status.MAIN,
    TargetMarket.Status.ACTIVE,
    TargetMarket.Status.CANDIDATE,
    TargetMarket.Status.FALLBACK,
    TargetMarket.Status.DROPPED,
]


def target_markets(partnership: Partnership) -> list[TargetMarket]:
    markets = partnership.target_markets.all()
    return sorted(markets, key=lambda m: (MARKET_ORDER.index(m.status), m.country_name))


# --- KPIs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceFile:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class KpiReading:
    """A KPI's current value against its target, its history and how it was obtained."""

    kpi: Kpi
    value: Decimal | None
    period: Period
    how: str
    history: tuple[tuple[dt.date, Decimal], ...]
    latest: KpiValue | None = None

    @property
    def share(self) -> float | None:
        """Value as a fraction of the target (1.0: met), None without a target or value."""
        if self.value is None or not self.kpi.target:
            return None
        return float(self.value) / float(self.kpi.target)

    @property
    def met(self) -> bool | None:
        share = self.share
        return None if share is None else share >= 1

    @property
    def scale(self) -> float:
        """The largest of target, value and history: the full width of its charts."""
        figures = [float(v) for _day, v in self.history]
        figures += [float(x) for x in (self.value, self.kpi.target) if x is not None]
        return max(figures, default=0) or 1.0

    @property
    def bar_pct(self) -> str:
        return f"{float(self.value or 0) / self.scale * 100:.1f}%"

    @property
    def target_pct(self) -> str:
        return (
            "" if self.kpi.target is None else f"{float(self.kpi.target) / self.scale * 100:.1f}%"
        )

    @property
    def sparkline(self) -> str:
        """SVG polyline points of the history in a 100 × 24 box."""
        if len(self.history) < 2:
            return ""
        step = 100 / (len(self.history) - 1)
        return " ".join(
            f"{n * step:.1f},{24 - float(v) / self.scale * 22:.1f}"
            for n, (_day, v) in enumerate(self.history)
        )


def kpi_period(kpi: Kpi) -> Period:
    """The KPI's own period; its open sides fall back to the partnership's dates."""
    return Period(kpi.period_start or kpi.partnership.start, kpi.period_end or kpi.partnership.end)


def read_kpi(kpi: Kpi, today: dt.date) -> KpiReading:
    period = kpi_period(kpi)
    if kpi.is_computed:
        explanation = str(MEASURES[kpi.measure].explanation)
        points = measure_history(kpi.measure, kpi.partnership_id, period, today)
        history = tuple((day, Decimal(n)) for day, n in points)
        value = history[-1][1] if history else Decimal(0)
        return KpiReading(kpi, value, period, explanation, history)
    values = list(kpi.values.all())
    latest = max(values, key=lambda v: (v.as_of, v.entered_at), default=None)
    history = tuple((v.as_of, v.value) for v in sorted(values, key=lambda v: v.as_of))
    if latest is None:
        how = _("Entered by hand; no value yet.")
    else:
        # Who entered it is shown to members only, next to the evidence.
        how = _("Entered by hand for %(day)s, with evidence.") % {"day": latest.as_of.isoformat()}
    return KpiReading(kpi, latest.value if latest else None, period, how, history, latest)


def read_kpis(partnership: Partnership, today: dt.date) -> list[KpiReading]:
    kpis = partnership.kpis.select_related("partnership").prefetch_related("values")
    return [read_kpi(kpi, today) for kpi in kpis]


def save_kpi(kpi: Kpi) -> Kpi:
    """Check and save a KPI definition; a KPI with hand-entered values stays manual."""
    kpi.full_clean(exclude=["partnership"])
    if kpi.pk and kpi.is_computed and kpi.values.exists():
        raise ValidationError(
            {"source": _("This KPI has hand-entered values; a computed KPI cannot keep them.")}
        )
    kpi.save()
    return kpi


def _user_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@transaction.atomic
def record_kpi_value(
    kpi: Kpi,
    *,
    value: Decimal,
    as_of: dt.date,
    entered_by,
    evidence_url: str = "",
    document: EvidenceFile | None = None,
    note: str = "",
) -> KpiValue:
    """Record a hand-entered value; refused for a computed KPI or without evidence."""
    if kpi.is_computed:
        raise ValidationError(
            _("“%(kpi)s” is computed from the data; its value cannot be typed in.")
            % {"kpi": kpi.name}
        )
    if not evidence_url and document is None:
        raise ValidationError(
            {"evidence": _("Give the evidence for this value: a document or a link.")}
        )
    if document is not None and len(document.content) > MAX_EVIDENCE_BYTES:
        raise ValidationError({"evidence_document": _("The document is larger than 10 MB.")})
    entry = KpiValue(
        kpi=kpi,
        value=value,
        as_of=as_of,
        evidence_url=evidence_url,
        note=note,
        entered_by=entered_by,
        entered_by_name=_user_name(entered_by),
    )
    entry.full_clean(exclude=["kpi", "evidence_document", "entered_by"])
    if document is not None:
        entry.evidence_document = Evidence.objects.create(
            filename=document.filename[:255],
            content_type=document.content_type or "application/octet-stream",
            content=document.content,
            size=len(document.content),
        )
    entry.save()
    return entry
