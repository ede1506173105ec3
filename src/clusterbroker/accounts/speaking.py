"""Write to a person in their language and time zone: their account settings, the site's
defaults otherwise (never the settings of the person who acted)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import timezone, translation


def _chosen(user) -> tuple[str, str]:
    """The (language, time zone) of `user`'s account settings ("" where not chosen)."""
    from .models import AccountSettings

    if not getattr(user, "pk", None):
        return "", ""
    found = AccountSettings.objects.filter(user_id=user.pk).values_list("language", "time_zone")
    return next(iter(found), ("", ""))


def _spoken(language: str) -> str:
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def chosen_language(user) -> str:
    """The language `user` chose, if the site speaks it; else ""."""
    language = _chosen(user)[0]
    return language if language in dict(settings.LANGUAGES) else ""


def language_of(user) -> str:
    """The language `user` chose, if the site speaks it; else the site's default."""
    return chosen_language(user) or settings.LANGUAGE_CODE


def zone_of(user) -> zoneinfo.ZoneInfo | None:
    """The time zone `user` chose, or None."""
    return _zone(_chosen(user)[1])


@contextmanager
def speaking_to(user) -> Iterator[zoneinfo.ZoneInfo | None]:
    """Translate and show times as `user`'s account settings say (one query); gives the
    time zone they chose, or None."""
    language, name = _chosen(user)
    zone = _zone(name)
    with (
        translation.override(_spoken(language)),
        timezone.override(zone or timezone.get_default_timezone()),
    ):
        yield zone
