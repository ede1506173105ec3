"""Scheduling runs as background tasks: done at once by default, queued for a worker
in production, with their summary kept and shown on the page and in the API."""

import pytest
from django.core.management import call_command

from clusterbroker.events.models import Meeting, SchedulingRun

from ..factories import UserFactory
from .factories import (
    EventFactory,
    MeetingRequestFactory,
    SessionFactory,
    client_for,
    organiser_client,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    event = EventFactory(tables=2)
    SessionFactory(event=event)
    MeetingRequestFactory(requester__event=event)
    return event


@pytest.fixture
def organiser(event):
    return organiser_client(event)


def test_api_run_comes_back_done_with_its_summary(event, organiser):
    response = organiser.post(
        f"/api/events/{event.slug}/schedule",
        {"mode": "exact"},
        content_type="application/json",
    )
    assert response.status_code == 200
    run = response.json()
    assert run["status"] == "done"
    assert run["summary"]["placed_count"] == 1 == run["summary"]["upper_bound"]
    again = organiser.get(f"/api/events/{event.slug}/schedule/runs/{run['id']}").json()
    assert again["summary"] == run["summary"]
    outsider = client_for(UserFactory())
    assert outsider.get(f"/api/events/{event.slug}/schedule/runs/{run['id']}").status_code == 403


@pytest.mark.django_db(transaction=True)  # the worker closes its database connection
def test_with_a_database_queue_the_worker_does_the_run(event, organiser, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    organiser.post(f"/events/{event.slug}/schedule/", {"mode": "fast"})
    run = SchedulingRun.objects.get()
    assert run.status == SchedulingRun.Status.QUEUED and not Meeting.objects.exists()
    polled = organiser.get(f"/events/{event.slug}/schedule/?part=run", HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in polled.content.decode()
    call_command("db_worker", "--batch", "--no-startup-delay")
    run.refresh_from_db()
    assert run.status == SchedulingRun.Status.DONE and run.summary["placed_count"] == 1
    assert Meeting.objects.count() == 1
    done = organiser.get(f"/events/{event.slug}/schedule/?part=run", HTTP_HX_REQUEST="true")
    assert "every 2s" not in done.content.decode()
    assert "1 of 1 accepted meetings placed" in done.content.decode()


def test_a_failed_run_says_why():
    event = EventFactory()  # no session: nothing to schedule into
    user = UserFactory()
    event.organisers.add(user)
    page = client_for(user).post(f"/events/{event.slug}/schedule/", {"mode": "auto"}, follow=True)
    run = SchedulingRun.objects.get(event=event)
    assert run.status == SchedulingRun.Status.FAILED and "no meeting slot" in run.error
    assert "no meeting slot" in page.content.decode()
