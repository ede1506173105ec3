"""Who registers whom: a person for several organisations, an organisation with several
people, and the organiser on someone's behalf, whose registration waits for their account."""

import pytest
from allauth.account.models import EmailAddress
from django.db import IntegrityError

from clusterbroker.events import organising, permissions
from clusterbroker.events.models import Participant
from clusterbroker.invitations.models import Invitation
from clusterbroker.registry.models import Organisation, Position

from ..factories import OrganisationFactory, PersonFactory, PositionFactory, UserFactory
from .factories import EventFactory, ParticipantFactory, SessionFactory, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(world):
    event = EventFactory(partnership=world.partnership)
    SessionFactory(event=event)
    return event


@pytest.fixture
def organiser(event):
    user = UserFactory(first_name="Olga", last_name="Organiser")
    event.organisers.add(user)
    return user


def registration(event, organisation, **extra) -> dict:
    return {
        "organisation": organisation.pk,
        "offers": "Machining",
        "sessions": [event.sessions.get().pk],
    } | extra


def editor_of(*organisations):
    person = PersonFactory()
    for organisation in organisations:
        PositionFactory(person=person, organisation=organisation, role=Position.Role.EDITOR)
    return person.user


def test_one_person_registers_two_organisations_each_with_its_own_record(world, event):
    second = OrganisationFactory(name="Second Works")
    user = editor_of(world.member_company, second)
    client = client_for(user)
    url = f"/events/{event.slug}/register/"
    assert client.post(url, registration(event, world.member_company)).status_code == 302
    assert client.post(url, registration(event, second, offers="Welding")).status_code == 302
    records = Participant.objects.filter(event=event, user=user).order_by("organisation__name")
    assert [(p.organisation.name, p.offers) for p in records] == [
        ("Precision Parts", "Machining"),
        ("Second Works", "Welding"),
    ]


def test_one_organisation_sends_two_people(world, event):
    colleague = editor_of(world.member_company)
    for user in (world.company_user, colleague):
        response = client_for(user).post(
            f"/events/{event.slug}/register/", registration(event, world.member_company)
        )
        assert response.status_code == 302
    assert set(
        Participant.objects.filter(organisation=world.member_company).values_list("user", flat=True)
    ) == {world.company_user.pk, colleague.pk}


def test_the_same_person_and_organisation_register_once(world, event):
    client = client_for(world.company_user)
    url = f"/events/{event.slug}/register/"
    client.post(url, registration(event, world.member_company))
    client.post(url, registration(event, world.member_company, offers="Grinding"))
    assert Participant.objects.get(user=world.company_user).offers == "Grinding"
    with pytest.raises(IntegrityError):
        Participant.objects.create(
            event=event, organisation=world.member_company, user=world.company_user
        )


def on_behalf_data(event, organisation: str, email: str, **extra) -> dict:
    return {
        "organisation": organisation,
        "contact_name": "Nora Newcomer",
        "email": email,
        "sessions": [event.sessions.get().pk],
    } | extra


def test_organiser_registers_someone_without_account_who_claims_it_later(
    event, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(organiser).post(
            f"/events/{event.slug}/organise/participants/add/",
            on_behalf_data(event, "Nordic Robots", "Nora@Example.org", new_country="Finland"),
        )
    assert response.status_code == 302, response.context["form"].errors
    waiting = Participant.objects.get(event=event)
    assert (waiting.user, waiting.email, waiting.organisation.country) == (
        None,
        "Nora@example.org",
        "FI",
    )
    # The new organisation's contact is invited (to become its first editor) and told.
    invitation = Invitation.objects.get(organisation=waiting.organisation)
    assert invitation.email == "Nora@example.org"
    assert any(event.name in m.subject for m in mailoutbox)
    assert any("nora@example.org" in [a.lower() for a in m.to] for m in mailoutbox)
    # Proving the address is not enough: the registration waits until the account acts for
    # the organisation (here: the invitation accepted, which makes it an editor).
    nora = UserFactory(email="nora@example.org")
    EmailAddress.objects.create(user=nora, email="nora@example.org", verified=True)
    waiting.refresh_from_db()
    assert waiting.user is None
    PositionFactory(
        person=PersonFactory(user=nora), organisation=waiting.organisation, role="editor"
    )
    client_for(nora)  # the next log-in hands it over
    waiting.refresh_from_db()
    assert waiting.user == nora
    assert permissions.participant_of(nora, event) == waiting


def test_an_organiser_cannot_make_someone_act_for_an_organisation(event, organiser):
    """Registering another's organisation under an address of one's choice gives the
    address holder nothing: they do not act for that organisation at the event."""
    victim = OrganisationFactory(name="Victim Robotics")
    organising.register_on_behalf(
        event,
        victim,
        organising.OnBehalf("Mallory", "mallory@example.org", (event.sessions.get().pk,)),
    )
    mallory = UserFactory(email="mallory@example.org")
    EmailAddress.objects.create(user=mallory, email="mallory@example.org", verified=True)
    client_for(mallory)
    assert Participant.objects.get(event=event, organisation=victim).user is None
    assert permissions.participant_of(mallory, event) is None


def test_an_unverified_address_claims_nothing(event, organiser):
    organisation = OrganisationFactory()
    organising.register_on_behalf(
        event,
        organisation,
        organising.OnBehalf("Sam", "sam@example.org", (event.sessions.get().pk,)),
    )
    intruder = UserFactory(email="sam@example.org")
    EmailAddress.objects.create(user=intruder, email="sam@example.org", verified=False)
    client_for(intruder)
    assert Participant.objects.get(event=event).user is None


def test_claim_at_log_in(event, client):
    organisation = OrganisationFactory()
    organising.register_on_behalf(
        event,
        organisation,
        organising.OnBehalf("Kai", "kai@example.org", (event.sessions.get().pk,)),
    )
    kai = UserFactory(email="kai@example.org", password="kai-password-123")
    EmailAddress.objects.bulk_create(  # no signal: only the log-in can hand it over
        [EmailAddress(user=kai, email="kai@example.org", verified=True, primary=True)]
    )
    PositionFactory(person=PersonFactory(user=kai), organisation=organisation, role="editor")
    assert Participant.objects.get(event=event).user is None
    response = client.post(
        "/accounts/login/", {"login": kai.username, "password": "kai-password-123"}
    )
    assert response.status_code == 302
    assert Participant.objects.get(event=event).user == kai


def test_organiser_registers_someone_with_an_account_at_once(world, event, organiser):
    EmailAddress.objects.create(
        user=world.company_user, email="parts@example.org", verified=True, primary=True
    )
    response = client_for(organiser).post(
        f"/events/{event.slug}/organise/participants/add/",
        on_behalf_data(event, "precision-parts", "parts@example.org"),
    )
    assert response.status_code == 302
    participant = Participant.objects.get(event=event)
    assert (participant.user, participant.organisation) == (
        world.company_user,
        world.member_company,
    )
    assert not Invitation.objects.exists()


def test_on_behalf_errors_are_shown_next_to_the_fields(event, organiser):
    response = client_for(organiser).post(
        f"/events/{event.slug}/organise/participants/add/",
        on_behalf_data(event, "Unknown Newco", "not-an-address", sessions=[]),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) >= {"email", "sessions"}
    response = client_for(organiser).post(
        f"/events/{event.slug}/organise/participants/add/",
        on_behalf_data(event, "Unknown Newco", "new@example.org"),
    )
    assert response.status_code == 400
    assert "give its country" in response.context["form"].errors["new_country"][0]
    assert not Organisation.objects.filter(name="Unknown Newco").exists()
    assert not Participant.objects.exists()


def test_organiser_list_shows_waiting_registrations(event, organiser):
    ParticipantFactory(event=event, contact_name="Ana Account")
    waiting = ParticipantFactory(event=event, user=None, email="w@example.org", contact_name="")
    body = client_for(organiser).get(f"/events/{event.slug}/organise/participants/").content
    body = body.decode()
    assert "Ana Account" in body
    assert "w@example.org" in body and "waiting for their account" in body
    assert f'data-participant="{waiting.pk}"' in body


def test_a_person_with_two_registrations_chooses_whom_they_act_for(world, event):
    second = OrganisationFactory(name="Second Works")
    user = editor_of(world.member_company, second)
    first = ParticipantFactory(event=event, organisation=world.member_company, user=user)
    other = ParticipantFactory(event=event, organisation=second, user=user)
    stranger = ParticipantFactory(event=event)
    client = client_for(user)
    page = client.get(f"/events/{event.slug}/")
    assert page.context["me"] == first
    body = page.content.decode()
    assert f'data-acting="{first.pk}"' in body and f'href="?as={other.pk}"' in body
    assert client.get(f"/events/{event.slug}/?as={other.pk}").context["me"] == other
    # The choice holds for the visit: requests and agenda are the chosen registration's.
    assert client.get(f"/events/{event.slug}/agenda/").context["participant"] == other
    # Someone else's registration cannot be chosen.
    for chosen in (stranger.pk, "²", "9" * 30):
        assert client.get(f"/events/{event.slug}/?as={chosen}").context["me"] == first


def test_registering_oneself_takes_over_the_registration_waiting_for_one(event):
    from clusterbroker.events import services

    organisation = OrganisationFactory()
    session = event.sessions.get()
    organising.register_on_behalf(
        event, organisation, organising.OnBehalf("Rui", "rui@example.org", (session.pk,))
    )
    rui = UserFactory(email="rui@example.org")
    EmailAddress.objects.bulk_create(  # no signal: the registration itself hands it over
        [EmailAddress(user=rui, email="rui@example.org", verified=True, primary=True)]
    )
    PositionFactory(person=PersonFactory(user=rui), organisation=organisation, role="editor")
    services.register_participant(
        event,
        organisation,
        rui,
        services.Registration(offers="Sensors", session_ids=(session.pk,)),
    )
    only = Participant.objects.get(event=event)
    assert (only.user, only.offers, only.email) == (rui, "Sensors", "rui@example.org")
