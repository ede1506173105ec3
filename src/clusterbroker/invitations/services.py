"""Invitations and join requests: the operations pages, API and command line all call.

- `invite` (and `invite_many` for a file) makes or renews an invitation and e-mails its link;
  `resend` and `revoke` manage it; `accept` takes a token and gives the role, creating the
  account when needed, all in one transaction.
- `ask_to_join` makes a join request; `accept_join`, `decline_join`, `withdraw_join` answer it;
  `register_organisation` creates an organisation whose first editor is its creator and, if
  asked, proposes its membership of a cluster through the registry's relation requests.

Who may do what is decided in `rules.py`; every refusal says why.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from clusterbroker.accounts.services import person_for, split_name
from clusterbroker.importers.organisations import RowError
from clusterbroker.importers.tabular import Table
from clusterbroker.registry import relations
from clusterbroker.registry.models import Membership, Organisation, Person, Position
from clusterbroker.registry.slugs import unique_slug

from . import rules
from .models import Invitation, JoinRequest, Role
from .rules import Refused

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# The order of precedence of the roles: accepting never lowers a role already held.
RANK = {Position.Role.CONTACT: 0, Position.Role.EDITOR: 1, Position.Role.MANAGER: 2}


class InvitationError(ValidationError):
    """The input is wrong, or the invitation cannot be used (its message says why)."""


class InvitationUnusable(InvitationError):
    """The invitation is expired, revoked or used; `state` says which."""

    def __init__(self, message: str, state: str) -> None:
        super().__init__(message)
        self.state = state


class JoinConflict(ValidationError):
    """A join request exists already, or was answered already (an HTTP 409)."""


# Helpers ------------------------------------------------------------------------------------


def site_url(base_url: str | None = None) -> str:
    """The site's address, for links in e-mails: the request's, else the configured one."""
    if base_url:
        return base_url.rstrip("/")
    from clusterbroker.notifications import conf

    return conf.base_url()


def accept_path(raw_token: str) -> str:
    return reverse("invitations:accept", args=[raw_token])


def normalise_email(raw: str) -> str:
    email = (raw or "").strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise InvitationError(
            _("“%(email)s” is not a valid e-mail address.") % {"email": email[:80]}
        ) from error
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def clean_name(raw: str) -> str:
    name = " ".join((raw or "").split())
    if len(name) > 200:
        raise InvitationError(_("The name is longer than 200 characters."))
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        raise InvitationError(_("The name holds invisible control characters."))
    return name


def _role_label(role: str) -> str:
    return str(Role(role).label)


def holds_role(email: str, organisation: Organisation) -> bool:
    """Whether the owner of `email` already acts for `organisation` (an editor or manager)."""
    return Position.objects.filter(
        Q(person__email__iexact=email) | Q(person__user__email__iexact=email),
        organisation=organisation,
        role__in=rules.OWN_ROLES,
    ).exists()


def _notify(recipients, kind: str, **kwargs) -> int:
    from clusterbroker.notifications.service import notify

    return notify(recipients, kind, **kwargs)


# Invitations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    invitation: Invitation
    link: str  # the absolute accept link; shown to the operator of the command line only
    resent: bool


def _send(invitation: Invitation, raw: str, base_url: str | None, actor=None) -> str:
    link = site_url(base_url) + accept_path(raw)
    organisation = invitation.organisation

    def compose() -> tuple[str, str]:
        values = {
            "inviter": invitation.inviter_name,
            "organisation": organisation.name,
            "role": _role_label(invitation.role),
            "link": link,
            "date": formats.date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT"),
        }
        greeting = (
            _("Hello %(name)s,") % {"name": invitation.name} if invitation.name else _("Hello,")
        )
        body = "\n\n".join(
            [
                greeting,
                _(
                    "%(inviter)s invites you to ClusterBroker as %(role)s of %(organisation)s: "
                    "you will be able to keep its profile, competences and offers up to date."
                )
                % values,
                _("Open this link to accept (it works once, until %(date)s):") % values
                + "\n"
                + link,
                _(
                    "If you have no account yet, you choose a password there; if you have one, "
                    "log in and accept. If you do not know %(inviter)s, ignore this message."
                )
                % values,
            ]
        )
        return _("Invitation to join %(organisation)s on ClusterBroker") % values, body

    _notify(
        [invitation.email],
        "invitation",
        compose=compose,
        url=accept_path(raw),
        actor=actor,
    )
    return link


@transaction.atomic
def invite(
    inviter: AbstractBaseUser | None,
    email: str,
    name: str = "",
    organisation: Organisation | None = None,
    role: str = Role.EDITOR,
    *,
    base_url: str | None = None,
    new_organisation: bool = False,
) -> Sent:
    """Invite `email` to take `role` in `organisation` and e-mail the link. `inviter` None is
    the platform's operator. Inviting an address that has a pending invitation to the same
    organisation sends that one again (with a new link) instead of making a second.

    `new_organisation`: the inviter has just created `organisation` (an import); they may
    name its first editor, and the invitation holds while it has no editor of its own."""
    if organisation is None:
        raise InvitationError(_("Choose the organisation."))
    email = normalise_email(email)
    name = clean_name(name)
    first_editor = (
        new_organisation
        and inviter is not None
        and role == Role.EDITOR
        and not rules.has_own_people(organisation)
    )
    if not first_editor:
        rules.check_invite(inviter, organisation, role)
    if holds_role(email, organisation):
        raise InvitationError(
            _("%(email)s is already an editor of %(organisation)s.")
            % {"email": email, "organisation": organisation.name}
        )
    existing = (
        Invitation.objects.select_for_update()
        .filter(email__iexact=email, organisation=organisation, status=Invitation.Status.PENDING)
        .first()
    )
    invitation = existing or Invitation(email=email, organisation=organisation)
    invitation.name = name or invitation.name
    invitation.role = role
    invitation.invited_by = inviter
    invitation.by_platform = inviter is None
    invitation.for_new_organisation = first_editor
    raw = invitation.new_token()
    if existing is not None:
        invitation.resend_count += 1
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as error:  # a simultaneous invitation of the same address
        raise InvitationError(
            _("%(email)s was just invited to %(organisation)s.")
            % {"email": email, "organisation": organisation.name}
        ) from error
    link = _send(invitation, raw, base_url, actor=inviter)
    return Sent(invitation, link, resent=existing is not None)


def check_manage(user, invitation: Invitation) -> None:
    if not rules.may_manage(user, invitation):
        raise Refused(_("You may not manage this invitation."))


def _still_pending(invitation: Invitation, action: str) -> None:
    if invitation.status != Invitation.Status.PENDING:
        raise InvitationUnusable(
            _("This invitation was %(state)s already: it cannot be %(action)s.")
            % {"state": invitation.get_status_display().lower(), "action": action},
            invitation.status,
        )


@transaction.atomic
def resend(user, invitation: Invitation, *, base_url: str | None = None) -> Sent:
    """Send the invitation again with a new link, valid 14 days from now (the earlier link
    stops working). The sender must still be allowed to invite there."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    check_manage(user, invitation)
    _still_pending(invitation, _("resent"))
    if not may_send(user, invitation):
        rules.check_invite(user, invitation.organisation, invitation.role)
    raw = invitation.new_token()
    invitation.resend_count += 1
    if invitation.invited_by_id != getattr(user, "pk", None):
        invitation.for_new_organisation = False
    invitation.invited_by = user
    invitation.by_platform = user is None
    invitation.save()
    link = _send(invitation, raw, base_url, actor=user)
    return Sent(invitation, link, resent=True)


@transaction.atomic
def revoke(user, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    check_manage(user, invitation)
    _still_pending(invitation, _("revoked"))
    invitation.status = Invitation.Status.REVOKED
    invitation.revoked_by = user if getattr(user, "is_authenticated", False) else None
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["status", "revoked_by", "revoked_at"])
    return invitation


def unusable_reason(invitation: Invitation | None) -> InvitationUnusable | None:
    """Why the invitation cannot be accepted (None when it can)."""
    if invitation is None:
        return InvitationUnusable(
            _(
                "This invitation link is not valid. Check that you opened the whole link from "
                "the e-mail, or ask for a new invitation."
            ),
            "invalid",
        )
    if invitation.status == Invitation.Status.ACCEPTED:
        return InvitationUnusable(
            _(
                "This invitation has already been used (on %(date)s): an invitation works "
                "once. Log in with the account that accepted it, or ask for a new invitation."
            )
            % {
                "date": formats.date_format(
                    timezone.localtime(invitation.accepted_at), "DATE_FORMAT"
                )
            },
            Invitation.Status.ACCEPTED,
        )
    if invitation.status == Invitation.Status.REVOKED:
        return InvitationUnusable(
            _(
                "This invitation was withdrawn by the people of %(organisation)s and no longer "
                "works. Ask them if you think this is a mistake."
            )
            % {"organisation": invitation.organisation.name},
            Invitation.Status.REVOKED,
        )
    if invitation.is_expired:
        return InvitationUnusable(
            _(
                "This invitation expired on %(date)s. Ask %(inviter)s to send it again: the "
                "new e-mail has a new link."
            )
            % {
                "date": formats.date_format(
                    timezone.localtime(invitation.expires_at), "DATE_FORMAT"
                ),
                "inviter": invitation.inviter_name,
            },
            Invitation.Status.EXPIRED,
        )
    return None


def may_send(user, invitation: Invitation) -> bool:
    """Whether `user` may (still) give what `invitation` gives: they may invite there, or
    they imported the organisation and it has no editor of its own yet."""
    if (
        invitation.for_new_organisation
        and user is not None
        and invitation.invited_by_id == user.pk
        and user.is_active
        and not rules.has_own_people(invitation.organisation)
    ):
        return True
    return rules.may_invite(user, invitation.organisation, invitation.role)


def _check_inviter_still_may(invitation: Invitation) -> None:
    """An invitation grants only what its sender may still give: if the sender's relation
    with the organisation ended meanwhile (or it got its own people), it grants nothing."""
    if invitation.by_platform:
        return
    inviter = invitation.invited_by
    if inviter is None or not inviter.is_active or not may_send(inviter, invitation):
        raise InvitationUnusable(
            _(
                "This invitation no longer works: the person who sent it may no longer invite "
                "people to %(organisation)s. Ask its editors for a new invitation."
            )
            % {"organisation": invitation.organisation.name},
            "stale",
        )


def usable(raw_token: str) -> Invitation:
    """The invitation of `raw_token` if it may be accepted now; else `InvitationUnusable`
    saying why (not valid, used, withdrawn, expired, or its sender may no longer invite)."""
    invitation = Invitation.by_token(raw_token)
    problem = unusable_reason(invitation)
    if problem is not None:
        raise problem
    _check_inviter_still_may(invitation)
    return invitation


@dataclass(frozen=True)
class NewAccount:
    """What the invited person gives to create their account on acceptance."""

    name: str
    password: str
    password_again: str | None = None


@dataclass
class Accepted:
    invitation: Invitation
    user: AbstractBaseUser
    position: Position
    account_created: bool


def account_exists(email: str) -> bool:
    from allauth.account.models import EmailAddress

    User = get_user_model()
    return (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


def username_for(email: str) -> str:
    """A unique username made from the address's local part (letters, digits, . _ -)."""
    User = get_user_model()
    local = unicodedata.normalize("NFKD", email.split("@", 1)[0])
    base = re.sub(r"[^A-Za-z0-9._-]+", "", local.encode("ascii", "ignore").decode())[:30]
    base = base.strip("._-") or "member"
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _create_account(invitation: Invitation, data: NewAccount):
    from allauth.account.models import EmailAddress

    name = clean_name(data.name) or invitation.name
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give your name.")]
    if data.password_again is not None and data.password != data.password_again:
        errors["password_again"] = [_("The two passwords differ.")]
    if account_exists(invitation.email):
        errors["__all__"] = [
            _(
                "An account with the address %(email)s exists already: log in with it, then "
                "accept the invitation."
            )
            % {"email": invitation.email}
        ]
    User = get_user_model()
    first, last = split_name(name)
    user = User(
        username=username_for(invitation.email),
        email=invitation.email,
        first_name=first[:150],
        last_name=last[:150],
    )
    try:
        password_validation.validate_password(data.password, user)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise InvitationError(errors)
    user.set_password(data.password)
    user.save()
    EmailAddress.objects.create(user=user, email=invitation.email, verified=True, primary=True)
    return user


def _addresses_of(user) -> set[str]:
    from allauth.account.models import EmailAddress

    found = {
        a.lower() for a in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    if user.email:
        found.add(user.email.lower())
    return found


def already_holds(user, invitation: Invitation) -> bool:
    """Whether `user` holds the invitation's role (or a higher one) in its organisation."""
    roles = [r for r, rank in RANK.items() if rank >= RANK[invitation.role]]
    return Position.objects.filter(
        person__user=user, organisation=invitation.organisation, role__in=roles
    ).exists()


def give_role(person: Person, organisation: Organisation, role: str) -> Position:
    """Give `person` `role` in `organisation`; a higher role already held is kept."""
    position, created = Position.objects.select_for_update().get_or_create(
        person=person, organisation=organisation, defaults={"role": role}
    )
    if not created and RANK.get(position.role, 0) < RANK[role]:
        position.role = role
        position.save(update_fields=["role"])
    return position


@transaction.atomic
def accept(raw_token: str, *, user=None, new_account: NewAccount | None = None) -> Accepted:
    """Accept the invitation of `raw_token`: as the logged-in `user` (who takes the role
    themselves, whatever address the invitation was sent to), or by creating the account
    from `new_account` with the invited address (verified: the link proves it). The account,
    the person and the position are made in one transaction, or nothing is."""
    invitation = Invitation.by_token(raw_token)
    if invitation is not None:
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organisation", "invited_by")
            .get(pk=invitation.pk)
        )
    problem = unusable_reason(invitation)
    if problem is not None:
        raise problem
    _check_inviter_still_may(invitation)
    logged_in = bool(getattr(user, "is_authenticated", False))
    if logged_in:
        if invitation.invited_by_id == user.pk:
            raise Refused(
                _(
                    "You sent this invitation: it is for the person you invited. Share "
                    "nothing; they accept it from their own e-mail."
                )
            )
        if already_holds(user, invitation):
            raise Refused(
                _(
                    "You are already %(role)s of %(organisation)s: this invitation is for "
                    "someone else. Log out to accept it with a new account."
                )
                % {
                    "role": _role_label(invitation.role),
                    "organisation": invitation.organisation.name,
                }
            )
        account, created = user, False
        proven = invitation.email.lower() in _addresses_of(user)
        person = person_for(user, email=invitation.email if proven else "", name=invitation.name)
    elif new_account is not None:
        account, created = _create_account(invitation, new_account), True
        person = person_for(account, email=invitation.email, name=invitation.name)
    else:
        raise InvitationError(_("Log in, or choose a password to create your account."))
    position = give_role(person, invitation.organisation, invitation.role)
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_by = account
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["status", "accepted_by", "accepted_at"])
    return Accepted(invitation, account, position, created)


# Many invitations from a file ---------------------------------------------------------------

BULK_COLUMNS = ["name", "email", "organisation", "role"]
ALIASES = {"e-mail": "email", "mail": "email", "organization": "organisation"}


@dataclass
class BulkReport:
    source: str
    rows: int = 0
    sent: int = 0
    resent: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def find_organisation(key: str) -> tuple[Organisation | None, str]:
    """The organisation a file names by identifier (slug) or by name; else why not."""
    key = " ".join(key.split())
    if not key:
        return None, _("the organisation is required")
    found = Organisation.objects.filter(slug=key).first()
    if found is not None:
        return found, ""
    named = list(Organisation.objects.filter(name__iexact=key)[:2])
    if len(named) == 1:
        return named[0], ""
    if named:
        return None, _(
            "several organisations are named “%(name)s”: write its identifier (%(slugs)s)"
        ) % {"name": key, "slugs": ", ".join(o.slug for o in named)}
    return None, _("no organisation has the identifier or name “%(key)s”") % {"key": key[:80]}


def _parse_role(raw: str) -> str:
    wanted = raw.strip().lower()
    if not wanted:
        return Role.EDITOR
    for value, label in Role.choices:
        if wanted in (value, str(label).lower()):
            return value
    raise InvitationError(_("unknown role “%(role)s”; use editor or manager") % {"role": raw[:40]})


@dataclass
class _BulkRow:
    number: int
    email: str
    name: str
    organisation: Organisation
    role: str


def check_rows(inviter, table: Table) -> tuple[list[_BulkRow], list[RowError]]:
    """Check every row of a file of invitations; nothing is written or sent."""
    header = [ALIASES.get(h, h) for h in table.header]
    errors: list[RowError] = []
    missing = [c for c in ("email", "organisation") if c not in header]
    errors += [RowError(1, c, _("required column is missing from the header")) for c in missing]
    errors += [
        RowError(1, h, _("unknown column; the columns are name, email, organisation, role"))
        for h in header
        if h and h not in BULK_COLUMNS
    ]
    if missing:
        return [], errors
    if not table.rows:
        errors.append(RowError(2, "email", _("the file has no rows below its header")))
    valid: list[_BulkRow] = []
    seen: dict[tuple[str, int], int] = {}
    for number, raw_row in table.rows:
        row = {ALIASES.get(k, k): v for k, v in raw_row.items()}
        before = len(errors)

        def fail(column: str, reason: str, number: int = number) -> None:
            errors.append(RowError(number, column, reason))

        email = name = role = ""
        try:
            email = normalise_email(row.get("email", ""))
        except InvitationError as error:
            fail("email", error.messages[0] if row.get("email") else _("an e-mail is required"))
        try:
            name = clean_name(row.get("name", ""))
        except InvitationError as error:
            fail("name", error.messages[0])
        try:
            role = _parse_role(row.get("role", ""))
        except InvitationError as error:
            fail("role", error.messages[0])
        organisation, reason = find_organisation(row.get("organisation", ""))
        if organisation is None:
            fail("organisation", reason)
        elif role:
            try:
                rules.check_invite(inviter, organisation, role)
            except Refused as error:
                fail("organisation", error.reason)
        if organisation is not None and email:
            key = (email.lower(), organisation.pk)
            if key in seen:
                fail("email", _("same person and organisation as row %(row)s") % {"row": seen[key]})
            seen.setdefault(key, number)
            if holds_role(email, organisation):
                fail(
                    "email",
                    _("%(email)s is already an editor of %(organisation)s")
                    % {"email": email, "organisation": organisation.name},
                )
        if len(errors) == before and organisation is not None:
            valid.append(_BulkRow(number, email, name, organisation, role))
    return valid, errors


def invite_many(inviter, table: Table, *, base_url: str | None = None) -> BulkReport:
    """Invite every row of a CSV/XLSX table (name, email, organisation, role), or nobody:
    every problem of the file is reported with its row and column, and nothing is sent
    unless there is none."""
    report = BulkReport(source=table.source, rows=len(table.rows))
    valid, report.errors = check_rows(inviter, table)
    if report.errors:
        return report
    with transaction.atomic():
        for row in valid:
            sent = invite(
                inviter, row.email, row.name, row.organisation, row.role, base_url=base_url
            )
            if sent.resent:
                report.resent += 1
            else:
                report.sent += 1
    return report


# Join requests ------------------------------------------------------------------------------


def _join_path() -> str:
    return reverse("invitations:join-requests")


@transaction.atomic
def ask_to_join(user, organisation: Organisation, message: str = "") -> JoinRequest:
    """Ask `organisation`'s own people to make `user` one of its editors; grants nothing
    until one of them accepts."""
    if not getattr(user, "is_authenticated", False):
        raise Refused(_("Log in to ask to join an organisation."))
    if Position.objects.filter(
        person__user=user, organisation=organisation, role__in=rules.OWN_ROLES
    ).exists():
        raise JoinConflict(
            _("You are already an editor of %(organisation)s.")
            % {"organisation": organisation.name}
        )
    message = " ".join(message.split("\x00")).strip()
    if len(message) > 2000:
        raise InvitationError(_("The message is longer than 2,000 characters."))
    if JoinRequest.objects.filter(
        user=user, organisation=organisation, status=JoinRequest.Status.PENDING
    ).exists():
        raise JoinConflict(
            _("You have asked to join %(organisation)s already; its people have not answered yet.")
            % {"organisation": organisation.name}
        )
    try:
        with transaction.atomic():
            request = JoinRequest.objects.create(
                user=user, organisation=organisation, role=Role.EDITOR, message=message
            )
    except IntegrityError as error:
        raise JoinConflict(_("You have just asked to join this organisation.")) from error
    who = request.requester_name

    def compose() -> tuple[str, str]:
        values = {
            "who": who,
            "email": user.email or user.get_username(),
            "organisation": organisation.name,
        }
        return (
            _("%(who)s asks to become an editor of %(organisation)s") % values,
            _(
                "%(who)s (%(email)s) asks to become an editor of %(organisation)s on "
                "ClusterBroker. Accept only if you know them: an editor changes the "
                "organisation's profile and acts for it."
            )
            % values
            + (f"\n\n{message}" if message else ""),
        )

    _notify(
        rules.answerers(organisation),
        "join_request",
        compose=compose,
        url=_join_path(),
        actor=user,
    )
    return request


def _locked(request: JoinRequest) -> JoinRequest:
    return (
        JoinRequest.objects.select_for_update(of=("self",))
        .select_related("user", "organisation")
        .get(pk=request.pk)
    )


def _join_pending(request: JoinRequest) -> None:
    if request.status != JoinRequest.Status.PENDING:
        raise JoinConflict(
            _("This request was %(status)s already.")
            % {"status": request.get_status_display().lower()}
        )


def _check_answer(user, request: JoinRequest) -> None:
    if getattr(user, "is_authenticated", False) and request.user_id == user.pk:
        raise Refused(_("You cannot answer your own request: the organisation's people do."))
    if not rules.may_answer_join(user, request):
        raise Refused(
            _("Only the own editors of %(organisation)s answer requests to join it.")
            % {"organisation": request.organisation.name}
        )


def _tell_requester(request: JoinRequest, accepted: bool, user) -> None:
    values = {"organisation": request.organisation.name}

    def compose() -> tuple[str, str]:
        if accepted:
            return (
                _("You are now an editor of %(organisation)s") % values,
                _(
                    "Your request to join %(organisation)s was accepted: you may now keep its "
                    "profile up to date."
                )
                % values,
            )
        return (
            _("Your request to join %(organisation)s was declined") % values,
            _(
                "The people of %(organisation)s declined your request. If you think this is a "
                "mistake, contact them directly."
            )
            % values,
        )

    url = request.organisation.get_absolute_url() if accepted else _join_path()
    _notify([request.user], "join_request_answer", compose=compose, url=url, actor=user)


@transaction.atomic
def accept_join(user, request: JoinRequest) -> Position:
    request = _locked(request)
    _check_answer(user, request)
    _join_pending(request)
    person = person_for(request.user)
    position = give_role(person, request.organisation, request.role)
    request.status = JoinRequest.Status.ACCEPTED
    request.answered_by, request.answered_at = user, timezone.now()
    request.save(update_fields=["status", "answered_by", "answered_at"])
    _tell_requester(request, True, user)
    return position


@transaction.atomic
def decline_join(user, request: JoinRequest) -> JoinRequest:
    request = _locked(request)
    _check_answer(user, request)
    _join_pending(request)
    request.status = JoinRequest.Status.DECLINED
    request.answered_by, request.answered_at = user, timezone.now()
    request.save(update_fields=["status", "answered_by", "answered_at"])
    _tell_requester(request, False, user)
    return request


@transaction.atomic
def withdraw_join(user, request: JoinRequest) -> JoinRequest:
    request = _locked(request)
    if not getattr(user, "is_authenticated", False) or request.user_id != user.pk:
        raise Refused(_("Only the person who asked withdraws a request."))
    _join_pending(request)
    request.status = JoinRequest.Status.WITHDRAWN
    request.answered_by, request.answered_at = user, timezone.now()
    request.save(update_fields=["status", "answered_by", "answered_at"])
    return request


JOIN_ACTIONS = {"accept": accept_join, "decline": decline_join, "withdraw": withdraw_join}


@dataclass(frozen=True)
class Registered:
    organisation: Organisation
    membership: relations.Outcome | None


@transaction.atomic
def register_organisation(
    user, organisation: Organisation, cluster: Organisation | None = None, message: str = ""
) -> Registered:
    """Create `organisation` (an unsaved, validated instance) with `user` as its first and
    only editor, as a brokering profile does; then, if a cluster is named, propose the
    membership: the cluster's managers accept it (a proposal grants nothing until then)."""
    if not getattr(user, "is_authenticated", False):
        raise Refused(_("Log in to register an organisation."))
    if cluster is not None and cluster.kind != "cluster":
        raise InvitationError(_("Choose a cluster organisation."))
    organisation.slug = unique_slug(Organisation, organisation.name)
    organisation.full_clean()
    organisation.save()
    person = person_for(user)
    give_role(person, organisation, Role.EDITOR)
    outcome = None
    if cluster is not None:
        outcome = relations.propose(
            user, Membership(organisation=organisation, cluster=cluster), message
        )
    return Registered(organisation, outcome)
