"""The bridge between the database and the matching engine.

`current_index()` builds the engine's index from the registry and the brokering
profiles (public data only: descriptions, offers, competences, public needs are
never indexed as text) and keeps it in memory until the data changes;
`match_profile` / `match_need` turn a profile or a need into a query and rank.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import shutil
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.apps import apps
from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterbroker.registry.models import (
    Competence,
    Organisation,
    OrganisationKind,
    Participation,
    PartnershipMember,
    Term,
)

from .matching import (
    CandidateIndex,
    CandidateRecord,
    Match,
    MatchQuery,
    Weights,
    build_index,
    persist,
    rank,
)
from .matching.analyser import ANALYSIS_VERSION
from .models import CordisProject, Need, Offer, Profile
from .network import coparticipation_edges

KINDS = ("partners", "providers", "calls", "needs")
PROVIDER_KINDS = (
    OrganisationKind.DIH,
    OrganisationKind.RTO,
    OrganisationKind.CLUSTER,
    OrganisationKind.UNIVERSITY,
)
# Taxonomies whose terms complement each other: an ICT offer answers a manufacturing need.
COMPLEMENTARY_TAXONOMIES = {
    "effra": ("dia-ict", "i4ms"),
    "dia-industrial": ("dia-ict", "i4ms"),
    "dia-ict": ("effra", "dia-industrial"),
    "i4ms": ("effra", "dia-industrial"),
}


class NoCollections(Exception):
    """Open calls cannot be ranked: the collections of calls are not installed."""


@dataclass
class RankedResult:
    """One ranked organisation or call, with its reasons in words."""

    item: object
    label: str
    url: str
    description: str
    score: float
    reasons: list[str]
    signals: dict[str, float]
    known_partner: bool = False
    # A need shown as its anonymised summary: the provider may ask to be introduced.
    introduce: bool = False


# Which organisations a ranking of partners or providers returns: new ones (the default:
# existing partners are shown apart), only those the asker already worked with, or all.
PARTNER_CHOICES = ("new", "known", "all")
_KNOWN_PARTNERS = {"new": "exclude", "known": "only", "all": "include"}


_lock = threading.Lock()
_cache: dict[str, object] = {}


def language(item: object) -> str:
    """The language a stored text is written in ("" when unknown: read as English)."""
    return getattr(item, "language", "") or ""


def _language_field(model) -> list[str]:
    """["language"] when `model` stores the language of its texts, else []."""
    return [f.name for f in model._meta.concrete_fields if f.name == "language"]


def _main_language(items: list[object], default: str = "") -> str:
    """The language most of `items` are written in (`default` when none is known)."""
    known = Counter(code for code in map(language, items) if code)
    return known.most_common(1)[0][0] if known else default


def _version() -> tuple:
    return (
        tuple(Organisation.objects.aggregate(n=Count("id"), t=Max("updated_at")).values()),
        tuple(Profile.objects.aggregate(n=Count("id"), t=Max("updated_at")).values()),
        Competence.objects.count(),
        Offer.objects.count(),
        Participation.objects.count(),
        CordisProject.objects.count(),
        PartnershipMember.objects.count(),
        ANALYSIS_VERSION,  # texts read anew: a new generation of the index
    )


def weights() -> Weights:
    return Weights.from_mapping(getattr(settings, "BROKERING_WEIGHTS", None))


def _version_name(version: tuple) -> str:
    return hashlib.sha1(repr(version).encode()).hexdigest()[:16]


def current_version_name() -> str:
    """The name the generation of the data as they are now has (or will have)."""
    return _version_name(_version())


def index_directory() -> Path | None:
    """Where the persisted index lives (setting `BROKERING_INDEX_DIR`), or None."""
    value = getattr(settings, "BROKERING_INDEX_DIR", None)
    return Path(value) if value else None


def persist_index() -> Path | None:
    """Build the index of the current data and write it as the current generation
    (run by the background task queue: `tasks.rebuild_brokering_index`)."""
    directory = index_directory()
    if directory is None:
        return None
    version = current_version_name()
    generation = directory / version
    if not generation.exists():
        persist.save(build_registry_index(), generation)
    current = directory / "CURRENT"
    previous = current.read_text(encoding="utf-8").strip() if current.exists() else ""
    pointer = directory / f"CURRENT.{os.getpid()}.partial"
    pointer.write_text(version, encoding="utf-8")
    pointer.replace(current)
    # Keep the previous generation (processes may still read it; a file removed while
    # mapped stays readable by those that mapped it) and remove the older ones.
    for old in directory.iterdir():
        if old.is_dir() and old.name not in (version, previous):
            if not old.name.endswith(".partial"):
                shutil.rmtree(old, ignore_errors=True)
    return generation


def _persisted_index(directory: Path, version: tuple) -> CandidateIndex:
    """The memory-mapped index of the current generation; a rebuild is enqueued when the
    data have changed since (the previous generation answers meanwhile)."""
    from .tasks import rebuild_brokering_index

    directory.mkdir(parents=True, exist_ok=True)
    wanted = _version_name(version)
    pointer = directory / "CURRENT"
    current = pointer.read_text(encoding="utf-8").strip() if pointer.exists() else ""
    if current != wanted and _cache.get("enqueued") != (directory, wanted):
        _cache["enqueued"] = (directory, wanted)
        rebuild_brokering_index.enqueue()
        current = pointer.read_text(encoding="utf-8").strip() if pointer.exists() else ""
    if not current or not (directory / current).is_dir():
        # Nothing persisted yet and the queue has not run: this process builds its own.
        return _own_index(version)
    with _lock:
        if _cache.get("persisted") != (directory, current):
            _cache["mapped"] = persist.load(directory / current)
            _cache["persisted"] = (directory, current)
        return _cache["mapped"]  # type: ignore[return-value]


def _own_index(version: tuple) -> CandidateIndex:
    with _lock:
        if _cache.get("version") != version:
            _cache["index"], _cache["version"] = build_registry_index(), version
        return _cache["index"]  # type: ignore[return-value]


def current_index() -> CandidateIndex:
    """The index of every organisation, for the data as they are now.

    The background task queue builds it (`tasks.rebuild_brokering_index`, enqueued by the
    first process that sees the data changed) into a generation directory under the
    setting `BROKERING_INDEX_DIR`, and every web process reads the current generation
    memory-mapped (`matching/persist.py`): one build for all processes, and the previous
    generation answers while the next is built. Before the first generation exists, or with
    `BROKERING_INDEX_DIR` off, a process builds its own, once per change of the data.
    """
    version = _version()
    directory = index_directory()
    if directory is not None:
        return _persisted_index(directory, version)
    return _own_index(version)


_descriptions: dict[tuple[str, str], np.ndarray] = {}
DESCRIPTION_CACHE = "description-vectors.pickle"


def _description_cache() -> Path | None:
    directory = index_directory()
    return directory / DESCRIPTION_CACHE if directory is not None else None


def description_vectors(organisations: list[Organisation]) -> dict[int, np.ndarray]:
    """Sentence embeddings of the organisations' public descriptions (a hub's, for instance,
    which has no brokering profile), computed once per description and kept beside the
    persisted index, so that a rebuild embeds only new or changed descriptions."""
    from . import embeddings as embedding_model

    model = type(embedding_model._encoder).__name__
    keys = {o.pk: (model, hashlib.sha1(o.description.encode()).hexdigest()) for o in organisations}
    cache = _description_cache()
    if cache is not None and not _descriptions and cache.exists():
        with cache.open("rb") as handle:
            stored = pickle.load(handle)  # noqa: S301 - our own file, written below
        _descriptions.update({k: np.frombuffer(v, dtype=np.float32) for k, v in stored.items()})
    todo = {keys[o.pk]: o.description for o in organisations if keys[o.pk] not in _descriptions}
    pending = list(todo.items())
    for start in range(0, len(pending), 256):
        batch = pending[start : start + 256]
        for (key, _text), raw in zip(
            batch, embedding_model.embed([text for _key, text in batch]), strict=True
        ):
            if raw is not None:
                _descriptions[key] = np.frombuffer(raw, dtype=np.float32)
    if todo and cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_name(f"{cache.name}.{os.getpid()}.partial")
        with partial.open("wb") as handle:
            pickle.dump({k: v.tobytes() for k, v in _descriptions.items()}, handle)
        partial.replace(cache)
    return {pk: _descriptions[key] for pk, key in keys.items() if key in _descriptions}


def build_registry_index() -> CandidateIndex:
    organisations = list(
        Organisation.objects.select_related("region").only(
            "id",
            "name",
            "country",
            "kind",
            "size_class",
            "description",
            "region__code",
            *_language_field(Organisation),
        )
    )
    terms: dict[int, set[int]] = defaultdict(set)
    for org_id, term_id in Competence.objects.values_list("organisation_id", "term_id"):
        terms[org_id].add(term_id)
    for org_id, term_id in Offer.terms.through.objects.values_list(
        "offer__profile__organisation_id", "term_id"
    ):
        terms[org_id].add(term_id)
    texts: dict[int, list[tuple[str, str]]] = defaultdict(list)
    embeddings: dict[int, np.ndarray] = {}
    for profile in Profile.objects.prefetch_related("offers"):
        written = language(profile)
        texts[profile.organisation_id] += [(profile.summary, written), (profile.sector, written)]
        texts[profile.organisation_id] += [(o.text, language(o)) for o in profile.offers.all()]
        vector = profile.vector()
        if vector is not None:
            embeddings[profile.organisation_id] = vector
    if getattr(settings, "BROKERING_EMBED_DESCRIPTIONS", True):
        missing = [o for o in organisations if o.pk not in embeddings and o.description.strip()]
        embeddings.update(description_vectors(missing))
    partnerships: dict[int, set[int]] = defaultdict(set)
    partnership_names: dict[int, str] = {}
    for org_id, p_id, p_name in PartnershipMember.objects.values_list(
        "organisation_id", "partnership_id", "partnership__name"
    ):
        partnerships[org_id].add(p_id)
        partnership_names[p_id] = p_name
    fields: dict[int, Counter] = defaultdict(Counter)
    parts = dict(CordisProject.objects.values_list("project_id", "programme_part"))
    for org_id, project_id, programme in Participation.objects.values_list(
        "organisation_id", "project_id", "project__programme"
    ).iterator(chunk_size=20000):
        fields[org_id][parts.get(project_id) or programme or _("projects")] += 1
    records = [
        CandidateRecord(
            key=o.pk,
            name=o.name,
            country=o.country,
            region=o.region.code if o.region else "",
            kind=o.kind,
            size=o.size_class,
            text=o.description,
            language=language(o),
            texts=texts.get(o.pk, ()),
            terms=terms.get(o.pk, ()),
            embedding=embeddings.get(o.pk),
            partnerships=partnerships.get(o.pk, ()),
            fields=fields.get(o.pk, {}),
        )
        for o in organisations
    ]
    labels = {t.pk: f"{t.code} {t.label}" for t in Term.objects.all()}
    by_taxonomy: dict[str, list[int]] = defaultdict(list)
    for pk, code in Term.objects.values_list("pk", "taxonomy__code"):
        by_taxonomy[code].append(pk)
    complements = {}
    mapping = getattr(settings, "BROKERING_COMPLEMENTARY_TAXONOMIES", COMPLEMENTARY_TAXONOMIES)
    for taxonomy, others in mapping.items():
        targets = [t for other in others for t in by_taxonomy.get(other, [])]
        for term in by_taxonomy.get(taxonomy, []):
            complements[term] = targets
    edges = coparticipation_edges()
    return build_index(
        records,
        term_labels=labels,
        complements=complements,
        partnership_names=partnership_names,
        edges=edges,
    )


def _to_ordinal(value) -> int | None:
    return value.toordinal() if value else None


def query_for_needs(
    profile: Profile, needs: list[Need], kind: str, partners: str = "new"
) -> MatchQuery:
    """The query for partners or providers: relevance first (see `MatchQuery.relevance`),
    existing partners apart unless `partners` asks for them (see `PARTNER_CHOICES`)."""
    if partners not in PARTNER_CHOICES:
        raise ValueError(
            _("Unknown choice “%(value)s”: use new, known or all.") % {"value": partners}
        )
    organisation = profile.organisation
    term_ids = {t.pk for need in needs for t in need.terms.all()}
    vectors = [v for v in (n.vector() for n in needs) if v is not None]
    if not vectors and profile.vector() is not None:
        vectors = [profile.vector()]
    starts = [n.window_start for n in needs if n.window_start]
    ends = [n.window_end for n in needs if n.window_end]
    main_part = (
        CordisProject.objects.filter(project__participations__organisation=organisation)
        .values("programme_part")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("programme_part", flat=True)
        .first()
    )
    return MatchQuery(
        terms=term_ids,
        text="\n".join(n.description for n in needs) or profile.summary,
        language=_main_language(needs) if any(n.description for n in needs) else language(profile),
        embedding=np.mean(vectors, axis=0) if vectors else None,
        country=organisation.country,
        region=organisation.region.code if organisation.region_id else "",
        cross_border=profile.cross_border,
        local=any(n.local for n in needs),
        anchors=[organisation.pk],
        partnerships=list(
            PartnershipMember.objects.filter(organisation=organisation).values_list(
                "partnership_id", flat=True
            )
        ),
        field=main_part or "",
        window=(
            _to_ordinal(min(starts)) if starts else None,
            _to_ordinal(max(ends)) if ends else None,
        ),
        kinds=PROVIDER_KINDS if kind == "providers" else (),
        relevance=True,
        known_partners=_KNOWN_PARTNERS[partners],
    )


# An offer is quoted as the phrase that matched when it is at least this close to the query.
QUOTE_OFFER_FROM = 0.3


def _closest_offers(matches: list[Match], query: MatchQuery) -> dict[int, str]:
    """For each matched organisation, the title of its public offer that answers the query
    best: one carrying a needed term, else the closest in meaning (stored embeddings only:
    nothing is encoded here), when it is at least `QUOTE_OFFER_FROM` close."""
    target = None
    if query.embedding is not None and float(np.linalg.norm(query.embedding)):
        target = np.asarray(query.embedding, dtype=np.float32)
        target = target / float(np.linalg.norm(target))
    needed = set(query.terms)
    keys = [m.key for m in matches]
    with_term = set(
        Offer.terms.through.objects.filter(
            offer__profile__organisation_id__in=keys, term_id__in=needed
        ).values_list("offer_id", flat=True)
    )
    best: dict[int, tuple[float, str]] = {}
    offers = Offer.objects.filter(profile__organisation_id__in=keys).values_list(
        "pk", "profile__organisation_id", "title", "embedding"
    )
    for pk, org_id, title, raw in offers:
        value = 0.0
        if raw and target is not None:
            vector = np.frombuffer(bytes(raw), dtype=np.float32)
            value = float(vector @ target / (np.linalg.norm(vector) or 1.0))
        value += 1.0 if pk in with_term else 0.0
        if value >= QUOTE_OFFER_FROM and value > best.get(org_id, (0.0, ""))[0]:
            best[org_id] = (value, title)
    return {org_id: title for org_id, (_v, title) in best.items()}


def _with_phrase(reasons: list[str], phrase: str) -> list[str]:
    quoted = _("their offer “%(phrase)s” answers what you describe") % {"phrase": phrase}
    marker = _("close in meaning to what you describe")
    replaced = [quoted if r.startswith(marker) else r for r in reasons]
    return replaced if quoted in replaced else [*replaced[:1], quoted, *replaced[1:]]


def _results(matches: list[Match], query: MatchQuery | None = None) -> list[RankedResult]:
    organisations = Organisation.objects.in_bulk([m.key for m in matches])
    phrases = _closest_offers(matches, query) if query is not None else {}
    return [
        RankedResult(
            item=o,
            label=o.name,
            url=o.get_absolute_url(),
            description=f"{o.get_kind_display()} · {o.country}",
            score=m.score,
            reasons=_with_phrase(m.reasons, phrases[m.key]) if m.key in phrases else m.reasons,
            signals=m.signals,
            known_partner=m.known_partner,
        )
        for m in matches
        if (o := organisations.get(m.key)) is not None
    ]


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(
            _("Unknown kind “%(kind)s”: use partners, providers, calls or needs.") % {"kind": kind}
        )


def open_call_model():
    """The open calls of the community collections, when that app is installed."""
    if not apps.is_installed("clusterbroker.community"):
        raise NoCollections(
            _("There are no collections of open calls on this platform, so calls cannot be ranked.")
        )
    try:
        return apps.get_model("community", "OpenCall")
    except LookupError as error:
        raise NoCollections(_("There is no collection of open calls yet.")) from error


# A call without a topic the profile needs answers it when they share this many words
# (besides the stop-lists).
CALL_SHARED_WORDS = 2


def rank_calls(
    profile: Profile, needs: list[Need], limit: int = 20, closed: bool = False
) -> list[RankedResult]:
    """Open calls (published, deadline not passed; `closed` adds the passed ones) for what
    the profile offers and needs, relevance first.

    A call is matched on its title, keywords and description (objectives, scope, expected
    outcomes) with the funding programmes' boilerplate left out (`CALL_STOPWORDS`, learned
    from the 629 calls of the EU portal, and every number), and on its topics; a call
    without a needed topic must share at least `CALL_SHARED_WORDS` words with the profile.
    Each reason quotes the sentence of the call that matched.

    Note for the collections: this reads the community app's `OpenCall` through
    the app registry, never by import, and relies on its fields `status`,
    `title`, `description`, `keywords`, `programme`, `topics`, `opens_on`,
    `deadline`, `eligible_countries`, `eligible_kinds` and `get_absolute_url`.
    Renaming one of them means changing this function (its test says so).
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from .matching.boilerplate import CALL_STOPWORDS, best_phrase

    OpenCall = open_call_model()
    today = timezone.localdate()
    published = OpenCall.objects.filter(status="published")
    if not closed:
        published = published.filter(Q(deadline__isnull=True) | Q(deadline__gte=today))
    calls = [
        c
        for c in published.prefetch_related("topics")
        if (not c.eligible_countries or profile.organisation.country in c.eligible_countries)
        and (not c.eligible_kinds or profile.organisation.kind in c.eligible_kinds)
    ]
    if not calls:
        return []

    def call_text(c) -> str:
        return "\n".join([c.title, c.keywords, c.description])

    records = [
        CandidateRecord(
            key=c.pk,
            name=c.title,
            kind="call",
            text=call_text(c),
            language=language(c),
            terms=[t.pk for t in c.topics.all()],
            available_from=_to_ordinal(c.opens_on),
            available_until=_to_ordinal(c.deadline),
        )
        for c in calls
    ]
    stop = ENGLISH_STOP_WORDS | CALL_STOPWORDS
    index = build_index(
        records,
        term_labels={t.pk: t.label for t in Term.objects.all()},
        stop_words=stop,
        letters_only=True,
    )
    query = query_for_needs(profile, needs, "calls", "all")
    offers = list(profile.offers.prefetch_related("terms"))
    query.terms = set(query.terms) | {t.pk for o in offers for t in o.terms.all()}
    query.text = "\n".join([query.text, *(o.text for o in offers)])
    query.language = _main_language([*needs, *offers], default=query.language)
    query.anchors, query.partnerships, query.kinds, query.field = [], [], (), ""
    query.country, query.local = "", False
    query.viewpoint = "call"  # "covers what you need"; the call's own words are quoted
    matches = rank(index, query, limit=limit, weights=weights(), translate=_)
    # Words compared as the index reads them: stems, each text in its language.
    asked = set(index.analyser.query_terms(query.text, query.language))
    by_key = {c.pk: c for c in calls}
    results = []
    for m in matches:
        call = by_key[m.key]
        read = functools.partial(index.analyser.terms, language=language(call))
        shared = asked & set(read(call_text(call)))
        if m.tier < 2 and len(shared) < CALL_SHARED_WORDS:
            continue  # one word in common ("plant") is not what the call is for
        reasons = list(m.reasons)
        phrase = best_phrase(call.description or call_text(call), asked, analyse=read)
        if phrase:
            reasons.insert(0, _("the call says: “%(phrase)s”") % {"phrase": phrase})
        results.append(
            RankedResult(
                item=call,
                label=call.title,
                url=call.get_absolute_url(),
                description=_("%(state)s, deadline %(date)s")
                % {"state": call.state_label(), "date": call.deadline or "—"},
                score=m.score,
                reasons=reasons[:4],
                signals=m.signals,
            )
        )
    return results


def rank_needs(profile: Profile, user, limit: int = 20) -> list[RankedResult]:
    """Other organisations' needs that the profile's offers answer (for providers), relevance
    first: a need sharing no term (needed or complementary) and no text with the offers is
    not listed.

    A confidential need enters this index with what its anonymised summary shows only
    (technologies, window, the owner's country when the summary names it; no text, no
    embedding), and is labelled with that summary unless `user` may read it.
    """
    from . import permissions
    from .anonymity import NOTHING, profile_disclosures

    needs = list(
        Need.objects.exclude(profile=profile)
        .select_related("profile__organisation")
        .prefetch_related("terms")
    )
    if not needs:
        return []
    shown = profile_disclosures()

    def country(n: Need) -> str:
        if n.confidential:
            return shown.get(n.profile_id, NOTHING).country
        return n.profile.organisation.country

    records = [
        CandidateRecord(
            key=n.pk,
            name=n.get_kind_display(),
            country=country(n),
            kind="need",
            text="" if n.confidential else n.description,
            language="" if n.confidential else language(n),
            texts=() if n.confidential else [(n.profile.sector, language(n.profile))],
            terms=[t.pk for t in n.terms.all()],
            embedding=None if n.confidential else n.vector(),
            available_from=_to_ordinal(n.window_start),
            available_until=_to_ordinal(n.window_end),
        )
        for n in needs
    ]
    index = build_index(records, term_labels=_term_labels())
    offers = list(profile.offers.prefetch_related("terms"))
    query = MatchQuery(
        terms={t.pk for o in offers for t in o.terms.all()},
        text="\n".join(o.text for o in offers) or profile.summary,
        language=_main_language(offers) if offers else language(profile),
        embedding=profile.vector(),
        country=profile.organisation.country,
        cross_border=profile.cross_border,
        window=(_to_ordinal(timezone.localdate()), None),
        relevance=True,
        viewpoint="need",  # "you offer what they need"
    )
    matches = rank(index, query, limit=limit, weights=weights(), translate=_)
    by_key = {n.pk: n for n in needs}
    results = []
    for m in matches:
        need = by_key[m.key]
        visible = permissions.can_see_need(user, need)
        label = need.description if visible else _("Confidential need (anonymised)")
        if visible:
            description = f"{need.profile.organisation.name} · {need.profile.organisation.country}"
        else:
            area = shown.get(need.profile_id, NOTHING).area
            description = " · ".join([_("anonymous"), *([area] if area else [])])
        results.append(
            RankedResult(
                item=need,
                label=f"{need.get_kind_display()}: {label[:140]}",
                url=need.get_absolute_url(),
                description=description,
                score=m.score,
                reasons=m.reasons,
                signals=m.signals,
                introduce=not visible,
            )
        )
    return results


def _term_labels() -> dict[int, str]:
    return {t.pk: f"{t.code} {t.label}" for t in Term.objects.all()}


def match_profile(
    profile: Profile,
    kind: str = "partners",
    limit: int = 20,
    user=None,
    partners: str = "new",
    closed: bool = False,
) -> list[RankedResult]:
    """Rank partners, providers or calls for all the profile's needs, or needs it could answer.

    For partners and providers, `partners` says whether organisations the profile's
    organisation already worked with are left out ("new", the default), the only ones
    ("known": the "you already work with" list) or included ("all"). For calls, `closed`
    adds the calls whose deadline has passed.
    """
    _check_kind(kind)
    if kind == "needs":
        return rank_needs(profile, user, limit)
    needs = list(profile.needs.prefetch_related("terms"))
    if kind == "calls":
        return rank_calls(profile, needs, limit, closed)
    query = query_for_needs(profile, needs, kind, partners)
    matches = rank(current_index(), query, limit=limit, weights=weights(), translate=_)
    return _results(matches, query)


def match_need(
    need: Need,
    kind: str = "providers",
    limit: int = 20,
    partners: str = "new",
    closed: bool = False,
) -> list[RankedResult]:
    """Rank partners, providers or calls for one need (see `match_profile` for `partners`)."""
    _check_kind(kind)
    if kind == "needs":
        return rank_needs(need.profile, None, limit)
    if kind == "calls":
        return rank_calls(need.profile, [need], limit, closed)
    query = query_for_needs(need.profile, [need], kind, partners)
    matches = rank(current_index(), query, limit=limit, weights=weights(), translate=_)
    return _results(matches, query)
