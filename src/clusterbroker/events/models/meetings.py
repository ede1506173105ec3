from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .events import Event, Session
from .participants import Participant


class MeetingRequest(models.Model):
    """One participant asks another for a meeting; the other accepts or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CANCELLED = "cancelled", _("Cancelled by the organisers")

    class Priority(models.IntegerChoices):
        NORMAL = 1, _("Normal")
        HIGH = 2, _("High")
        TOP = 3, _("Top")

    class Part(models.TextChoices):
        ANY = "", _("Any time")
        MORNING = "morning", _("Mornings (before noon)")
        AFTERNOON = "afternoon", _("Afternoons (from noon)")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="requests")
    requester = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="sent_requests"
    )
    requested = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="received_requests"
    )
    message = models.TextField(_("message"), blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    window_sessions = models.ManyToManyField(
        Session,
        verbose_name=_("only in sessions"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty for any session both sides attend."),
    )
    window_part = models.CharField(
        _("only at"), max_length=12, choices=Part.choices, default=Part.ANY, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "-priority", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=F("requested")), name="no_meeting_with_oneself"
            ),
            models.UniqueConstraint(
                fields=["requester", "requested"], name="one_request_per_pair_and_direction"
            ),
        ]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")

    def __str__(self) -> str:
        return f"{self.requester.organisation} → {self.requested.organisation}"

    def clean(self) -> None:
        if self.requester_id and self.requester_id == self.requested_id:
            raise ValidationError(_("A participant cannot request a meeting with themselves."))

    def other(self, participant: Participant) -> Participant:
        return self.requested if participant.pk == self.requester_id else self.requester


class MeetingOutcome(models.TextChoices):
    NONE = "none", _("No follow-up")
    FOLLOW_UP = "follow_up", _("Follow-up planned")
    AGREEMENT = "agreement", _("Agreement signed")


class Meeting(models.Model):
    """An accepted request placed in a slot at a table by the scheduler."""

    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE, related_name="meeting")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="meetings")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    table = models.PositiveIntegerField(_("table"))
    announced = models.BooleanField(_("announced to participants"), default=False)
    happened = models.BooleanField(_("took place"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=MeetingOutcome.choices, blank=True
    )
    outcome_note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["start", "table"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "start", "table"], name="one_meeting_per_table_and_slot"
            )
        ]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.request} at {self.start:%H:%M}, table {self.table}"
