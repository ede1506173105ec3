"""A person's own account: name, language and time zone, roles, two-factor status, their
personal data (download) and the deletion of the account.

Pages, the API and the command line call these functions; the personal data export and
erasure themselves are those of `clusterbroker.ops.personal_data`.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusterbroker.ops.personal_data import ErasureReport, erase_person, export_person
from clusterbroker.registry.models import PartnershipRole, Person, Position
from clusterbroker.web.text_rules import validate_name

from .models import AccountSettings

NAME_MAX_LENGTH = 120  # the shorter of the user's and the person's name fields


class AccountError(Exception):
    """An account action that cannot be done, with a message for the person."""


# Language and time zone ---------------------------------------------------------------------


def available_languages() -> list[tuple[str, str]]:
    """(code, name) of every language the product speaks."""
    return [(code, str(name)) for code, name in settings.LANGUAGES]


@cache
def available_time_zones() -> tuple[str, ...]:
    """Every IANA time zone of the system, sorted (the list does not change while running)."""
    return tuple(
        sorted(name for name in zoneinfo.available_timezones() if "/" in name or name == "UTC")
    )


def preferences_of(user) -> AccountSettings | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return AccountSettings.objects.filter(user=user).first()


def update_preferences(
    user, *, language: str | None = None, time_zone: str | None = None
) -> AccountSettings:
    """Set the language and/or time zone of `user` ("" = the site's default)."""
    errors: dict[str, str] = {}
    if language is not None and language and language not in dict(settings.LANGUAGES):
        errors["language"] = _("“%(value)s” is not one of the languages of the site.") % {
            "value": language[:40]
        }
    if time_zone is not None and time_zone and time_zone not in available_time_zones():
        errors["time_zone"] = _("“%(value)s” is not a known time zone.") % {"value": time_zone[:80]}
    if errors:
        raise ValidationError(errors)
    preferences, _created = AccountSettings.objects.get_or_create(user=user)
    if language is not None:
        preferences.language = language
    if time_zone is not None:
        preferences.time_zone = time_zone
    preferences.save()
    return preferences


# Name and person ----------------------------------------------------------------------------


def split_name(name: str) -> tuple[str, str]:
    """First word and the rest of a full name, each cut to the registry's length."""
    first, _sep, last = " ".join(name.split()).partition(" ")
    return first[:120], last[:120]


def person_for(user, *, create: bool = True, email: str = "", name: str = "") -> Person | None:
    """The registry's person of `user`. Without one and with `create`: an unlinked record of
    `email` (an address the user proved) becomes theirs, else a new one is made from the
    account's name (or `name`) and address."""
    person = Person.objects.filter(user=user).first()
    if person is not None or not create:
        return person
    if email:
        person = (
            Person.objects.select_for_update()
            .filter(user=None, email__iexact=email)
            .order_by("pk")
            .first()
        )
        if person is not None:
            person.user = user
            person.save(update_fields=["user"])
            return person
    first, last = split_name(name) if name else ("", "")
    return Person.objects.create(
        user=user,
        first_name=user.first_name or first or user.get_username(),
        last_name=user.last_name or last,
        email=user.email or email,
    )


def _clean_name(value: Any, field: str, label: str, errors: dict[str, list[str]]) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        errors[field] = [_("Enter your %(label)s.") % {"label": label}]
    elif len(text) > NAME_MAX_LENGTH:
        errors[field] = [
            _("At most %(n)s characters, please (this has %(m)s).")
            % {"n": NAME_MAX_LENGTH, "m": len(text)}
        ]
    else:
        try:
            validate_name(text)
        except ValidationError as error:
            errors[field] = error.messages
    return text


@transaction.atomic
def update_name(user, *, first_name: Any, last_name: Any) -> Person:
    """Set the first and last name of `user` and of their person in the registry."""
    errors: dict[str, list[str]] = {}
    first = _clean_name(first_name, "first_name", _("first name"), errors)
    last = _clean_name(last_name, "last_name", _("last name"), errors)
    if errors:
        raise ValidationError(errors)
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    person = person_for(user)
    person.first_name, person.last_name = first, last
    person.save()
    return person


# Roles and two-factor -----------------------------------------------------------------------


@dataclass
class Roles:
    positions: list[Position]
    partnership_roles: list[PartnershipRole]


def roles_of(user) -> Roles:
    """The organisations (positions) and partnerships (roles) that `user` holds a role in."""
    person = person_for(user, create=False)
    if person is None:
        return Roles([], [])
    return Roles(
        positions=list(
            Position.objects.filter(person=person)
            .select_related("organisation")
            .order_by("organisation__name")
        ),
        partnership_roles=list(
            PartnershipRole.objects.filter(person=person)
            .select_related("partnership")
            .order_by("partnership__name", "role")
        ),
    )


def reaches_admin_site(user) -> bool:
    """Staff or superuser: the accounts that reach the Django admin, for whom two-factor
    authentication is required (`registry.permissions.is_platform_admin` is the narrower
    role of platform admin, superusers only)."""
    return bool(getattr(user, "is_authenticated", False) and (user.is_staff or user.is_superuser))


def two_factor_enabled(user) -> bool:
    """Whether `user` logs in with an authenticator app (TOTP)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    return bool(getattr(user, "is_authenticated", False)) and is_mfa_enabled(
        user, [Authenticator.Type.TOTP]
    )


def two_factor_required(user) -> bool:
    """Whether `user` must turn on two-factor authentication (platform admins)."""
    return bool(getattr(settings, "MFA_REQUIRED_FOR_ADMINS", True)) and reaches_admin_site(user)


# Personal data ------------------------------------------------------------------------------


def export_account(user) -> dict:
    """Everything about `user` and their person (the personal data export), as JSON data;
    the log-in's secrets are withheld (see `ops.personal_data.WITHHELD`)."""
    return export_person(person_for(user))


@transaction.atomic
def delete_account(user) -> ErasureReport:
    """Erase the personal data of `user` and close their account (they cannot log in again).

    Records that are not personal (positions, registrations, meetings) are kept and point at
    an anonymous person, as the erasure of `ops.personal_data` does.
    """
    if user.is_superuser:
        others = (
            get_user_model()
            .objects.filter(is_superuser=True, is_active=True)
            .exclude(pk=user.pk)
            .exists()
        )
        if not others:
            raise AccountError(
                _(
                    "You are the only platform admin: make another person an admin before "
                    "you delete your account."
                )
            )
    return erase_person(person_for(user))


def reset_two_factor(user) -> int:
    """Remove the authenticator app and recovery codes of `user` (who lost both); they set
    two-factor up again at their next log-in. The number of authenticators removed."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user).delete()[0]
