"""A survey asks organisations questions; each asked organisation keeps one response.

The survey belongs to a partnership or to a cluster organisation (its owner): the owner's
managers edit it and read every answer. The organisations asked are listed in `Invitation`;
their own people (editors and managers) edit their organisation's one `Response` until the
survey closes. Who may do what is in `permissions.py`.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusterbroker.registry.models import Organisation, Partnership, Taxonomy


class Audience(models.TextChoices):
    MEMBERS = "members", _("The partnership's members (its clusters)")
    MEMBERS_OF_MEMBERS = "members_of_members", _("The member organisations of those clusters")
    LIST = "list", _("A list of organisations")


class Survey(models.Model):
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="surveys",
    )
    cluster = models.ForeignKey(
        Organisation,
        verbose_name=_("cluster"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="surveys",
        limit_choices_to={"kind": "cluster"},
    )
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    audience = models.CharField(
        _("who is asked"), max_length=20, choices=Audience.choices, default=Audience.MEMBERS
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opening_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-opens_on", "title"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(partnership__isnull=False, cluster__isnull=True)
                | models.Q(partnership__isnull=True, cluster__isnull=False),
                name="survey_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:survey", args=[self.pk])

    @property
    def owner(self) -> Partnership | Organisation:
        return self.partnership or self.cluster

    def clean(self) -> None:
        super().clean()
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("The survey closes before it opens.")})

    def is_open(self, today: dt.date) -> bool:
        return self.opens_on <= today <= self.closes_on

    def status(self, today: dt.date) -> str:
        if today < self.opens_on:
            return "forthcoming"
        return "open" if today <= self.closes_on else "closed"


class QuestionKind(models.TextChoices):
    TERMS = "terms", _("Terms of a taxonomy")
    COUNTRIES = "countries", _("Countries or markets")
    SCALE = "scale", _("Scale")
    NUMBER = "number", _("Number")
    TEXT = "text", _("Short text")


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("explanation"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    required = models.BooleanField(_("an answer is required"), default=False)
    taxonomy = models.ForeignKey(
        Taxonomy,
        verbose_name=_("taxonomy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    with_level = models.BooleanField(_("ask the level of interest"), default=False)
    scale_max = models.PositiveSmallIntegerField(_("top of the scale"), default=5)

    class Meta:
        ordering = ["survey", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        super().clean()
        if self.kind == QuestionKind.TERMS and self.taxonomy_id is None:
            raise ValidationError({"taxonomy": _("Choose the taxonomy whose terms are offered.")})
        if self.kind == QuestionKind.SCALE and not 2 <= self.scale_max <= 10:
            raise ValidationError({"scale_max": _("A scale goes up to a number from 2 to 10.")})


class Invitation(models.Model):
    """An organisation asked to answer a survey."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="survey_invitations"
    )
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "organisation"], name="survey_invitation_unique"
            )
        ]
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")

    def __str__(self) -> str:
        return f"{self.organisation} · {self.survey}"


class Response(models.Model):
    """One organisation's answers to a survey, edited by its people until the survey closes."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="survey_responses"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    consent_to_profile = models.BooleanField(
        _("add the areas we chose to our brokering profile as needs"), default=False
    )
    profile_need = models.ForeignKey(
        "brokering.Need",
        verbose_name=_("need added to the brokering profile"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "organisation"], name="survey_response_unique"
            )
        ]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return f"{self.organisation} · {self.survey}"


class Answer(models.Model):
    """The value of one answer: term choices `[{"term": id, "level": 1-3 or null}]`, country
    codes `["US"]`, a number, or a text, as the question's kind says."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_answer_unique")
        ]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.response} · {self.question}"


class InterestLevel(models.IntegerChoices):
    LOW = 1, _("Some interest")
    MEDIUM = 2, _("Interested")
    HIGH = 3, _("Strong interest")
