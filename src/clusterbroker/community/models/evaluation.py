"""Label and award calls: criteria, applications, evaluators, scores, consensus, decision."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from clusterbroker.registry.models import Organisation, Project

from ..storage import attachment_storage
from .stories import Story


class CriteriaSet(models.Model):
    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")

    def __str__(self) -> str:
        return self.name


class CriteriaSection(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="sections")
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["criteria_set", "position"]
        verbose_name = _("criteria section")
        verbose_name_plural = _("criteria sections")

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    section = models.ForeignKey(CriteriaSection, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=0)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["section__position", "position"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.name


class AwardCall(models.Model):
    """A call for a label or an award, open for applications within a window."""

    class Kind(models.TextChoices):
        LABEL = "label", pgettext_lazy("quality label awarded", "Label")
        AWARD = "award", _("Award")

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices, default=Kind.LABEL)
    description = models.TextField(_("description"), blank=True)
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria"), on_delete=models.PROTECT, related_name="calls"
    )
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    threshold = models.DecimalField(
        _("award threshold (weighted score, %)"), max_digits=5, decimal_places=2, default=60
    )
    scores_due_on = models.DateField(
        _("scores due"),
        null=True,
        blank=True,
        help_text=_(
            "The day by which evaluators submit their scores. Those who have not are reminded "
            "in the week before, and once more after it (clusterbroker notify-scores-due)."
        ),
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("managers"), blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-opens_on"]
        verbose_name = _("label or award call")
        verbose_name_plural = _("label and award calls")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:award-call", args=[self.slug])


class Application(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        IN_EVALUATION = "in_evaluation", _("In evaluation")
        DECIDED = "decided", _("Decided")

    call = models.ForeignKey(AwardCall, on_delete=models.CASCADE, related_name="applications")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("applicant"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"))
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    story = models.ForeignKey(
        Story,
        verbose_name=_("success story"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=14, choices=State.choices, default=State.SUBMITTED)
    consensus_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    consensus_comment = models.TextField(_("consensus comment"), blank=True)
    awarded = models.BooleanField(null=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["call", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "organisation", "title"], name="application_unique"
            )
        ]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:application", args=[self.pk])


class Attachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="applications/%Y/", storage=attachment_storage)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluation_assignments"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "evaluator"], name="assignment_unique")
        ]
        verbose_name = _("evaluator assignment")
        verbose_name_plural = _("evaluator assignments")

    def __str__(self) -> str:
        return f"{self.evaluator} · {self.application}"


class ScoreReminder(models.Model):
    """A reminder sent to an evaluator whose scores were missing: one per assignment, per
    window (the days before the due date, or after it) and per due date, so that running the
    reminders again sends nothing twice (a new due date opens new windows)."""

    class Window(models.TextChoices):
        SOON = "soon", _("Due soon")
        LATE = "late", _("Overdue")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    window = models.CharField(_("window"), max_length=8, choices=Window.choices)
    due_on = models.DateField(_("scores due"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "window", "due_on"], name="score_reminder_once"
            )
        ]
        verbose_name = _("scores reminder")
        verbose_name_plural = _("scores reminders")

    def __str__(self) -> str:
        return f"{self.assignment} · {self.window} {self.due_on}"


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_unique")
        ]
        verbose_name = _("score")
        verbose_name_plural = _("scores")

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class Certificate(models.Model):
    """The certificate of an awarded application: a document made once, at the decision.

    It keeps what was awarded to whom and when as it stood then (the organisation's name, the
    label or award, the title, the score) and the PDF itself; renaming the organisation or the
    call later changes neither. The unguessable `code` opens its public verification page.
    """

    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificate",
    )
    number = models.CharField(_("number"), max_length=120, unique=True)
    code = models.CharField(_("verification code"), max_length=40, unique=True)
    organisation_name = models.CharField(_("awarded organisation"), max_length=255)
    call_name = models.CharField(_("label or award"), max_length=200)
    kind = models.CharField(_("type"), max_length=8, choices=AwardCall.Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    issued_at = models.DateTimeField(_("issued"))
    pdf = models.BinaryField(_("PDF"))

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("A certificate is made once and never changed.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("community:certificate-verify", args=[self.code])
