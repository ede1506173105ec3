"""Write to a person in their language and time zone: their account settings, the site's
defaults otherwise (never the settings of the person who acted)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import timezone, translation


def language_of(user) -> str:
    """The language `user` chose, if the site speaks it; else the site's default."""
    from .models import AccountSettings

    chosen = ""
    if getattr(user, "pk", None):
        chosen = (
            AccountSettings.objects.filter(user_id=user.pk)
            .values_list("language", flat=True)
            .first()
            or ""
        )
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def zone_of(user) -> zoneinfo.ZoneInfo | None:
    """The time zone `user` chose, or None."""
    from .models import AccountSettings

    name = ""
    if getattr(user, "pk", None):
        name = (
            AccountSettings.objects.filter(user_id=user.pk)
            .values_list("time_zone", flat=True)
            .first()
            or ""
        )
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


@contextmanager
def speaking_to(user) -> Iterator[None]:
    """Translate and show times as `user`'s account settings say."""
    zone = zone_of(user) or timezone.get_default_timezone()
    with translation.override(language_of(user)), timezone.override(zone):
        yield
