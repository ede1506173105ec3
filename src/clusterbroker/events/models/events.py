import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusterbroker.registry.models import Partnership

from ..links import validate_link_template


def default_time_zone() -> str:
    return settings.TIME_ZONE


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(
            _("“%(value)s” is not a known time zone."), params={"value": value[:80]}
        ) from error


class Event(models.Model):
    """A B2B brokerage event: sessions of short one-to-one meetings at tables."""

    slug = models.SlugField(_("identifier"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        help_text=_("The partnership whose figures this event feeds."),
    )
    online = models.BooleanField(_("online"), default=False)
    venue = models.CharField(_("place"), max_length=255, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=_("The times of the event's sessions and meetings are shown in this zone."),
    )
    meeting_link = models.CharField(
        _("online room link"),
        max_length=500,
        blank=True,
        validators=[validate_link_template],
        help_text=_(
            "For online and hybrid meetings: the address of each meeting's room, with "
            "{event} (the event's identifier), {meeting} (the meeting's number) and {table} "
            "(its table) replaced, e.g. https://meet.example.org/{event}-{meeting}."
        ),
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    tables = models.PositiveIntegerField(
        _("tables"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for unlimited (online meetings)."),
    )
    registration_deadline = models.DateTimeField(_("registration deadline"))
    max_requests = models.PositiveIntegerField(
        _("maximum requests per participant"), default=20, validators=[MinValueValidator(1)]
    )
    max_meetings = models.PositiveIntegerField(
        _("maximum meetings per participant"), default=12, validators=[MinValueValidator(1)]
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("organisers"), related_name="organised_events"
    )
    schedule_announced_at = models.DateTimeField(_("schedule announced"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:event", args=[self.slug])

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The last day is before the first day.")
        if not self.online and not self.tables:
            errors["tables"] = _("An event on site needs a number of tables.")
        if errors:
            raise ValidationError(errors)

    @property
    def registration_open(self) -> bool:
        return timezone.now() <= self.registration_deadline

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The event's time zone (the site's when the stored name is not known)."""
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(settings.TIME_ZONE)


class Session(models.Model):
    """A block of meetings: from start to end, meetings of a fixed length with breaks."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    name = models.CharField(_("name"), max_length=120, blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    meeting_minutes = models.PositiveIntegerField(
        _("meeting length (minutes)"), default=20, validators=[MinValueValidator(5)]
    )
    break_minutes = models.PositiveIntegerField(_("break between meetings (minutes)"), default=5)

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "start"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        label = self.name or _("Session")
        return f"{label} {timezone.localtime(self.start):%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The session ends before it starts.")})

    def slot_starts(self) -> list[dt.datetime]:
        """Start times of the meetings that fit in this session."""
        length = dt.timedelta(minutes=self.meeting_minutes)
        step = length + dt.timedelta(minutes=self.break_minutes)
        starts, at = [], self.start
        while at + length <= self.end:
            starts.append(at)
            at += step
        return starts
