"""Factories for brokerage events; they build on the registry factories."""

import datetime as dt

import factory
from django.test import Client
from django.utils import timezone

from ..factories import OrganisationFactory, UserFactory


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Event"

    name = factory.Sequence(lambda n: f"Brokerage event {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    venue = "Lyon, Eurexpo"
    start_date = factory.LazyFunction(lambda: _in_days(30).date())
    end_date = factory.LazyAttribute(lambda e: e.start_date)
    tables = 10
    registration_deadline = factory.LazyFunction(lambda: _in_days(20))


class SessionFactory(factory.django.DjangoModelFactory):
    """A morning session: 09:00–10:15, 20-minute meetings with 5-minute breaks: 3 slots
    (09:00, 09:25 and 09:50; the last one ends at 10:10)."""

    class Meta:
        model = "events.Session"

    event = factory.SubFactory(EventFactory)
    name = "Morning"
    start = factory.LazyAttribute(lambda s: _at(s.event.start_date, 9))
    end = factory.LazyAttribute(lambda s: s.start + dt.timedelta(minutes=75))
    meeting_minutes = 20
    break_minutes = 5


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Participant"
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    offers = "Precision machining of aluminium parts"

    @factory.post_generation
    def sessions(self, create, extracted, **kwargs):
        if create:
            self.available_sessions.set(extracted or self.event.sessions.all())


class MeetingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.MeetingRequest"

    requester = factory.SubFactory(ParticipantFactory)
    requested = factory.SubFactory(
        ParticipantFactory, event=factory.SelfAttribute("..requester.event")
    )
    event = factory.SelfAttribute("requester.event")
    status = "accepted"


class MeetingFactory(factory.django.DjangoModelFactory):
    """An accepted request placed in the first slot of its event's first session."""

    class Meta:
        model = "events.Meeting"

    request = factory.SubFactory(MeetingRequestFactory)
    session = factory.LazyAttribute(lambda m: m.request.event.sessions.first())
    start = factory.LazyAttribute(lambda m: m.session.start)
    end = factory.LazyAttribute(lambda m: m.session.start + dt.timedelta(minutes=20))
    table = 1


def client_for(user) -> Client:
    """A test client logged in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def organiser_client(event) -> Client:
    """A test client logged in as a new user named among the organisers of `event`."""
    user = UserFactory()
    event.organisers.add(user)
    return client_for(user)


def partnership_event(partnership, **fields):
    """An event feeding `partnership` (so its managers organise it) with one morning session."""
    event = EventFactory(partnership=partnership, **fields)
    SessionFactory(event=event)
    return event


def _in_days(days: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
