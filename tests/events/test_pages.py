"""The event pages render and do what they say: list, event, catalogue, registration,
requests, agenda (page, printable, .ics), grid, export, outcomes and figures."""

import datetime as dt
import io
import re

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from clusterbroker.events.models import Event, Meeting, MeetingRequest, Participant
from clusterbroker.registry.models import Organisation

from ..factories import TermFactory, UserFactory
from .factories import (
    EventFactory,
    MeetingRequestFactory,
    ParticipantFactory,
    SessionFactory,
    client_for,
)

pytestmark = pytest.mark.django_db


def field_paragraph(body: str, name: str) -> str:
    """The form's `<p>` holding the input called `name`: its label, widget and errors."""
    for paragraph in re.findall(r"<p>.*?</p>", body, flags=re.S):
        if f'name="{name}"' in paragraph:
            return paragraph
    raise AssertionError(f"no field {name} in the page")


@pytest.fixture
def event():
    event = EventFactory(name="Matchmaking Lyon")
    SessionFactory(event=event)
    return event


@pytest.fixture
def scheduled(event):
    request = MeetingRequestFactory(requester__event=event)
    session = event.sessions.get()
    meeting = Meeting.objects.create(
        request=request,
        session=session,
        start=session.start,
        end=session.start + dt.timedelta(minutes=20),
        table=1,
    )
    return request, meeting


# ---------------------------------------------------------------- list, event, figures


def test_navigation_links_to_the_events(db, client):
    assert 'href="/events/"' in client.get("/").content.decode()


def test_event_list_and_event_page_are_public(event, client):
    listing = client.get("/events/")
    assert listing.status_code == 200
    assert "Matchmaking Lyon" in listing.content.decode()
    page = client.get(f"/events/{event.slug}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Morning" in body and "Log in to register" in body
    assert 'data-figure="participants">0<' in body


def test_unknown_event_is_404(db, client):
    assert client.get("/events/no-such-event/").status_code == 404


def test_event_page_shows_the_figures(event, scheduled, client):
    _request, meeting = scheduled
    meeting.happened, meeting.outcome = True, "agreement"
    meeting.save()
    body = client.get(f"/events/{event.slug}/").content.decode()
    for name, value in [
        ("participants", 2),
        ("requests", 1),
        ("accepted", 1),
        ("scheduled", 1),
        ("held", 1),
        ("agreements", 1),
    ]:
        assert f'data-figure="{name}">{value}<' in body


def test_partnership_manager_creates_an_event_for_their_partnership_only(world):
    client = client_for(world.partnership_manager)
    form = client.get("/events/new/").context["form"]
    assert list(form.fields["partnership"].queryset) == [world.partnership]
    data = {
        "name": "Matchmaking Oyonnax",
        "partnership": world.other_partnership.pk,
        "venue": "Oyonnax",
        "start_date": "2031-05-06",
        "end_date": "2031-05-06",
        "tables": 20,
        "registration_deadline": "2031-05-01T18:00",
        "max_requests": 20,
        "max_meetings": 12,
    }
    refused = client.post("/events/new/", data)
    assert refused.status_code == 400
    assert "partnership" in refused.context["form"].errors
    response = client.post("/events/new/", data | {"partnership": world.partnership.pk})
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/events/{event.slug}/"
    assert list(event.organisers.all()) == [world.partnership_manager]


def test_event_form_names_the_wrong_fields(world):
    response = client_for(world.admin).post(
        "/events/new/",
        {
            "name": "Backwards",
            "start_date": "2031-05-06",
            "end_date": "2031-05-01",
            "registration_deadline": "2031-05-01T18:00",
            "max_requests": 20,
            "max_meetings": 12,
        },
    )
    errors = response.context["form"].errors
    assert response.status_code == 400
    assert "before the first day" in errors["end_date"][0]
    assert "needs a number of tables" in errors["tables"][0]


def test_organiser_adds_a_session_and_overlaps_are_refused(event):
    organiser = UserFactory()
    event.organisers.add(organiser)
    client = client_for(organiser)
    day = event.start_date.isoformat()
    added = client.post(
        f"/events/{event.slug}/sessions/",
        {
            "name": "Afternoon",
            "start": f"{day}T14:00",
            "end": f"{day}T16:00",
            "meeting_minutes": 30,
            "break_minutes": 0,
        },
    )
    assert added.status_code == 302
    assert event.sessions.count() == 2
    overlapping = client.post(
        f"/events/{event.slug}/sessions/",
        {
            "name": "Late morning",
            "start": f"{day}T09:30",
            "end": f"{day}T11:00",
            "meeting_minutes": 20,
            "break_minutes": 5,
        },
    )
    assert overlapping.status_code == 400
    assert "overlaps" in overlapping.context["session_form"].errors["start"][0]
    assert "overlaps" in field_paragraph(overlapping.content.decode(), "start")
    elsewhere = client.post(
        f"/events/{event.slug}/sessions/",
        {
            "name": "Too late",
            "start": "2099-01-01T09:00",
            "end": "2099-01-01T10:00",
            "meeting_minutes": 20,
            "break_minutes": 5,
        },
    )
    assert "day of the event" in elsewhere.context["session_form"].errors["start"][0]


# ---------------------------------------------------------------- registration


def test_registration_form_shows_errors_next_to_the_fields(event):
    client = client_for(UserFactory())
    response = client.post(
        f"/events/{event.slug}/register/", {"new_name": "", "offers": "", "new_country": ""}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "errorlist" in field_paragraph(body, "offers")
    assert "errorlist" in field_paragraph(body, "sessions")
    assert "name a new one" in field_paragraph(body, "new_name")
    response = client.post(
        f"/events/{event.slug}/register/",
        {"new_name": "Narnian Works", "new_country": "Narnia", "offers": "Wardrobes"},
    )
    assert "Unknown country" in field_paragraph(response.content.decode(), "new_country")
    assert not Participant.objects.exists()


def test_registration_with_an_own_organisation_and_editing_it(world, event):
    client = client_for(world.company_user)
    form = client.get(f"/events/{event.slug}/register/").context["form"]
    assert list(form.fields["organisation"].queryset) == [world.member_company]
    data = {
        "organisation": world.member_company.pk,
        "offers": "Five-axis machining",
        "sessions": [event.sessions.get().pk],
        "terms": [TermFactory().pk],
    }
    assert client.post(f"/events/{event.slug}/register/", data).status_code == 302
    participant = Participant.objects.get()
    assert (participant.user, participant.terms.count()) == (world.company_user, 1)
    edit = client.get(f"/events/{event.slug}/register/")
    assert edit.context["form"].initial["offers"] == "Five-axis machining"
    client.post(f"/events/{event.slug}/register/", data | {"offers": "Grinding"})
    assert Participant.objects.get().offers == "Grinding"


def test_a_new_organisation_then_a_second_one_each_registered(event):
    user = UserFactory()
    client = client_for(user)
    data = {
        "new_name": "First Start-up",
        "new_kind": "company",
        "new_country": "PT",
        "offers": "Vision",
        "sessions": [event.sessions.get().pk],
    }
    assert client.post(f"/events/{event.slug}/register/", data).status_code == 302
    # The organisation made on the fly stays selectable when the user edits the registration.
    form = client.get(f"/events/{event.slug}/register/").context["form"]
    assert [o.name for o in form.fields["organisation"].queryset] == ["First Start-up"]
    second = client.post(f"/events/{event.slug}/register/", data | {"new_name": "Second"})
    assert second.status_code == 302
    # One person may register several organisations, each with its own registration.
    assert sorted(
        Participant.objects.filter(user=user).values_list("organisation__name", flat=True)
    ) == ["First Start-up", "Second"]


def test_registration_after_the_deadline_says_so(event):
    event.registration_deadline = event.registration_deadline.replace(year=2000)
    event.save()
    client = client_for(UserFactory())
    page = client.get(f"/events/{event.slug}/register/")
    assert "Registration closed" in page.content.decode()
    response = client.post(
        f"/events/{event.slug}/register/",
        {
            "new_name": "Late Ltd",
            "new_kind": "company",
            "new_country": "FR",
            "offers": "x",
            "sessions": [event.sessions.get().pk],
        },
    )
    assert response.status_code == 400
    assert "closed on" in response.content.decode()
    assert not Organisation.objects.filter(name="Late Ltd").exists()


# ---------------------------------------------------------------- catalogue


def test_catalogue_searches_filters_and_pages(event):
    me = ParticipantFactory(event=event, organisation__country="FI", offers="Sawmills")
    term = TermFactory(label="Additive manufacturing")
    printer = ParticipantFactory(event=event, organisation__kind="rto", offers="3D printing")
    printer.terms.add(term)
    ParticipantFactory.create_batch(30, event=event, organisation__country="AT")
    client = client_for(me.user)

    def names(query: str) -> list[int]:
        page = client.get(f"/events/{event.slug}/participants/?{query}").context["page"]
        return [p.pk for p in page]

    assert names("q=PRINTING") == [printer.pk]
    assert names("kind=rto") == [printer.pk]
    assert names(f"term={term.pk}") == [printer.pk]
    assert names("term=not-a-number") != []
    first = client.get(f"/events/{event.slug}/participants/?country=AT")
    second = client.get(f"/events/{event.slug}/participants/?country=AT&page=2")
    assert len(first.context["page"]) == 25 and len(second.context["page"]) == 5
    assert "country=AT&amp;page=2" in first.content.decode()


@pytest.mark.parametrize("value", ["%C2%B2", "%D9%A3", "1" * 25, str(2**63), "0", "-1", "abc"])
def test_catalogue_ignores_a_technology_that_is_not_an_id_and_says_so(event, value):
    me = ParticipantFactory(event=event)
    response = client_for(me.user).get(f"/events/{event.slug}/participants/?term={value}")
    assert response.status_code == 200
    assert [p.pk for p in response.context["page"]] == [me.pk]
    assert "is not a technology of the list; it is ignored" in response.content.decode()


def test_catalogue_search_with_a_very_long_text_is_cut_not_an_error(event):
    me = ParticipantFactory(event=event, offers="x" * 300)
    response = client_for(me.user).get(f"/events/{event.slug}/participants/?q={'x' * 60_000}")
    assert response.status_code == 200
    assert [p.pk for p in response.context["page"]] == [me.pk]


def test_catalogue_search_as_you_type_returns_the_results_only(event):
    me = ParticipantFactory(event=event)
    other = ParticipantFactory(event=event, offers="Industrial vision systems")
    response = client_for(me.user).get(
        f"/events/{event.slug}/participants/?q=vision",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="results",
    )
    body = response.content.decode()
    assert other.organisation.name in body and "Request a meeting" in body
    assert "<html" not in body


# ---------------------------------------------------------------- requests


def test_request_accept_decline_and_withdraw_on_pages(event):
    a, b, c = (ParticipantFactory(event=event) for _ in range(3))
    client_a, client_b = client_for(a.user), client_for(b.user)
    sent = client_a.post(
        f"/events/{event.slug}/participants/{b.pk}/", {"priority": 3, "message": "Let us talk"}
    )
    assert sent.status_code == 302 and sent["Location"] == f"/events/{event.slug}/requests/"
    request = MeetingRequest.objects.get(requester=a)
    assert (request.priority, request.status) == (3, "pending")
    page = client_b.get(f"/events/{event.slug}/requests/")
    assert [r.pk for r in page.context["received"]] == [request.pk]
    assert "Let us talk" in page.content.decode()
    client_b.post(f"/events/{event.slug}/requests/{request.pk}/accept/")
    request.refresh_from_db()
    assert request.status == "accepted"
    declined = MeetingRequestFactory(requester=c, requested=b, status="pending")
    client_b.post(f"/events/{event.slug}/requests/{declined.pk}/decline/")
    declined.refresh_from_db()
    assert declined.status == "declined"
    client_a.post(f"/events/{event.slug}/requests/{request.pk}/withdraw/")
    request.refresh_from_db()
    assert request.status == "withdrawn"
    again = client_a.post(f"/events/{event.slug}/requests/{request.pk}/withdraw/", follow=True)
    assert "no longer active" in again.content.decode()


def test_request_form_names_a_wrong_priority(event):
    a, b = ParticipantFactory(event=event), ParticipantFactory(event=event)
    response = client_for(a.user).post(
        f"/events/{event.slug}/participants/{b.pk}/", {"priority": 9}
    )
    assert response.status_code == 400
    assert "priority" in response.context["form"].errors
    assert not MeetingRequest.objects.exists()


def test_unknown_request_action_is_404(event):
    request = MeetingRequestFactory(requester__event=event, status="pending")
    response = client_for(request.requested.user).post(
        f"/events/{event.slug}/requests/{request.pk}/approve/"
    )
    assert response.status_code == 404


def test_requests_page_sends_unregistered_users_to_registration(event):
    response = client_for(UserFactory()).get(f"/events/{event.slug}/requests/")
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.slug}/register/"


# ---------------------------------------------------------------- agenda


def test_agenda_page_printable_view_and_ics(event, scheduled):
    request, meeting = scheduled
    client = client_for(request.requester.user)
    page = client.get(f"/events/{event.slug}/agenda/")
    body = page.content.decode()
    assert request.requested.organisation.name in body
    assert "provisional" in body and "?print=1" in body and "agenda.ics" in body
    printable = client.get(f"/events/{event.slug}/agenda/?print=1")
    body = printable.content.decode()
    assert printable.status_code == 200
    assert request.requested.organisation.name in body
    assert "<nav" not in body
    ics = client.get(f"/events/{event.slug}/agenda.ics")
    assert 'filename="' in ics["Content-Disposition"]
    entries = list(Calendar.from_ical(ics.content).walk("VEVENT"))
    assert [e.decoded("dtend") for e in entries] == [meeting.end]
    assert str(entries[0]["uid"]) == f"meeting-{meeting.pk}@clusterbroker"


def test_agenda_of_an_unregistered_user_is_404(event):
    assert client_for(UserFactory()).get(f"/events/{event.slug}/agenda/").status_code == 404


@pytest.mark.parametrize("value", ["x", "%C2%B2", "%D9%A3", "", "1" * 25, str(2**63), "-1"])
@pytest.mark.parametrize("page", ["agenda/", "agenda.ics"])
def test_agenda_with_a_malformed_participant_is_404(event, scheduled, page, value):
    request, _meeting = scheduled
    response = client_for(request.requester.user).get(
        f"/events/{event.slug}/{page}?participant={value}"
    )
    assert response.status_code == 404


# ---------------------------------------------------------------- organisers


@pytest.fixture
def organiser(event):
    user = UserFactory()
    event.organisers.add(user)
    return user


def test_grid_shows_the_meetings_by_slot_and_table(event, scheduled, organiser):
    request, _meeting = scheduled
    page = client_for(organiser).get(f"/events/{event.slug}/schedule/")
    body = page.content.decode()
    assert page.status_code == 200
    assert f"{request.requester.organisation.name} · {request.requested.organisation.name}" in body
    assert "Run the scheduler" in body


def test_schedule_form_names_an_unknown_method(event, organiser):
    response = client_for(organiser).post(f"/events/{event.slug}/schedule/", {"mode": "magic"})
    assert response.status_code == 400
    assert "mode" in response.context["form"].errors


def test_schedule_exports_as_xlsx(event, scheduled, organiser):
    request, _meeting = scheduled
    response = client_for(organiser).get(f"/events/{event.slug}/schedule/?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f'filename="{event.slug}-schedule.xlsx"' in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Start", "End", "Table", "Requesting organisation")
    assert rows[1][3] == request.requester.organisation.name


def test_announcing_marks_the_meetings(event, scheduled, organiser):
    _request, meeting = scheduled
    response = client_for(organiser).post(f"/events/{event.slug}/schedule/announce/")
    assert response.status_code == 302
    meeting.refresh_from_db()
    event.refresh_from_db()
    assert meeting.announced and event.schedule_announced_at is not None


def test_announcing_mails_each_participant_their_agenda(
    event, scheduled, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    request, _meeting = scheduled
    for participant in (request.requester, request.requested):
        participant.user = UserFactory(email=f"{participant.pk}@example.org")
        participant.save()
    # E-mails leave the outbox once the change is committed.
    with django_capture_on_commit_callbacks(execute=True):
        client_for(organiser).post(f"/events/{event.slug}/schedule/announce/")
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        f"{p.pk}@example.org" for p in (request.requester, request.requested)
    )
    to_requester = next(m for m in mailoutbox if m.to[0] == f"{request.requester.pk}@example.org")
    assert request.requested.organisation.name in to_requester.body
    assert "table 1" in to_requester.body
    assert f"/events/{event.slug}/agenda/" in to_requester.body


# ---------------------------------------------------------------- outcomes


def test_participant_records_an_outcome(event, scheduled):
    request, meeting = scheduled
    client = client_for(request.requested.user)
    assert client.get(f"/events/{event.slug}/meetings/{meeting.pk}/outcome/").status_code == 200
    wrong = client.post(
        f"/events/{event.slug}/meetings/{meeting.pk}/outcome/",
        {"happened": "false", "outcome": "agreement"},
    )
    assert wrong.status_code == 400
    assert "took place" in field_paragraph(wrong.content.decode(), "outcome")
    saved = client.post(
        f"/events/{event.slug}/meetings/{meeting.pk}/outcome/",
        {"happened": "true", "outcome": "follow_up", "outcome_note": "Visit in June"},
    )
    assert saved.status_code == 302 and saved["Location"] == f"/events/{event.slug}/agenda/"
    meeting.refresh_from_db()
    assert (meeting.happened, meeting.outcome, meeting.outcome_note) == (
        True,
        "follow_up",
        "Visit in June",
    )


def test_unknown_attendance_stays_unknown(event, scheduled, organiser):
    _request, meeting = scheduled
    response = client_for(organiser).post(
        f"/events/{event.slug}/meetings/{meeting.pk}/outcome/", {"happened": "unknown"}
    )
    assert response["Location"] == f"/events/{event.slug}/schedule/"
    meeting.refresh_from_db()
    assert meeting.happened is None


def test_session_slots_end_within_the_session(event):
    session = event.sessions.get()  # 09:00–10:15, 20-minute meetings, 5-minute breaks
    offsets = [start - session.start for start in session.slot_starts()]
    assert offsets == [dt.timedelta(minutes=m) for m in (0, 25, 50)]
    session.end = session.start + dt.timedelta(hours=1)
    assert len(session.slot_starts()) == 2  # a third meeting would end at 10:10
