"""What an event's organisers do besides scheduling: remove sessions, register people on
their behalf (and invite those without an account), check people in at the event.

A registration made for someone without an account waits under their e-mail address;
`services.claim_waiting_registrations` hands it to the account that proves that address.
"""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusterbroker.invitations import rules as invitation_rules
from clusterbroker.invitations import services as invitations
from clusterbroker.invitations.models import Role
from clusterbroker.registry.models import Organisation, Term
from clusterbroker.registry.slugs import unique_slug

from .models import Event, Participant, Session
from .services import NewOrganisation


def remove_session(session: Session, release_meetings: bool = False) -> int:
    """Remove `session`; its scheduled meetings block this unless `release_meetings`, which
    takes them off the schedule (their requests stay accepted, for the next run). Returns
    how many meetings were released."""
    with transaction.atomic():
        meetings = session.meetings.all()
        count = meetings.count()
        if count and not release_meetings:
            raise ValidationError(
                ngettext(
                    "“%(session)s” has %(n)s scheduled meeting: release it to remove the "
                    "session (its request stays accepted and the next scheduling run places "
                    "it again).",
                    "“%(session)s” has %(n)s scheduled meetings: release them to remove the "
                    "session (their requests stay accepted and the next scheduling run "
                    "places them again).",
                    count,
                )
                % {"session": session, "n": count}
            )
        meetings.delete()
        session.delete()
    return count


@dataclass(frozen=True)
class OnBehalf:
    """Whom an organiser registers: a person (name, e-mail) for an organisation."""

    contact_name: str
    email: str
    session_ids: tuple[int, ...] = ()
    offers: str = ""
    needs: str = ""
    term_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class RegisteredOnBehalf:
    participant: Participant
    created: bool
    # An account owns the address: the registration is theirs at once.
    has_account: bool


def account_with_address(email: str) -> AbstractBaseUser | None:
    """The account whose verified e-mail address is `email`, if any."""
    from allauth.account.models import EmailAddress

    address = (
        EmailAddress.objects.filter(email__iexact=email, verified=True)
        .select_related("user")
        .first()
    )
    return address.user if address is not None else None


def new_organisation(new: NewOrganisation) -> Organisation:
    """Add an organisation named while registering someone; errors keyed by its fields."""
    organisation = Organisation(
        name=" ".join(new.name.split()),
        kind=new.kind,
        country=new.country,
        slug=unique_slug(Organisation, new.name),
    )
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def register_on_behalf(
    event: Event, organisation: Organisation, person: OnBehalf
) -> RegisteredOnBehalf:
    """Register `person` for `organisation` at `event`, as its organiser does (also after
    the registration deadline). Registering the same person and organisation again updates
    that registration."""
    try:
        email = invitations.normalise_email(person.email)
    except ValidationError as error:
        raise ValidationError({"email": error.messages}) from error
    sessions = list(event.sessions.filter(pk__in=person.session_ids))
    if not sessions:
        raise ValidationError({"sessions": _("Choose at least one session.")})
    account = account_with_address(email)
    key = {"user": account} if account is not None else {"user": None, "email__iexact": email}
    participant = Participant.objects.filter(event=event, organisation=organisation, **key).first()
    created = participant is None
    if created:
        participant = Participant(event=event, organisation=organisation, user=account)
    participant.email = email
    participant.contact_name = " ".join(person.contact_name.split())
    if person.offers:
        participant.offers = person.offers
    if person.needs:
        participant.needs = person.needs
    participant.save()
    participant.available_sessions.set(sessions)
    if person.term_ids:
        participant.terms.set(Term.objects.filter(pk__in=person.term_ids))
    return RegisteredOnBehalf(participant, created, has_account=account is not None)


@dataclass(frozen=True)
class Told:
    """How a person registered on their behalf was told."""

    invited: bool  # an invitation to become an editor of their organisation was sent
    notified: bool


def tell_registered(
    registered: RegisteredOnBehalf,
    organiser: AbstractBaseUser,
    *,
    new_organisation: bool = False,
    base_url: str | None = None,
) -> Told:
    """E-mail the person: their registration is waiting (or made, if they have an account).
    Someone without an account is also invited, through the invitations, to become an
    editor of their organisation when the organiser may invite there (or the organiser has
    just added it), so that they get an account with the proven address."""
    from clusterbroker.notifications.service import notify

    participant = registered.participant
    event, organisation = participant.event, participant.organisation
    invited = False
    if not registered.has_account and (
        new_organisation or invitation_rules.may_invite(organiser, organisation, Role.EDITOR)
    ):
        try:
            invitations.invite(
                organiser,
                participant.email,
                participant.contact_name,
                organisation,
                Role.EDITOR,
                base_url=base_url,
                new_organisation=new_organisation,
            )
            invited = True
        except (ValidationError, PermissionDenied):  # already an editor, or refused:
            # the notice below still tells them their registration waits
            invited = False
    values = {
        "event": event.name,
        "organisation": organisation.name,
        "organiser": organiser.get_full_name().strip() or organiser.get_username(),
    }
    recipient = participant.user if registered.has_account else participant.email

    def compose() -> tuple[str, str]:
        if registered.has_account:
            body = _(
                "%(organiser)s registered you at %(event)s for %(organisation)s. Open the event "
                "to complete your profile and ask for meetings."
            )
        else:
            body = _(
                "%(organiser)s registered you at %(event)s for %(organisation)s. Your "
                "registration waits for you: sign up (or add this address to your account and "
                "confirm it) with this e-mail address, and it becomes yours."
            )
        text = body % values
        if invited:
            text += (
                "\n\n"
                + _("You will also receive an invitation to keep the profile of %(organisation)s.")
                % values
            )
        return _("You are registered at %(event)s") % values, text

    reached = notify(
        [recipient],
        "invitation",
        compose=compose,
        url=reverse("events:event", args=[event.slug]),
        actor=organiser,
    )
    return Told(invited=invited, notified=bool(reached))


def mark_arrived(participant: Participant, arrived: bool) -> Participant:
    """Check a participant in at the event (or undo it); the first arrival time is kept."""
    if arrived and participant.arrived_at is None:
        participant.arrived_at = timezone.now()
    elif not arrived:
        participant.arrived_at = None
    participant.save(update_fields=["arrived_at"])
    return participant
