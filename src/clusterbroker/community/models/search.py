from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from clusterbroker.registry.models import Term


class Collection(models.TextChoices):
    CALL = "call", _("Open calls")
    OFFER = "offer", _("Marketplace")
    STORY = "story", _("Best practices")
    EVENT = "event", _("Events")
    ORGANISATION = "organisation", _("Organisations")


class SearchDocument(models.Model):
    """One searchable item, denormalised from its collection for fast search and facets.

    `title_words` and `body_words` are the analysed text (`text.analysis.analysed`: every
    word stemmed in the document's `language`, diacritics removed), which the full-text
    indexes store: on SQLite an external-content FTS5 table (`community_search_fts`, kept in
    step by triggers), on PostgreSQL `vector`, the weighted tsvector behind a GIN index.
    """

    key = models.CharField(max_length=40, unique=True)
    collection = models.CharField(max_length=16, choices=Collection.choices)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    # The language the texts are written in ("" when unknown: analysed as English).
    language = models.CharField(max_length=8, blank=True, default="")
    title_words = models.TextField(blank=True, default="")
    body_words = models.TextField(blank=True, default="")
    url = models.CharField(max_length=300)
    published = models.BooleanField(default=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    sector = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=2, blank=True)
    org_kind = models.CharField(max_length=20, blank=True)
    date = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["collection", "object_id"]),
            models.Index(fields=["published", "collection"]),
            # An index, not `db_index`: altering the field would make SQLite copy the table
            # and lose the full-text triggers.
            models.Index(fields=["indexed_at"], name="community_search_indexed_at"),
        ]

    def __str__(self) -> str:
        return self.title


class DocumentTerm(models.Model):
    """A technology term of a document (a document may have several)."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="terms")
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "term"], name="document_term_unique")
        ]
        indexes = [models.Index(fields=["term", "document"])]

    def __str__(self) -> str:
        return f"{self.document_id} · {self.term_id}"


class SearchIndexState(models.Model):
    """The search snapshot this database has (see `community.search.snapshot`).

    A snapshot on disk is used only when its generation is the one recorded here, so a
    snapshot left over from another database (or a test) is never read.
    """

    name = models.CharField(max_length=20, unique=True, default="default")
    generation = models.CharField(max_length=40)
    built_at = models.DateTimeField()
    documents = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} · {self.generation}"


class SearchTombstone(models.Model):
    """A search document deleted after the snapshot was written: masked until the next one."""

    document_id = models.PositiveBigIntegerField()
    deleted_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.document_id} deleted {self.deleted_at:%Y-%m-%d %H:%M}"


class SavedSearch(models.Model):
    """A user's search kept with its filters; new matching items raise alerts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=120)
    text = models.CharField(_("search words"), max_length=300, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    email = models.BooleanField(_("alert by e-mail"), default=True)
    checked_at = models.DateTimeField(auto_now_add=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self) -> str:
        return self.name


class Alert(models.Model):
    """A new item matched a saved search."""

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="alerts")
    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["saved_search", "document"], name="alert_unique")
        ]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self) -> str:
        return f"{self.saved_search} · {self.document}"
