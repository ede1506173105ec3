"""Computed KPIs count what the data holds over the partnership and the period; hand-entered
KPIs need evidence and cannot be computed ones."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clusterbroker.events.models import Meeting
from clusterbroker.plans import services
from clusterbroker.plans.kpis import Period, compute_measure, history_points
from clusterbroker.plans.models import ActionStatus

from ..events.factories import (
    EventFactory,
    MeetingRequestFactory,
    ParticipantFactory,
    SessionFactory,
)
from ..factories import (
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
)
from .factories import ActionFactory, ComputedKpiFactory, ManualKpiFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 30)
YEAR_2025 = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def held_event(partnership, day: dt.date, **kwargs):
    event = EventFactory(
        partnership=partnership,
        start_date=day,
        end_date=day,
        registration_deadline=timezone.make_aware(dt.datetime.combine(day, dt.time(8))),
        **kwargs,
    )
    SessionFactory(event=event)
    return event


def meeting(event, happened: bool | None = True, outcome: str = "", requester=None, requested=None):
    """A scheduled meeting at `event` between two (new or given) participants."""
    extra = {}
    if requester is not None:
        extra["requester"] = requester
    if requested is not None:
        extra["requested"] = requested
    request = (
        MeetingRequestFactory(requester__event=event, **extra)
        if not extra
        else (MeetingRequestFactory(event=event, **extra))
    )
    session = event.sessions.first()
    count = Meeting.objects.filter(session=session).count()
    return Meeting.objects.create(
        request=request,
        session=session,
        start=session.start,
        end=session.start + dt.timedelta(minutes=20),
        table=count + 1,
        happened=happened,
        outcome=outcome,
    )


def count(measure: str, partnership, period: Period = YEAR_2025) -> int:
    return compute_measure(measure, partnership.pk, period, today=TODAY)


def test_adding_an_event_with_held_meetings_moves_the_kpi(world):
    kpi = ComputedKpiFactory(
        partnership=world.partnership,
        measure="meetings_held",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
    )
    before = services.read_kpi(kpi, TODAY).value
    event = held_event(world.partnership, dt.date(2025, 5, 20))
    meeting(event)
    meeting(event)
    meeting(event, happened=False)
    assert before == 0
    assert services.read_kpi(kpi, TODAY).value == 2


def test_computed_measures_match_a_hand_counted_fixture(world):
    p = world.partnership
    # Two events held in 2025, one in 2024 (outside), one of another partnership, one future.
    spring = held_event(p, dt.date(2025, 3, 10))
    autumn = held_event(p, dt.date(2025, 10, 2))
    held_event(p, dt.date(2024, 11, 5))
    held_event(world.other_partnership, dt.date(2025, 4, 1))
    EventFactory(partnership=p, start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 9, 1))
    german = OrganisationFactory(country="DE")
    spanish = OrganisationFactory(country="ES")
    # Spring: 3 meetings held (one agreement), one not held; 4 organisations, one German.
    a = ParticipantFactory(event=spring, organisation=world.member_company)
    b = ParticipantFactory(event=spring, organisation=german)
    c = ParticipantFactory(event=spring, organisation=world.cluster_member)
    d = ParticipantFactory(event=spring)
    meeting(spring, outcome="agreement", requester=a, requested=b)
    meeting(spring, outcome="follow_up", requester=a, requested=c)
    meeting(spring, requester=b, requested=c)
    meeting(spring, happened=False, requester=a, requested=d)
    # Autumn: the German company again (counted once) and a Spanish one; 1 agreement.
    e = ParticipantFactory(event=autumn, organisation=german)
    f = ParticipantFactory(event=autumn, organisation=spanish)
    meeting(autumn, outcome="agreement", requester=e, requested=f)

    assert count("events_held", p) == 2
    assert count("meetings_held", p) == 4
    assert count("agreements_signed", p) == 2
    assert count("organisations_took_part", p) == 5  # member, German, cluster member, d, Spanish
    assert count("foreign_organisations", p) == 2  # members are French: German and Spanish


def test_projects_members_and_actions_are_counted_in_the_period(world):
    p = world.partnership
    in_period = ProjectFactory(start=dt.date(2025, 2, 1))
    ParticipationFactory(project=in_period, organisation=world.member_company)
    ParticipationFactory(project=in_period, organisation=world.cluster_member)
    through_cluster = ProjectFactory(start=dt.date(2025, 7, 1))
    ParticipationFactory(project=through_cluster, organisation=world.cluster_member)
    ParticipationFactory(
        project=ProjectFactory(start=dt.date(2024, 7, 1)), organisation=world.member_company
    )
    ParticipationFactory(
        project=ProjectFactory(start=dt.date(2025, 7, 1)), organisation=world.other_company
    )
    MembershipFactory(cluster=world.cluster, since=dt.date(2025, 4, 1))
    MembershipFactory(cluster=world.cluster, since=dt.date(2023, 4, 1))
    MembershipFactory(since=dt.date(2025, 4, 1))  # another cluster, not a member
    ActionFactory(partnership=p, status=ActionStatus.DONE, completed_on=dt.date(2025, 6, 1))
    ActionFactory(partnership=p, status=ActionStatus.DONE, completed_on=dt.date(2026, 1, 5))
    ActionFactory(partnership=p, status=ActionStatus.IN_PROGRESS)

    assert count("projects_started", p) == 2
    assert count("members_added", p) == 1
    assert count("actions_completed", p) == 1


def test_kpi_period_falls_back_to_the_partnership_dates(world):
    world.partnership.start, world.partnership.end = dt.date(2025, 1, 1), dt.date(2025, 6, 30)
    world.partnership.save()
    kpi = ComputedKpiFactory(partnership=world.partnership, measure="events_held")
    held_event(world.partnership, dt.date(2025, 2, 1))
    held_event(world.partnership, dt.date(2025, 8, 1))
    reading = services.read_kpi(kpi, TODAY)
    assert reading.period == Period(dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert reading.value == 1
    assert reading.history[-1] == (dt.date(2025, 6, 30), 1)
    assert reading.history[0] == (dt.date(2025, 1, 31), 0)


def test_history_points_are_month_ends_thinned_to_a_maximum():
    points = history_points(Period(dt.date(2024, 1, 15), dt.date(2025, 12, 31)), TODAY, most=12)
    assert len(points) == 12
    assert points[-1] == dt.date(2025, 12, 31)
    assert points[0] == dt.date(2024, 2, 29)
    assert history_points(Period(dt.date(2027, 1, 1), None), TODAY) == []


def test_a_hand_entered_value_without_evidence_is_refused(world, django_user_model):
    kpi = ManualKpiFactory(partnership=world.partnership)
    with pytest.raises(ValidationError) as refused:
        services.record_kpi_value(
            kpi, value=Decimal(3), as_of=TODAY, entered_by=world.partnership_manager
        )
    assert "evidence" in refused.value.message_dict
    assert kpi.values.count() == 0


def test_a_hand_entered_value_keeps_its_evidence_and_who_entered_it(world):
    kpi = ManualKpiFactory(partnership=world.partnership, target=10)
    services.record_kpi_value(
        kpi,
        value=Decimal(31),
        as_of=dt.date(2025, 11, 1),
        entered_by=world.partnership_manager,
        document=services.EvidenceFile("final-report.pdf", "application/pdf", b"%PDF-1.4"),
    )
    reading = services.read_kpi(kpi, TODAY)
    assert reading.value == 31
    assert reading.share == pytest.approx(3.1)
    assert bytes(reading.latest.evidence_document.content) == b"%PDF-1.4"
    assert reading.latest.entered_by == world.partnership_manager
    assert reading.latest.entered_by_name == world.partnership_manager.get_username()


def test_a_computed_kpi_cannot_be_typed_in(world):
    kpi = ComputedKpiFactory(partnership=world.partnership)
    with pytest.raises(ValidationError):
        services.record_kpi_value(
            kpi,
            value=Decimal(99),
            as_of=TODAY,
            entered_by=world.partnership_manager,
            evidence_url="https://example.org/report",
        )
    assert kpi.values.count() == 0


def test_a_computed_kpi_needs_a_measure_and_a_manual_one_none(world):
    with pytest.raises(ValidationError) as missing:
        services.save_kpi(ComputedKpiFactory.build(partnership=world.partnership, measure=""))
    assert "measure" in missing.value.message_dict
    with pytest.raises(ValidationError):
        services.save_kpi(
            ManualKpiFactory.build(partnership=world.partnership, measure="events_held")
        )


def test_a_kpi_with_hand_entered_values_cannot_become_computed(world):
    kpi = ManualKpiFactory(partnership=world.partnership)
    services.record_kpi_value(
        kpi, value=Decimal(1), as_of=TODAY, entered_by=None, evidence_url="https://example.org/"
    )
    kpi.source, kpi.measure = "computed", "events_held"
    with pytest.raises(ValidationError) as refused:
        services.save_kpi(kpi)
    assert "source" in refused.value.message_dict
