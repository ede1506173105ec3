"""Who may do what at a brokerage event.

- organisers (and platform admins, and managers of the event's partnership) manage the
  event, see every request and run the scheduler;
- a participant's user sees and answers only their own requests and agenda;
- the participant catalogue (profiles, no contact data) is open to every logged-in user.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from clusterbroker.registry import permissions as registry_permissions
from clusterbroker.registry.models import Organisation, Partnership, Position

from .catalogue import record_id
from .models import Event, MeetingRequest, Participant

User = AbstractBaseUser | AnonymousUser


def is_organiser(user: User, event: Event) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if registry_permissions.is_platform_admin(user):
        return True
    if event.organisers.filter(pk=user.pk).exists():
        return True
    return bool(
        event.partnership_id
        and event.partnership_id in registry_permissions.managed_partnership_ids(user)
    )


def can_create_event(user: User) -> bool:
    """Platform admins and partnership managers organise events."""
    return registry_permissions.is_platform_admin(user) or bool(
        registry_permissions.managed_partnership_ids(user)
    )


def partnerships_for_events(user: User) -> QuerySet[Partnership]:
    """Partnerships an event of `user` may feed: all for admins, else the ones they manage."""
    if registry_permissions.is_platform_admin(user):
        return Partnership.objects.all()
    return Partnership.objects.filter(pk__in=registry_permissions.managed_partnership_ids(user))


def organisations_to_register(user: User, event: Event) -> QuerySet[Organisation]:
    """Organisations the user may register: their own, those they edit, their current one."""
    if registry_permissions.is_platform_admin(user):
        return Organisation.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    own = Position.objects.filter(person__user=user).values_list("organisation_id", flat=True)
    current = event.participants.filter(user=user).values_list("organisation_id", flat=True)
    return Organisation.objects.filter(
        Q(pk__in=own)
        | Q(pk__in=registry_permissions.editable_organisation_ids(user))
        | Q(pk__in=current)
    )


def registrations_of(user: User, event: Event) -> QuerySet[Participant]:
    """The user's own registrations at the event: one per organisation they come for."""
    if not getattr(user, "is_authenticated", False):
        return Participant.objects.none()
    return (
        event.participants.filter(user=user)
        .select_related("organisation")
        .order_by("registered_at", "pk")
    )


def participant_of(user: User, event: Event, chosen: object = None) -> Participant | None:
    """The registration the user acts as at the event: `chosen` (its ID) when it is one of
    theirs, else their first; None when they are not registered."""
    mine = registrations_of(user, event)
    wanted = record_id(str(chosen or ""))
    found = mine.filter(pk=wanted).first() if wanted is not None else None
    return found or mine.first()


def can_view_catalogue(user: User, event: Event) -> bool:
    return getattr(user, "is_authenticated", False)


def can_act_for(user: User, participant: Participant) -> bool:
    """Send, answer and withdraw requests, edit the profile: the participant's own user."""
    return getattr(user, "is_authenticated", False) and participant.user_id == user.pk


REQUEST_ACTIONS = ("accept", "decline", "withdraw")


def can_do_request_action(user: User, request: MeetingRequest, action: str) -> bool:
    """The requested side accepts or declines; either side withdraws."""
    is_requested = can_act_for(user, request.requested)
    if action == "withdraw":
        return is_requested or can_act_for(user, request.requester)
    return action in REQUEST_ACTIONS and is_requested


def can_view_agenda(user: User, participant: Participant) -> bool:
    return can_act_for(user, participant) or is_organiser(user, participant.event)


def can_view_request(user: User, request: MeetingRequest) -> bool:
    return (
        can_act_for(user, request.requester)
        or can_act_for(user, request.requested)
        or is_organiser(user, request.event)
    )
