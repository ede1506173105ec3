"""The caller's own account: read it, change the name, language and time zone."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from ninja import Router, Schema
from ninja.errors import HttpError

from clusterbroker.accounts import services

from .auth import WRITE_AUTH
from .crud import ErrorOut

router = Router(tags=["account"])


class PositionOut(Schema):
    organisation: str
    organisation_name: str
    role: str
    title: str


class PartnershipRoleOut(Schema):
    partnership: str
    partnership_name: str
    role: str


class AccountOut(Schema):
    username: str
    first_name: str
    last_name: str
    email: str
    email_verified: bool
    language: str
    time_zone: str
    two_factor: bool
    two_factor_required: bool
    positions: list[PositionOut]
    partnership_roles: list[PartnershipRoleOut]


class AccountPatch(Schema):
    """Fields to change; those left out stay as they are. An empty language or time zone
    means the site's default."""

    first_name: str | None = None
    last_name: str | None = None
    language: str | None = None
    time_zone: str | None = None


def _account(user) -> dict:
    person = services.person_for(user, create=False)
    preferences = services.preferences_of(user)
    email = EmailAddress.objects.filter(user=user, primary=True).first()
    roles = services.roles_of(user)
    return {
        "username": user.get_username(),
        "first_name": person.first_name if person else user.first_name,
        "last_name": person.last_name if person else user.last_name,
        "email": email.email if email else user.email,
        "email_verified": bool(email and email.verified),
        "language": preferences.language if preferences else "",
        "time_zone": preferences.time_zone if preferences else "",
        "two_factor": services.two_factor_enabled(user),
        "two_factor_required": services.two_factor_required(user),
        "positions": [
            {
                "organisation": p.organisation.slug,
                "organisation_name": p.organisation.name,
                "role": p.role,
                "title": p.title,
            }
            for p in roles.positions
        ],
        "partnership_roles": [
            {
                "partnership": r.partnership.slug,
                "partnership_name": r.partnership.name,
                "role": r.role,
            }
            for r in roles.partnership_roles
        ],
    }


@router.get(
    "account",
    response=AccountOut,
    auth=WRITE_AUTH,
    summary="Your account",
    operation_id="read_account",
)
def read_account(request):
    """The caller's account: username, name, e-mail, language, time zone, two-factor status,
    and the organisations and partnerships they hold a role in."""
    return _account(request.user)


@router.patch(
    "account",
    response={200: AccountOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="Change your name, language or time zone",
    operation_id="update_account",
)
def update_account(request, payload: AccountPatch):
    user = request.user
    try:
        with transaction.atomic():
            if payload.first_name is not None or payload.last_name is not None:
                current = _account(user)
                services.update_name(
                    user,
                    first_name=payload.first_name
                    if payload.first_name is not None
                    else current["first_name"],
                    last_name=payload.last_name
                    if payload.last_name is not None
                    else current["last_name"],
                )
            if payload.language is not None or payload.time_zone is not None:
                services.update_preferences(
                    user, language=payload.language, time_zone=payload.time_zone
                )
    except ValidationError as error:
        raise HttpError(
            422, "; ".join(f"{name}: {' '.join(m)}" for name, m in error.message_dict.items())
        ) from error
    return _account(user)
