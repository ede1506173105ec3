"""The community tells people what concerns them: new matches of their saved searches, an
evaluation to do, scores due, the decision on their application."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from clusterbroker.community import alerts, services
from clusterbroker.community.evaluation import workflow
from clusterbroker.community.models import (
    AwardCall,
    CriteriaSection,
    CriteriaSet,
    Criterion,
    ScoreReminder,
    Status,
)
from clusterbroker.notifications.models import Notification
from clusterbroker.registry.models import Position

from ..community.factories import OpenCallFactory
from ..factories import OrganisationFactory, PersonFactory, PositionFactory, UserFactory
from .helpers import mails_to, notice, notified

pytestmark = pytest.mark.django_db


# --- saved searches ------------------------------------------------------------------------


def test_a_new_match_tells_the_owner_of_the_saved_search(committed):
    watcher = UserFactory(email="watcher@example.org")
    quiet = UserFactory(email="quiet@example.org")
    author = UserFactory(email="author@example.org")
    manager = UserFactory(is_superuser=True, email="manager@example.org")
    alerts.save_search(watcher, "Hydrogen", "hydrogen", {})
    alerts.save_search(quiet, "Hydrogen too", "hydrogen", {}, email=False)
    alerts.save_search(author, "My own", "hydrogen", {})
    call = OpenCallFactory(title="Green hydrogen storage", status=Status.DRAFT, author=author)
    with committed():
        services.change_status(call, manager, "publish")
    # The owner who asked for alerts by e-mail; not the one who did not (the alert waits on
    # their alerts page), not the author of the item.
    assert notified("saved_search_match") == {watcher.pk}
    told = notice("saved_search_match", watcher)
    assert "Hydrogen" in told.title and "Green hydrogen storage" in told.title
    assert told.url == f"/community/calls/{call.pk}/"
    assert [m.to for m in mail.outbox] == [["watcher@example.org"]]
    assert quiet.saved_searches.get().alerts.count() == 1


def test_the_batch_check_tells_each_new_match_once(committed):
    watcher = UserFactory(email="watcher@example.org")
    saved = alerts.save_search(watcher, "Laser", "laser", {})
    OpenCallFactory(title="Laser welding call")
    OpenCallFactory(title="Laser cladding call")
    with committed():
        call_command("send_search_alerts")
    told = notice("saved_search_match", watcher)
    assert "2 new matches" in told.title and told.url == "/community/alerts/"
    assert "Laser welding call" in told.body and "Laser cladding call" in told.body
    assert len(mails_to("watcher@example.org")) == 1
    saved.checked_at = saved.created_at  # check the same period again: nothing new
    saved.save()
    with committed():
        alerts.check_saved_search(saved)
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


# --- evaluation ----------------------------------------------------------------------------


@pytest.fixture
def label_call(world):
    criteria = CriteriaSet.objects.create(slug="sae", name="I4MS-SAE")
    section = CriteriaSection.objects.create(criteria_set=criteria, name="Performance")
    Criterion.objects.create(section=section, name="Highly innovative", weight=2)
    today = timezone.localdate()
    call = AwardCall.objects.create(
        slug="sae-2026",
        name="I4MS-SAE label",
        criteria_set=criteria,
        opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=5),
        scores_due_on=today + dt.timedelta(days=20),
    )
    call.managers.add(world.partnership_manager)
    return call


def independent_evaluator(email: str):
    person = PersonFactory(user=UserFactory(email=email))
    PositionFactory(person=person, organisation=OrganisationFactory(name="Independent Lab"))
    return person.user


@pytest.fixture
def application(world, label_call):
    for user in (world.company_user, world.partnership_manager):
        user.email = f"{user.username}@example.org"
        user.save()
    return workflow.submit_application(
        label_call, world.member_company, world.company_user, "Cloud welding", "Our experiment."
    )


def test_assigning_an_evaluator_tells_them(world, application, committed):
    evaluator = independent_evaluator("evaluator@example.org")
    # The call's manager keeps the lab's profile, so its people are in the evaluator list.
    lab = evaluator.person.positions.get().organisation
    PositionFactory(
        person=world.partnership_manager.person, organisation=lab, role=Position.Role.EDITOR
    )
    with committed():
        response = world.client(world.partnership_manager).post(
            application.get_absolute_url(), {"action": "assign", "evaluator": evaluator.pk}
        )
    assert response.status_code == 302
    assert notified("evaluator_assigned") == {evaluator.pk}
    told = notice("evaluator_assigned", evaluator)
    assert "Cloud welding" in told.title and "I4MS-SAE label" in told.title
    assert "Precision Parts" in told.body and "due by" in told.body
    assert told.url == application.get_absolute_url()
    assert [m.to for m in mail.outbox] == [["evaluator@example.org"]]
    # Assigning the same evaluator again tells nobody again.
    with committed():
        workflow.assign_by_login(application, evaluator.username, world.partnership_manager)
    assert Notification.objects.count() == 1


def test_a_refused_assignment_tells_nobody(world, application, committed):
    colleague = PositionFactory(organisation=world.member_company).person.user
    with committed():
        response = world.client(world.partnership_manager).post(
            application.get_absolute_url(), {"action": "assign", "evaluator": colleague.pk}
        )
    # A colleague of the applicant is not in the list (conflict of interest): nothing assigned.
    assert response.status_code == 422
    assert not Notification.objects.exists() and not mail.outbox


def test_the_decision_tells_the_applicants_people(world, application, committed):
    second_editor = PositionFactory(
        organisation=world.member_company,
        role=Position.Role.EDITOR,
        person=PersonFactory(user=UserFactory(email="editor2@example.org")),
    ).person.user
    contact = PositionFactory(
        organisation=world.member_company,
        person=PersonFactory(user=UserFactory(email="contact@example.org")),
    ).person.user
    evaluator = independent_evaluator("evaluator@example.org")
    assignment = workflow.assign_evaluator(application, evaluator, world.partnership_manager)
    [criterion] = workflow.criteria_of(application.call)
    workflow.record_scores(assignment, evaluator, {criterion.pk: (5, "")})
    workflow.record_consensus(application, world.partnership_manager, "Strong")
    Notification.objects.all().delete()
    with committed():
        response = world.client(world.partnership_manager).post(
            application.get_absolute_url(),
            {"action": "decide", "awarded": "yes", "note": "Well deserved."},
        )
    assert response.status_code == 302
    # The submitter and the applicant's own editors; not a contact, not the evaluator, not
    # the manager who decided.
    assert notified("application_decision") == {world.company_user.pk, second_editor.pk}
    told = notice("application_decision", world.company_user)
    assert "I4MS-SAE label awarded to Precision Parts" == told.title
    assert "Well deserved." in told.body and "100.00" in told.body
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.company_user.email, "editor2@example.org"]
    )
    assert not mails_to("contact@example.org") and contact.pk not in notified(
        "application_decision"
    )


# --- scores due ----------------------------------------------------------------------------


def test_scores_due_reminds_missing_scores_once_per_window(world, application, committed):
    call = application.call
    late, done = (independent_evaluator(f"{n}@example.org") for n in ("late", "done"))
    workflow.assign_evaluator(application, late, world.partnership_manager)
    submitted = workflow.assign_evaluator(application, done, world.partnership_manager)
    [criterion] = workflow.criteria_of(call)
    workflow.record_scores(submitted, done, {criterion.pk: (4, "")})
    Notification.objects.all().delete()
    mail.outbox.clear()
    due = call.scores_due_on

    def run(day: dt.date):
        with committed():
            call_command("notify-scores-due", "--on", day.isoformat())

    run(due - dt.timedelta(days=10))  # too early: nothing
    assert not Notification.objects.exists()
    run(due - dt.timedelta(days=3))
    assert notified("scores_due") == {late.pk}
    soon = notice("scores_due", late)
    assert "due by" in soon.title and "Cloud welding" in soon.title
    run(due - dt.timedelta(days=2))  # the same window: nothing again
    run(due)
    assert Notification.objects.filter(kind="scores_due").count() == 1
    run(due + dt.timedelta(days=1))  # overdue: one more reminder
    run(due + dt.timedelta(days=5))
    reminders = Notification.objects.filter(kind="scores_due", recipient=late)
    assert reminders.count() == 2 and "were due on" in reminders.first().title
    assert [m.to for m in mail.outbox] == [["late@example.org"]] * 2
    assert ScoreReminder.objects.count() == 2


def test_no_reminder_for_a_decided_application_or_without_a_due_date(world, label_call, committed):
    evaluator = independent_evaluator("evaluator@example.org")
    undated = AwardCall.objects.create(
        slug="no-date",
        name="Undated",
        criteria_set=label_call.criteria_set,
        opens_on=label_call.opens_on,
        closes_on=label_call.closes_on,
    )
    undated.managers.add(world.partnership_manager)
    for call in (label_call, undated):
        application = workflow.submit_application(
            call, world.member_company, world.company_user, f"For {call.slug}", "x"
        )
        workflow.assign_evaluator(application, evaluator, world.partnership_manager)
    label_call.applications.update(decided_at=timezone.now(), state="decided")
    Notification.objects.all().delete()
    with committed():
        call_command("notify-scores-due", "--on", label_call.scores_due_on.isoformat())
    assert not Notification.objects.exists()
