"""Event operations with verb names: create, register, request, answer, withdraw, figures.

Scheduling lives in `scheduling.py`; the algorithm itself in the `scheduler` package.
"""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterbroker.registry.models import Organisation, Term
from clusterbroker.registry.slugs import unique_slug

from . import notifications
from .models import Event, Meeting, MeetingOutcome, MeetingRequest, Participant, Session


@transaction.atomic
def create_event(event: Event, organiser: AbstractBaseUser) -> Event:
    """Save a new event under a free identifier, with its creator as first organiser."""
    event.slug = unique_slug(Event, event.name)
    event.save()
    event.organisers.add(organiser)
    return event


@dataclass(frozen=True)
class Registration:
    """What a participant states when registering (or editing their profile)."""

    offers: str = ""
    needs: str = ""
    description: str = ""
    contact_name: str = ""
    term_ids: tuple[int, ...] = ()
    session_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class NewOrganisation:
    """An organisation not yet in the registry, named while registering."""

    name: str
    kind: str
    country: str


def _check_registration_open(event: Event) -> None:
    if not event.registration_open:
        raise ValidationError(
            _("Registration for this event closed on %(date)s.")
            % {"date": timezone.localtime(event.registration_deadline).strftime("%Y-%m-%d %H:%M")}
        )


def claim_waiting_registrations(user: AbstractBaseUser, addresses: list[str]) -> int:
    """Give `user` the registrations an organiser made under `addresses` (which they
    proved), for the organisations `user` acts for (a position in it, or editing it); one
    already theirs for the same organisation and event is kept instead. An organiser thus
    cannot make anyone act for an organisation at an event: a registration for an
    organisation the address holder does not act for waits until they do (an accepted
    invitation or join request). Returns how many."""
    from clusterbroker.registry import permissions as registry_permissions
    from clusterbroker.registry.models import Position

    if not addresses:
        return 0
    acts_for = set(
        Position.objects.filter(person__user=user).values_list("organisation_id", flat=True)
    ) | set(registry_permissions.editable_organisation_ids(user))
    match = Q()
    for address in addresses:
        match |= Q(email__iexact=address)
    claimed = 0
    with transaction.atomic():
        waiting_rows = Participant.objects.select_for_update().filter(
            match, user=None, organisation__in=acts_for
        )
        for waiting in waiting_rows:
            taken = Participant.objects.filter(
                event=waiting.event_id, organisation=waiting.organisation_id, user=user
            ).exists()
            if not taken:
                waiting.user = user
                waiting.save(update_fields=["user"])
                claimed += 1
    return claimed


def verified_addresses(user: AbstractBaseUser) -> list[str]:
    from allauth.account.models import EmailAddress

    return list(
        EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    )


@transaction.atomic
def register_participant(
    event: Event, organisation: Organisation, user: AbstractBaseUser, registration: Registration
) -> Participant:
    """Register `user` for `organisation` at `event` (or update that registration). A person
    may register several organisations, and an organisation may send several people: each
    pair of person and organisation has one registration."""
    _check_registration_open(event)
    # A registration an organiser made for this person becomes the one they edit.
    claim_waiting_registrations(user, verified_addresses(user))
    sessions = list(Session.objects.filter(event=event, pk__in=registration.session_ids))
    if not sessions:
        raise ValidationError(
            {"sessions": _("Choose at least one session in which you are available.")}
        )
    participant, _created = Participant.objects.update_or_create(
        event=event,
        organisation=organisation,
        user=user,
        defaults={
            "offers": registration.offers,
            "needs": registration.needs,
            "description": registration.description,
            "contact_name": registration.contact_name,
        },
    )
    participant.available_sessions.set(sessions)
    participant.terms.set(Term.objects.filter(pk__in=registration.term_ids))
    return participant


@transaction.atomic
def register_new_organisation(
    event: Event, new: NewOrganisation, user: AbstractBaseUser, registration: Registration
) -> Participant:
    """Add `new` to the registry and register it; nothing is kept if either step fails.

    Errors about the organisation are keyed by its fields (`name`, `kind`, `country`).
    """
    _check_registration_open(event)
    organisation = Organisation(
        name=new.name.strip(),
        kind=new.kind,
        country=new.country,
        slug=unique_slug(Organisation, new.name),
    )
    organisation.full_clean()
    organisation.save()
    return register_participant(event, organisation, user, registration)


def _active_requests(participant: Participant):
    return MeetingRequest.objects.filter(
        Q(requester=participant) | Q(requested=participant),
        status__in=[MeetingRequest.Status.PENDING, MeetingRequest.Status.ACCEPTED],
    )


@transaction.atomic
def request_meeting(
    requester: Participant,
    requested: Participant,
    message: str = "",
    priority: int = 1,
    actor: AbstractBaseUser | None = None,
) -> MeetingRequest:
    """Ask `requested` for a meeting; refused with a reason when a rule forbids it. The
    requested participant is told (`actor`: who asked, by default the requester's user)."""
    event = requester.event
    if requested.event_id != event.pk:
        raise ValidationError(_("Both participants must be registered at the same event."))
    if requester.pk == requested.pk:
        raise ValidationError(_("You cannot request a meeting with yourself."))
    if priority not in MeetingRequest.Priority.values:
        raise ValidationError(
            {
                "priority": _("Unknown priority %(value)s: use %(choices)s.")
                % {
                    "value": priority,
                    "choices": ", ".join(str(v) for v in MeetingRequest.Priority.values),
                }
            }
        )
    existing = MeetingRequest.objects.filter(
        Q(requester=requester, requested=requested) | Q(requester=requested, requested=requester)
    ).exclude(status=MeetingRequest.Status.WITHDRAWN)
    if existing.exists():
        raise ValidationError(
            _("There is already a request between %(a)s and %(b)s.")
            % {"a": requester.organisation.name, "b": requested.organisation.name}
        )
    sent = MeetingRequest.objects.filter(requester=requester).exclude(
        status=MeetingRequest.Status.WITHDRAWN
    )
    if sent.count() >= event.max_requests:
        raise ValidationError(
            _("You have reached the limit of %(n)s requests for this event.")
            % {"n": event.max_requests}
        )
    meeting_request, _created = MeetingRequest.objects.update_or_create(
        requester=requester,
        requested=requested,
        defaults={
            "event": event,
            "message": message,
            "priority": priority,
            "status": MeetingRequest.Status.PENDING,
            "answered_at": None,
        },
    )
    notifications.request_sent(meeting_request, actor)
    return meeting_request


def _accepted_count(participant: Participant) -> int:
    return _active_requests(participant).filter(status=MeetingRequest.Status.ACCEPTED).count()


@transaction.atomic
def answer_request(
    meeting_request: MeetingRequest, accept: bool, actor: AbstractBaseUser | None = None
) -> MeetingRequest:
    """The requested participant accepts or declines a pending request; the requester is
    told."""
    if meeting_request.status != MeetingRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered or withdrawn."))
    if accept:
        limit = meeting_request.event.max_meetings
        for side in (meeting_request.requester, meeting_request.requested):
            if _accepted_count(side) >= limit:
                raise ValidationError(
                    _("%(name)s already has the maximum of %(n)s meetings.")
                    % {"name": side.organisation.name, "n": limit}
                )
    meeting_request.status = (
        MeetingRequest.Status.ACCEPTED if accept else MeetingRequest.Status.DECLINED
    )
    meeting_request.answered_at = timezone.now()
    meeting_request.save(update_fields=["status", "answered_at"])
    notifications.request_answered(meeting_request, actor)
    return meeting_request


@transaction.atomic
def withdraw_request(
    meeting_request: MeetingRequest, actor: AbstractBaseUser | None = None
) -> MeetingRequest:
    """Either side withdraws; a scheduled meeting is removed from the schedule. The other
    side is told (`actor`: who withdrew; when not given, read from the change history)."""
    if meeting_request.status in (
        MeetingRequest.Status.DECLINED,
        MeetingRequest.Status.WITHDRAWN,
        MeetingRequest.Status.CANCELLED,
    ):
        raise ValidationError(_("This request is no longer active."))
    meeting = Meeting.objects.filter(request=meeting_request).first()
    if meeting is not None:
        meeting.delete()
    meeting_request.status = MeetingRequest.Status.WITHDRAWN
    meeting_request.answered_at = timezone.now()
    meeting_request.save(update_fields=["status", "answered_at"])
    notifications.request_withdrawn(meeting_request, actor, meeting=meeting)
    return meeting_request


def act_on_request(
    meeting_request: MeetingRequest, action: str, actor: AbstractBaseUser | None = None
) -> MeetingRequest:
    """Accept, decline or withdraw (the caller has checked who may); `actor` is who does
    it, so that the other side, and not them, is told."""
    if action == "withdraw":
        return withdraw_request(meeting_request, actor)
    return answer_request(meeting_request, accept=action == "accept", actor=actor)


def record_outcome(
    meeting: Meeting, happened: bool | None, outcome: str, note: str = ""
) -> Meeting:
    """After the event: did the meeting take place (None: not known yet), what came of it."""
    if outcome and outcome not in MeetingOutcome.values:
        raise ValidationError({"outcome": _("Unknown outcome “%(v)s”.") % {"v": outcome}})
    if happened is not True and outcome in (MeetingOutcome.FOLLOW_UP, MeetingOutcome.AGREEMENT):
        raise ValidationError(
            {"outcome": _("A follow-up or an agreement needs a meeting that took place.")}
        )
    meeting.happened, meeting.outcome, meeting.outcome_note = happened, outcome, note
    meeting.save(update_fields=["happened", "outcome", "outcome_note"])
    return meeting


@dataclass(frozen=True)
class EventFigures:
    participants: int
    requests: int
    accepted: int
    scheduled: int
    held: int
    follow_ups: int
    agreements: int


def event_figures(event: Event) -> EventFigures:
    """The figures of an event that feed the partnership's KPIs."""
    requests = MeetingRequest.objects.filter(event=event)
    meetings = Meeting.objects.filter(request__event=event)
    return EventFigures(
        participants=event.participants.count(),
        requests=requests.count(),
        accepted=requests.filter(status=MeetingRequest.Status.ACCEPTED).count(),
        scheduled=meetings.count(),
        held=meetings.filter(happened=True).count(),
        follow_ups=meetings.filter(outcome=MeetingOutcome.FOLLOW_UP).count(),
        agreements=meetings.filter(outcome=MeetingOutcome.AGREEMENT).count(),
    )
