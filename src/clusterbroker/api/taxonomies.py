"""The taxonomies API: each shared vocabulary of competences with its terms (open reads).

Names and labels come in every language the registry holds: `names` / `labels` are
{language code: text}, English (`en`) included; `name` / `label` / `description` are the
text in the request's language (`?lang=fr`, else the site's language of the request:
account settings, language cookie, Accept-Language), falling back to English — so without
a language they are the English text as before.
"""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import Router, Schema

from clusterbroker.registry.models import Taxonomy, Term

router = Router(tags=["taxonomies"])


class TermOut(Schema):
    code: str
    key: str
    label: str
    labels: dict[str, str]
    description: str
    parent: str | None
    position: int


class _Taxonomy(Schema):
    code: str
    name: str
    names: dict[str, str]
    description: str
    source: str
    language: str


class TaxonomyOut(_Taxonomy):
    terms: int


class TaxonomyDetailOut(_Taxonomy):
    terms: list[TermOut]


def request_language(lang: str = "") -> str:
    """The language asked for: `?lang=`, else the active language of the request."""
    code = (lang or "").strip().lower()
    return code or translation.get_language() or "en"


def _all(english: str, others: dict) -> dict[str, str]:
    return {"en": english, **{k: v for k, v in (others or {}).items() if k != "en"}}


def _taxonomy(taxonomy: Taxonomy, language: str) -> dict:
    return {
        "code": taxonomy.code,
        "name": taxonomy.name_in(language),
        "names": _all(taxonomy.name, taxonomy.names),
        "description": taxonomy.description,
        "source": taxonomy.source,
        "language": language,
    }


def term_out(term: Term, taxonomy_code: str, language: str) -> dict:
    """A term as the API gives it, `label`/`description` in `language`."""
    return {
        "code": term.code,
        "key": f"{taxonomy_code}:{term.code}",
        "label": term.label_in(language),
        "labels": _all(term.label, term.labels),
        "description": term.description_in(language),
        "parent": term.parent.code if term.parent_id else None,
        "position": term.position,
    }


@router.get("/", response=list[TaxonomyOut], summary="Taxonomies")
def list_taxonomies(request, lang: str = ""):
    """Every taxonomy, its name in the request's language and in all, and its term count."""
    language = request_language(lang)
    return [
        {**_taxonomy(t, language), "terms": t.term_count}
        for t in Taxonomy.objects.annotate(term_count=Count("terms")).order_by("code")
    ]


@router.get("/{code}", response=TaxonomyDetailOut, summary="A taxonomy and its terms")
def taxonomy_detail(request, code: str, lang: str = ""):
    """The taxonomy with its terms, labels in the request's language and in all."""
    language = request_language(lang)
    taxonomy = get_object_or_404(Taxonomy, code=code)
    terms = taxonomy.terms.select_related("parent").order_by("position", "code")
    return {
        **_taxonomy(taxonomy, language),
        "terms": [term_out(t, taxonomy.code, language) for t in terms],
    }
