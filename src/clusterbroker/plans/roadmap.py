"""The FOCUS roadmap questionnaire (seed 000): ten questions a cluster answers, versioned
by date, with the values ClusterBroker can already derive from its data."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from clusterbroker.registry.models import (
    Competence,
    Membership,
    Organisation,
    Participation,
    PartnershipMember,
    Position,
)

from .models import Kpi, RoadmapAnswer, RoadmapVersion


@dataclass(frozen=True)
class RoadmapQuestion:
    number: int
    topic: str
    text: str


QUESTIONS: tuple[RoadmapQuestion, ...] = tuple(
    RoadmapQuestion(n, str(topic), str(text))
    for n, topic, text in (
        (
            1,
            gettext_lazy("Capacities and ecosystem"),
            gettext_lazy("Where does the cluster start from?"),
        ),
        (
            2,
            gettext_lazy("Technology fields"),
            gettext_lazy(
                "In which technological fields does the cluster want to specialise or focus?"
            ),
        ),
        (
            3,
            gettext_lazy("Key partners"),
            gettext_lazy("With whom would the cluster like to cooperate?"),
        ),
        (4, gettext_lazy("Members"), gettext_lazy("Who is part of the cluster?")),
        (5, gettext_lazy("Cluster manager"), gettext_lazy("Who is leading the process?")),
        (6, gettext_lazy("Future"), gettext_lazy("Where does the cluster want to go?")),
        (
            7,
            gettext_lazy("Cooperation by technology"),
            gettext_lazy("With whom would the cluster like to cooperate, in which technologies?"),
        ),
        (
            8,
            gettext_lazy("Activities"),
            gettext_lazy(
                "Which activities does the cluster need to put in place to reach the scope?"
            ),
        ),
        (9, gettext_lazy("Exploitable results"), gettext_lazy("Which results could be exploited?")),
        (
            10,
            gettext_lazy("Measurement"),
            gettext_lazy("How does the cluster measure the activities?"),
        ),
    )
)
QUESTION_NUMBERS = frozenset(q.number for q in QUESTIONS)
LIST_LIMIT = 25


def _names(values: list[str]) -> str:
    shown = ", ".join(values[:LIST_LIMIT])
    more = len(values) - LIST_LIMIT
    return shown + (_(" and %(n)d more") % {"n": more} if more > 0 else "")


def derived_values(cluster: Organisation) -> dict[int, str]:
    """For the questions the data answers, what the data says; other questions are absent."""
    derived: dict[int, str] = {}
    member_names = list(
        Membership.objects.filter(cluster=cluster)
        .order_by("organisation__name")
        .values_list("organisation__name", flat=True)
    )
    figures = [
        _("%(n)d members recorded") % {"n": len(member_names)},
    ]
    if cluster.member_count:
        figures.append(_("%(n)d members declared") % {"n": cluster.member_count})
    if cluster.sme_member_count:
        figures.append(_("%(n)d SMEs declared") % {"n": cluster.sme_member_count})
    if cluster.main_thematic:
        figures.append(_("main thematic: %(t)s") % {"t": cluster.main_thematic})
    if cluster.region_id:
        figures.append(_("region: %(r)s") % {"r": cluster.region})
    derived[1] = "; ".join(figures)
    fields = [
        c.term.label_in()
        for c in Competence.objects.filter(organisation=cluster).select_related("term")
    ]
    if fields:
        derived[2] = _names(fields)
    partners = sorted(
        set(
            PartnershipMember.objects.filter(partnership__memberships__organisation=cluster)
            .exclude(organisation=cluster)
            .values_list("organisation__name", flat=True)
        )
        | set(
            Participation.objects.filter(project__participations__organisation=cluster)
            .exclude(organisation=cluster)
            .values_list("organisation__name", flat=True)
        )
    )
    if partners:
        derived[3] = _names(partners)
    if member_names:
        derived[4] = _names(member_names)
    managers = [
        str(p.person)
        for p in Position.objects.filter(
            organisation=cluster, role=Position.Role.MANAGER
        ).select_related("person")
    ]
    if managers:
        derived[5] = _names(managers)
    kpis = list(
        Kpi.objects.filter(partnership__memberships__organisation=cluster)
        .order_by("partnership__name", "position")
        .values_list("name", flat=True)
    )
    if kpis:
        derived[10] = _names(kpis)
    return derived


def latest_version(cluster: Organisation) -> RoadmapVersion | None:
    return cluster.roadmap_versions.prefetch_related("answers").first()


@transaction.atomic
def save_roadmap(
    cluster: Organisation, answers: dict[int, str], answered_on: dt.date, answered_by
) -> RoadmapVersion:
    """Store a new dated version of the cluster's answers; earlier versions are kept."""
    unknown = sorted(set(answers) - QUESTION_NUMBERS)
    if unknown:
        raise ValidationError(
            _("Unknown question numbers: %(n)s.") % {"n": ", ".join(map(str, unknown))}
        )
    if not any(text.strip() for text in answers.values()):
        raise ValidationError(_("Answer at least one question."))
    version = RoadmapVersion.objects.create(
        cluster=cluster, answered_on=answered_on, answered_by=answered_by
    )
    bulk_create_with_history(
        [
            RoadmapAnswer(version=version, question=number, text=text.strip())
            for number, text in sorted(answers.items())
        ],
        RoadmapAnswer,
        default_user=answered_by,
    )
    return version
