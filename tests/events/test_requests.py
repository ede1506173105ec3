"""Registration, meeting requests and their answers, limits and permissions."""

import pytest
from django.core.exceptions import ValidationError

from clusterbroker.events import services
from clusterbroker.events.models import MeetingRequest, Participant

from ..factories import OrganisationFactory, UserFactory
from .factories import EventFactory, MeetingRequestFactory, ParticipantFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    event = EventFactory(max_requests=2, max_meetings=1)
    SessionFactory(event=event)
    return event


def test_register_creates_participant_with_availability(event):
    user = UserFactory()
    organisation = OrganisationFactory()
    session = event.sessions.get()
    participant = services.register_participant(
        event,
        organisation,
        user,
        services.Registration(offers="Laser cutting", session_ids=(session.pk,)),
    )
    assert list(participant.available_sessions.all()) == [session]
    assert participant.user == user


def test_register_without_any_session_is_refused(event):
    with pytest.raises(ValidationError, match="at least one session"):
        services.register_participant(
            event, OrganisationFactory(), UserFactory(), services.Registration(offers="x")
        )
    assert not Participant.objects.exists()


def test_register_after_deadline_is_refused(event):
    from django.utils import timezone

    event.registration_deadline = timezone.now() - timezone.timedelta(days=1)
    event.save()
    with pytest.raises(ValidationError, match="closed"):
        services.register_participant(
            event,
            OrganisationFactory(),
            UserFactory(),
            services.Registration(session_ids=(event.sessions.get().pk,)),
        )


def test_meeting_with_oneself_is_refused(event):
    me = ParticipantFactory(event=event)
    with pytest.raises(ValidationError, match="yourself"):
        services.request_meeting(me, me)


def test_duplicate_request_in_either_direction_is_refused(event):
    a, b = ParticipantFactory(event=event), ParticipantFactory(event=event)
    services.request_meeting(a, b)
    with pytest.raises(ValidationError, match="already a request"):
        services.request_meeting(b, a)


def test_request_limit_per_participant(event):
    me = ParticipantFactory(event=event)
    for _ in range(2):
        services.request_meeting(me, ParticipantFactory(event=event))
    with pytest.raises(ValidationError, match="limit of 2 requests"):
        services.request_meeting(me, ParticipantFactory(event=event))


def test_meeting_limit_stops_accepting(event):
    a, b, c = (ParticipantFactory(event=event) for _ in range(3))
    first = services.request_meeting(a, b)
    services.answer_request(first, accept=True)
    second = services.request_meeting(c, a)
    with pytest.raises(ValidationError, match="maximum of 1 meetings"):
        services.answer_request(second, accept=True)
    second.refresh_from_db()
    assert second.status == "pending"


def test_withdraw_after_accept_frees_the_pair(event):
    a, b = ParticipantFactory(event=event), ParticipantFactory(event=event)
    request = services.request_meeting(a, b)
    services.answer_request(request, accept=True)
    services.withdraw_request(request)
    assert MeetingRequest.objects.get().status == "withdrawn"
    again = services.request_meeting(a, b)
    assert again.status == "pending"


def test_only_requested_participant_accepts_on_page(event):
    request = MeetingRequestFactory(requester__event=event, status="pending")
    from django.test import Client

    requester_client = Client()
    requester_client.force_login(request.requester.user)
    requester_client.post(f"/events/{event.slug}/requests/{request.pk}/accept/")
    request.refresh_from_db()
    assert request.status == "pending"
    requested_client = Client()
    requested_client.force_login(request.requested.user)
    requested_client.post(f"/events/{event.slug}/requests/{request.pk}/accept/")
    request.refresh_from_db()
    assert request.status == "accepted"


def test_participant_sees_only_own_requests_in_api(event):
    mine = MeetingRequestFactory(requester__event=event)
    MeetingRequestFactory(requester__event=event)
    from django.test import Client

    client = Client()
    client.force_login(mine.requester.user)
    ids = [r["id"] for r in client.get(f"/api/events/{event.slug}/requests").json()]
    assert ids == [mine.pk]


def test_request_through_api_and_page(event):
    a, b = ParticipantFactory(event=event), ParticipantFactory(event=event)
    from django.test import Client

    client = Client()
    client.force_login(a.user)
    response = client.post(
        f"/api/events/{event.slug}/requests",
        {"requested": b.pk, "priority": 3},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert MeetingRequest.objects.get().priority == 3
    again = client.post(f"/events/{event.slug}/participants/{b.pk}/", {"priority": 1})
    assert again.status_code == 400
    assert "already a request" in again.content.decode()


def test_registration_page_creates_a_new_organisation_on_the_fly(event):
    from django.test import Client

    from clusterbroker.registry.models import Organisation

    user = UserFactory()
    client = Client()
    client.force_login(user)
    response = client.post(
        f"/events/{event.slug}/register/",
        {
            "new_name": "Fresh Start-up",
            "new_kind": "company",
            "new_country": "Portugal",
            "offers": "Computer vision for quality control",
            "sessions": [event.sessions.get().pk],
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Fresh Start-up")
    assert organisation.country == "PT"
    assert Participant.objects.get(event=event).organisation == organisation


def test_catalogue_needs_login_and_filters(event):
    from django.test import Client

    far = ParticipantFactory(event=event, organisation__country="FI", offers="Wood processing")
    ParticipantFactory(event=event, organisation__country="ES", offers="Robot cells")
    anonymous = Client().get(f"/events/{event.slug}/participants/")
    assert anonymous.status_code == 302
    client = Client()
    client.force_login(far.user)
    page = client.get(f"/events/{event.slug}/participants/?country=ES")
    assert [p.organisation.country for p in page.context["page"]] == ["ES"]
    page = client.get(f"/events/{event.slug}/participants/?q=wood")
    assert [p.pk for p in page.context["page"]] == [far.pk]
