from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .organisations import Organisation


def _organisation_link(verbose_name) -> models.ForeignKey:
    """A reference that outlives the organisation it names (a merge deletes one of the pair,
    an undo brings it back with the same id), like the references of history rows."""
    return models.ForeignKey(
        Organisation,
        verbose_name=verbose_name,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )


class DuplicateProposal(models.Model):
    """Two organisations that are probably the same, with a score (0..1) and the evidence,
    waiting for a person's decision. "Not the same" is kept so that the pair is never
    proposed again. `a` is the one with the smaller id."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MERGED = "merged", _("Merged")
        NOT_SAME = "not_same", _("Not the same")
        SKIPPED = "skipped", _("Skipped")

    a = _organisation_link(_("organisation A"))
    b = _organisation_link(_("organisation B"))
    a_name = models.CharField(_("name of A"), max_length=255)
    b_name = models.CharField(_("name of B"), max_length=255)
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("evidence"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("duplicate proposal")
        verbose_name_plural = _("duplicate proposals")
        constraints = [
            models.UniqueConstraint(fields=["a", "b"], name="duplicate_pair_once"),
            models.CheckConstraint(
                condition=models.Q(a__lt=models.F("b")), name="duplicate_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["status", "score"])]

    def __str__(self) -> str:
        return f"{self.a_name} ~ {self.b_name} ({self.score:.2f})"


class MergeRecord(models.Model):
    """What a merge changed, so that it can be undone: the rows moved from the merged-away
    organisation to the kept one (`moves`: model, id, field, old and new value), the rows
    deleted because the kept one already had their like (`deleted`, serialised, the
    merged-away organisation last) and the empty fields of the kept one that were filled."""

    proposal = models.ForeignKey(
        DuplicateProposal,
        verbose_name=_("proposal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merges",
    )
    kept = _organisation_link(_("kept organisation"))
    gone_id = models.PositiveBigIntegerField(_("merged-away organisation id"))
    gone_name = models.CharField(_("merged-away organisation"), max_length=255)
    gone_slug = models.SlugField(_("merged-away identifier"), max_length=120)
    moves = models.JSONField(default=list)
    deleted = models.JSONField(default=list)
    filled = models.JSONField(default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = _("merge record")
        verbose_name_plural = _("merge records")

    def __str__(self) -> str:
        return f"{self.gone_name} → {self.kept_id}"
