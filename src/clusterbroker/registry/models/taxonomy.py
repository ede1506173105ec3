from collections.abc import Mapping

from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .organisations import Organisation


def language_candidates(language: str | None = None) -> list[str]:
    """The language codes to look up, most specific first: `pt-br` gives `pt-br`, `pt`.

    Without `language`, the active language (`get_language()`)."""
    code = (language or get_language() or "").strip().lower().replace("_", "-")
    if not code:
        return []
    base = code.split("-")[0]
    return [code] if base == code else [code, base]


def in_language(texts: Mapping[str, str] | None, default: str, language: str | None = None) -> str:
    """The text of `texts` ({language code: text}) in `language` (default: the active one),
    else in its base language (`pt` for `pt-br`), else `default` (the English text)."""
    if texts:
        for code in language_candidates(language):
            text = texts.get(code)
            if isinstance(text, str) and text.strip():
                return text
    return default


class Taxonomy(models.Model):
    """A shared vocabulary of competences (EFFRA domains, I4MS technology areas …)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    # {language code: text}, the English being `name`; see `name_in()`.
    names = models.JSONField(_("names"), default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")

    def __str__(self) -> str:
        return self.name_in()

    def name_in(self, language: str | None = None) -> str:
        """The name in `language` (default: the active language), falling back to `name`."""
        return in_language(self.names, self.name, language)


class Term(models.Model):
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.CASCADE, related_name="terms")
    code = models.CharField(_("code"), max_length=40)
    label = models.CharField(pgettext_lazy("name shown", "label"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    position = models.PositiveSmallIntegerField(default=0)
    # {language code: text}, the English being `label` / `description`; see `label_in()`.
    labels = models.JSONField(pgettext_lazy("name shown", "labels"), default=dict, blank=True)
    descriptions = models.JSONField(_("descriptions"), default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["taxonomy", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "code"], name="term_code_unique")
        ]
        verbose_name = _("term")
        verbose_name_plural = _("terms")

    def __str__(self) -> str:
        return f"{self.code} {self.label_in()}"

    def label_in(self, language: str | None = None) -> str:
        """The label in `language` (default: the active language), else in its base language
        (`pt` for `pt-br`), else `label` (English)."""
        return in_language(self.labels, self.label, language)

    def description_in(self, language: str | None = None) -> str:
        """The description in `language` (default: the active one), else `description`."""
        return in_language(self.descriptions, self.description, language)

    @property
    def key(self) -> str:
        """The term's reference as used in files and URLs: `taxonomy:code`."""
        return f"{self.taxonomy.code}:{self.code}"


class CompetenceLevel(models.TextChoices):
    LISTED = "listed", _("Listed")
    ACTIVE = "active", _("Active")
    LEADING = "leading", _("Leading")


class Competence(models.Model):
    """An organisation's competence in one taxonomy term."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="competences"
    )
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="competences")
    level = models.CharField(
        _("level"), max_length=10, choices=CompetenceLevel.choices, default=CompetenceLevel.LISTED
    )
    evidence = models.TextField(_("evidence"), blank=True)
    project = models.ForeignKey(
        "registry.Project",
        verbose_name=_("evidence project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidenced_competences",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["term__taxonomy", "term__position", "term__code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "term"], name="competence_unique")
        ]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")

    def __str__(self) -> str:
        return f"{self.organisation} · {self.term}"


class Label(models.Model):
    """A recognition awarded to an organisation (e.g. the I4MS-SAE label)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="labels")
    label = models.CharField(pgettext_lazy("quality label awarded", "label"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["label", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "label"], name="label_unique")
        ]
        verbose_name = pgettext_lazy("quality label awarded", "label")
        verbose_name_plural = pgettext_lazy("quality label awarded", "labels")

    def __str__(self) -> str:
        return f"{self.label} · {self.organisation}"
