"""Keep the search documents in step with the collections and the registry.

Each collection item, organisation and event has one `SearchDocument`, written with the
language of its texts and their analysed words (`text.analysis`), which the full-text
indexes store. On SQLite the FTS5 table follows the documents through triggers (see the
migrations); on PostgreSQL `vector` is recomputed here after each write. Labels of
choices (an offer's kind, an organisation's type) are indexed in the document's language.
"""

from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Model
from django.utils import translation

from clusterbroker.events.models import Event
from clusterbroker.registry.models import Organisation
from clusterbroker.text.analysis import analysed, language_of

from ..models import Collection, DocumentTerm, Offer, OpenCall, SearchDocument, Status, Story

# The words are analysed before they reach PostgreSQL: its own configuration only splits them.
CONFIG = "simple"


def postgres_vector():
    """The weighted tsvector of a document: the title counts more than the body."""
    return SearchVector("title_words", weight="A", config=CONFIG) + SearchVector(
        "body_words", weight="B", config=CONFIG
    )


def update_vectors(ids: Iterable[int] | None = None) -> None:
    """Recompute the PostgreSQL vectors of these documents (all when None); no-op elsewhere."""
    if connection.vendor != "postgresql":
        return
    documents = SearchDocument.objects.all()
    if ids is not None:
        documents = documents.filter(pk__in=list(ids))
    documents.update(vector=postgres_vector())


def _join(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


def _offers(organisation: Organisation) -> list[tuple[str, str]]:
    """The public text of the organisation's brokering offers (never its needs), each with
    the language it is written in."""
    from clusterbroker.brokering.models import Offer as BrokeringOffer

    offers = BrokeringOffer.objects.filter(profile__organisation=organisation).prefetch_related(
        "terms"
    )
    return [
        (
            _join(o.title, o.description, " ".join(t.label_in() for t in o.terms.all())),
            getattr(o, "language", "") or "",
        )
        for o in offers
    ]


def _fields_for(obj: Model) -> tuple[str, dict, list[int]]:
    """The collection, the document's fields and its term ids, for any indexed object."""
    if isinstance(obj, OpenCall):
        fields = {
            "title": obj.title,
            "body": _join(
                obj.funder, obj.programme, obj.reference or "", obj.keywords, obj.description
            ),
            "published": obj.status == Status.PUBLISHED,
            "author_id": obj.author_id,
            "sector": "",
            "country": "",
            "org_kind": "",
            "date": obj.deadline,
            "closes_on": obj.deadline,
        }
        return Collection.CALL, fields, [t.pk for t in obj.topics.all()]
    if isinstance(obj, Offer):
        provider = obj.organisation
        sectors = list(obj.sectors.all())
        fields = {
            "title": obj.title,
            "body": _join(
                obj.get_kind_display(),
                provider.name if provider else "",
                obj.description,
                " ".join(s.name for s in sectors),
            ),
            "published": obj.status == Status.PUBLISHED,
            "author_id": obj.author_id,
            "sector": sectors[0].name if sectors else "",
            "country": provider.country if provider else "",
            "org_kind": provider.kind if provider else "",
            "date": (obj.published_at or obj.created_at).date() if obj.created_at else None,
            "closes_on": None,
        }
        return Collection.OFFER, fields, [t.pk for t in obj.terms.all()]
    if isinstance(obj, Story):
        organisations = list(obj.organisations.all())
        fields = {
            "title": obj.title,
            "body": _join(
                obj.summary,
                obj.challenge,
                obj.solution,
                obj.results,
                obj.impact,
                " ".join(o.name for o in organisations),
            ),
            "published": obj.status == Status.PUBLISHED,
            "author_id": obj.author_id,
            "sector": obj.sector.name if obj.sector else "",
            "country": obj.country,
            "org_kind": organisations[0].kind if organisations else "",
            "date": (obj.published_at or obj.created_at).date() if obj.created_at else None,
            "closes_on": None,
        }
        return Collection.STORY, fields, [t.pk for t in obj.terms.all()]
    if isinstance(obj, Organisation):
        offers = _offers(obj)
        own = _join(
            obj.acronym,
            obj.get_kind_display(),
            obj.city,
            obj.main_thematic,
            obj.description,
            " ".join(c.term.label_in() for c in obj.competences.select_related("term")),
        )
        fields = {
            "title": obj.name,
            "body": _join(own, *(text for text, _language in offers)),
            # Analysed apart: the offers may be written in another language than the
            # organisation's description.
            "_parts": [(own, None), *offers],
            "published": True,
            "author_id": None,
            "sector": "",
            "country": obj.country,
            "org_kind": obj.kind,
            "date": None,
            "closes_on": None,
        }
        return (
            Collection.ORGANISATION,
            fields,
            list(obj.competences.values_list("term_id", flat=True)),
        )
    if isinstance(obj, Event):
        fields = {
            "title": obj.name,
            "body": _join(obj.venue, obj.description),
            "published": True,
            "author_id": None,
            "sector": "",
            "country": "",
            "org_kind": "",
            "date": obj.start_date,
            "closes_on": obj.end_date,
        }
        return Collection.EVENT, fields, []
    raise TypeError(f"{type(obj).__name__} is not indexed")


def document_key(collection: str, object_id: int) -> str:
    return f"{collection}:{object_id}"


def text_language(obj: Model) -> str:
    """The language of an object's texts as its author or the detector set it ("" unknown)."""
    return getattr(obj, "language", "") or ""


def analysed_fields(fields: dict, language: str) -> dict:
    """`fields` with the language and the analysed title and body the indexes store (a
    body given in `_parts`, (text, language) pairs, is analysed part by part)."""
    fields = dict(fields)
    parts = fields.pop("_parts", None) or [(fields["body"], None)]
    body_words = " ".join(analysed(text, part or language) for text, part in parts if text)
    return {
        **fields,
        "language": language,
        "title_words": analysed(fields["title"], language),
        "body_words": body_words,
    }


@transaction.atomic
def index_object(obj: Model) -> SearchDocument:
    """Create or refresh the search document of `obj`."""
    language = text_language(obj)
    with translation.override(language_of(language)):
        collection, fields, term_ids = _fields_for(obj)
    fields = analysed_fields(fields, language)
    document, _created = SearchDocument.objects.update_or_create(
        key=document_key(collection, obj.pk),
        defaults={
            **fields,
            "collection": collection,
            "object_id": obj.pk,
            "url": obj.get_absolute_url(),
        },
    )
    current = set(document.terms.values_list("term_id", flat=True))
    if current != set(term_ids):
        document.terms.all().delete()
        DocumentTerm.objects.bulk_create(
            [DocumentTerm(document=document, term_id=t) for t in set(term_ids)]
        )
    update_vectors([document.pk])
    return document


def unindex_object(collection: str, object_id: int) -> None:
    SearchDocument.objects.filter(key=document_key(collection, object_id)).delete()


def rebuild() -> int:
    """Index everything again; returns the number of documents."""
    count = 0
    for model in (OpenCall, Offer, Story, Organisation, Event):
        for obj in model.objects.all().iterator(chunk_size=500):
            index_object(obj)
            count += 1
    return count
