"""Times of an event: shown in the event's time zone, and in the reader's own beside it.

Every time of an event page, agenda, grid or e-mail says its zone ("09:00 CET"); when the
reader's account has another time zone where the clock differs, their own time follows
("09:00 CET (16:00 Asia/Shanghai)").
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import formats, timezone

from .models import Event


def zone_of_user(user: object) -> zoneinfo.ZoneInfo | None:
    """The time zone of the person's account settings, if they set one."""
    from clusterbroker.accounts.services import preferences_of

    preferences = preferences_of(user)
    name = getattr(preferences, "time_zone", "")
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def other_zone(event: Event, zone: zoneinfo.ZoneInfo | None) -> zoneinfo.ZoneInfo | None:
    """`zone` when it is not the event's, else None."""
    if zone is None or zone.key == event.zone.key:
        return None
    return zone


def in_zone(moment: dt.datetime, zone: zoneinfo.ZoneInfo, fmt: str = "H:i") -> str:
    """`moment` in `zone` with the zone's abbreviation: "Mon 2 Mar 09:00 CET"."""
    local = timezone.localtime(moment, zone)
    return f"{formats.date_format(local, fmt)} {zone_label(local)}"


def zone_label(local: dt.datetime) -> str:
    """The abbreviation of an aware time's zone ("CET"), or its offset when it has none."""
    name = local.tzname() or ""
    if not name or name[0] in "+-":
        offset = local.strftime("%z")
        return f"UTC{offset[:3]}:{offset[3:]}" if offset != "+0000" else "UTC"
    return name


def event_time(
    moment: dt.datetime,
    event: Event,
    own: zoneinfo.ZoneInfo | None = None,
    fmt: str = "H:i",
    own_fmt: str = "H:i",
) -> str:
    """The time in the event's zone, with the reader's own time beside when it differs."""
    there = timezone.localtime(moment, event.zone)
    text = in_zone(moment, event.zone, fmt)
    own = other_zone(event, own)
    if own is None:
        return text
    here = timezone.localtime(moment, own)
    if here.utcoffset() == there.utcoffset():
        return text
    if here.date() != there.date() and "D" not in own_fmt:
        own_fmt = f"D {own_fmt}"
    return f"{text} ({in_zone(moment, own, own_fmt)}, {own.key})"
