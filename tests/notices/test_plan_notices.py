"""`clusterbroker notify-overdue` tells the lead partner's people and the partnership's
managers of an overdue action, once per action and end date."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from clusterbroker.notifications.models import Notification
from clusterbroker.plans.models import OverdueNotice

from ..plans.factories import ActionFactory
from .helpers import notice, notified

pytestmark = pytest.mark.django_db


@pytest.fixture
def addresses(world):
    for user in (
        world.admin,
        world.partnership_manager,
        world.other_partnership_manager,
        world.cluster_manager,
        world.company_user,
        world.other_company_user,
    ):
        user.email = f"{user.username}@example.org"
        user.save()


def run(day: str, committed) -> str:
    out = StringIO()
    with committed():
        call_command("notify-overdue", "--on", day, stdout=out)
    return out.getvalue()


def test_an_overdue_action_is_reported_to_its_lead_and_the_plans_keepers(
    world, addresses, committed
):
    late = ActionFactory(
        partnership=world.partnership,
        title="Joint mission to Japan",
        lead=world.member_company,
        end=dt.date(2026, 3, 31),
        status="in_progress",
    )
    ActionFactory(partnership=world.partnership, end=dt.date(2026, 3, 1), status="done")
    ActionFactory(partnership=world.partnership, end=dt.date(2026, 3, 1), status="cancelled")
    ActionFactory(partnership=world.partnership, end=dt.date(2026, 4, 30))  # not yet due
    assert "0 overdue action(s)" in run("2026-03-31", committed)
    assert "1 overdue action(s) reported (2 notice(s))" in run("2026-04-01", committed)
    # The lead partner's editor and the partnership's manager; not the other member's
    # manager, not other partnerships, not admins.
    assert notified("action_overdue") == {world.company_user.pk, world.partnership_manager.pk}
    told = notice("action_overdue", world.company_user)
    assert "Joint mission to Japan" in told.title and "Alpine Motors" in told.title
    assert "31 March 2026" in told.body and "Precision Parts" in told.body
    assert told.url == "/plans/alpine-motors/"
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.company_user.email, world.partnership_manager.email]
    )
    # Idempotent: running again reports nothing again.
    assert "0 overdue action(s)" in run("2026-04-02", committed)
    assert Notification.objects.count() == 2 and len(mail.outbox) == 2
    # A new end date, missed again, is reported again.
    late.end = dt.date(2026, 4, 15)
    late.save()
    assert "1 overdue action(s)" in run("2026-04-20", committed)
    assert Notification.objects.count() == 4
    assert OverdueNotice.objects.filter(action=late).count() == 2


def test_a_lead_that_left_the_partnership_is_not_told(world, addresses, committed):
    ActionFactory(
        partnership=world.partnership,
        lead=world.other_company,  # not a member of this partnership
        end=dt.date(2026, 3, 31),
    )
    run("2026-04-01", committed)
    assert notified("action_overdue") == {world.partnership_manager.pk}


def test_a_bad_day_is_refused(db):
    with pytest.raises(CommandError, match="--on"):
        call_command("notify-overdue", "--on", "yesterday")
