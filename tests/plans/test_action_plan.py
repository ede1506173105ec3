"""The action plan: who leads what, what is late, and the timeline's layout."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from clusterbroker.plans import services
from clusterbroker.plans.models import Action, ActionStatus
from clusterbroker.plans.timeline import TimelineItem, build_timeline

from ..events.factories import EventFactory
from .factories import ActionFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 30)


def kinds(warnings) -> list[tuple[str, int | None]]:
    return sorted((w.kind, w.organisation_id or w.action_id) for w in warnings)


def test_a_member_that_leads_no_action_is_warned_about(world):
    ActionFactory(partnership=world.partnership, lead=world.cluster, end=dt.date(2026, 12, 31))
    warnings = services.action_plan_warnings(world.partnership, TODAY)
    assert kinds(warnings) == [("no_action_led", world.member_company.pk)]
    assert world.member_company.name in warnings[0].message


def test_a_cancelled_action_does_not_count_as_leading_one(world):
    ActionFactory(partnership=world.partnership, lead=world.cluster, status=ActionStatus.CANCELLED)
    ActionFactory(partnership=world.partnership, lead=world.member_company)
    warnings = services.action_plan_warnings(world.partnership, TODAY)
    assert kinds(warnings) == [("no_action_led", world.cluster.pk)]


def test_an_action_past_its_end_and_not_done_is_overdue(world):
    late = ActionFactory(
        partnership=world.partnership,
        lead=world.cluster,
        end=dt.date(2026, 6, 29),
        status=ActionStatus.IN_PROGRESS,
    )
    ActionFactory(
        partnership=world.partnership,
        lead=world.member_company,
        end=dt.date(2026, 1, 1),
        status=ActionStatus.DONE,
    )
    ActionFactory(partnership=world.partnership, lead=world.member_company, end=TODAY)
    warnings = services.action_plan_warnings(world.partnership, TODAY)
    assert kinds(warnings) == [("overdue", late.pk)]
    assert "2026-06-29" in warnings[0].message


def test_the_lead_partner_must_be_a_member(world):
    action = Action(partnership=world.partnership, title="Study visit", lead=world.other_company)
    with pytest.raises(ValidationError) as refused:
        services.save_action(action)
    assert "lead" in refused.value.message_dict
    assert not Action.objects.exists()


def test_contributors_and_events_must_belong_to_the_partnership(world):
    action = Action(partnership=world.partnership, title="Study visit", lead=world.cluster)
    foreign_event = EventFactory(partnership=world.other_partnership)
    with pytest.raises(ValidationError) as refused:
        services.save_action(action, contributors=[world.other_company], events=[foreign_event])
    assert set(refused.value.message_dict) == {"contributors", "events"}
    assert world.other_company.name in refused.value.message_dict["contributors"][0]


def test_an_action_cannot_end_before_it_starts(world):
    action = Action(
        partnership=world.partnership,
        title="Backwards",
        start=dt.date(2026, 5, 1),
        end=dt.date(2026, 4, 1),
    )
    with pytest.raises(ValidationError) as refused:
        services.save_action(action)
    assert "end" in refused.value.message_dict


def test_saving_numbers_actions_and_dates_their_completion(world):
    first = services.save_action(
        Action(partnership=world.partnership, title="Mapping", lead=world.cluster),
        contributors=[world.member_company],
        today=TODAY,
    )
    second = services.save_action(
        Action(
            partnership=world.partnership,
            title="Roadmap",
            lead=world.member_company,
            status=ActionStatus.DONE,
        ),
        today=TODAY,
    )
    assert (first.number, second.number) == (1, 2)
    assert list(first.contributors.all()) == [world.member_company]
    assert (first.completed_on, second.completed_on) == (None, TODAY)
    second.status = ActionStatus.IN_PROGRESS
    services.save_action(second, today=TODAY)
    assert second.completed_on is None


def test_the_timeline_places_bars_between_the_first_start_and_the_last_end():
    items = [
        TimelineItem(1, "A", dt.date(2026, 1, 1), dt.date(2026, 1, 31), "done", False),
        TimelineItem(2, "B", dt.date(2026, 2, 1), dt.date(2026, 3, 1), "planned", True),
        TimelineItem(3, "C", None, None, "planned", False),
    ]
    timeline = build_timeline(items, today=dt.date(2026, 2, 1))
    first, second = timeline.bars
    span = (dt.date(2026, 3, 2) - dt.date(2026, 1, 1)).days
    assert first.left == 0
    assert first.width == pytest.approx(31 / span)
    assert second.left == pytest.approx(31 / span)
    assert second.left + second.width == pytest.approx(1)
    assert timeline.today == pytest.approx(31 / span)
    # 1 March sits at the very right edge: its label would be cut off, so it is left out.
    assert [t.label for t in timeline.ticks] == ["Jan 2026", "Feb 2026"]
    assert [i.key for i in timeline.unscheduled] == [3]


def test_a_timeline_without_dates_has_no_bars():
    timeline = build_timeline([TimelineItem(1, "A", None, None, "planned", False)], TODAY)
    assert timeline.bars == () and timeline.today is None
