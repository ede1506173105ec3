"""The bridge between the database and the matching engine.

`current_index()` builds the engine's index from the registry and the brokering
profiles (public data only: descriptions, offers, competences, public needs are
never indexed as text) and keeps it in memory until the data changes;
`match_profile` / `match_need` turn a profile or a need into a query and rank.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from dataclasses import dataclass

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

from .matching import CandidateIndex, CandidateRecord, Match, MatchQuery, Weights, build_index, rank
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


_lock = threading.Lock()
_cache: dict[str, object] = {}


def _version() -> tuple:
    return (
        tuple(Organisation.objects.aggregate(n=Count("id"), t=Max("updated_at")).values()),
        tuple(Profile.objects.aggregate(n=Count("id"), t=Max("updated_at")).values()),
        Competence.objects.count(),
        Offer.objects.count(),
        Participation.objects.count(),
        CordisProject.objects.count(),
        PartnershipMember.objects.count(),
    )


def weights() -> Weights:
    return Weights.from_mapping(getattr(settings, "BROKERING_WEIGHTS", None))


def current_index() -> CandidateIndex:
    """The index of every organisation, rebuilt when the registry or profiles change.

    The first search builds it (a few seconds for tens of thousands of
    organisations). Later, when the data have changed, the search is answered
    from the previous index while a background thread builds the new one
    (setting `BROKERING_BACKGROUND_REBUILD`, on by default; off, the search waits).
    """
    version = _version()
    with _lock:
        current = _cache.get("index")
        if _cache.get("version") == version:
            return current  # type: ignore[return-value]
        background = getattr(settings, "BROKERING_BACKGROUND_REBUILD", True)
        if current is None or not background:
            _cache["index"], _cache["version"] = build_registry_index(), version
            return _cache["index"]  # type: ignore[return-value]
        if _cache.get("building") != version:
            _cache["building"] = version
            threading.Thread(target=_rebuild, args=(version,), daemon=True).start()
        return current  # type: ignore[return-value]


def _rebuild(version: tuple) -> None:
    from django.db import connection

    try:
        index = build_registry_index()
        with _lock:
            _cache["index"], _cache["version"] = index, version
    finally:
        with _lock:
            if _cache.get("building") == version:
                _cache.pop("building", None)
        connection.close()


def build_registry_index() -> CandidateIndex:
    organisations = list(
        Organisation.objects.select_related("region").only(
            "id", "name", "country", "kind", "size_class", "description", "region__code"
        )
    )
    terms: dict[int, set[int]] = defaultdict(set)
    for org_id, term_id in Competence.objects.values_list("organisation_id", "term_id"):
        terms[org_id].add(term_id)
    for org_id, term_id in Offer.terms.through.objects.values_list(
        "offer__profile__organisation_id", "term_id"
    ):
        terms[org_id].add(term_id)
    texts: dict[int, list[str]] = defaultdict(list)
    embeddings: dict[int, np.ndarray] = {}
    for profile in Profile.objects.prefetch_related("offers"):
        texts[profile.organisation_id] += [profile.summary, profile.sector]
        texts[profile.organisation_id] += [o.text for o in profile.offers.all()]
        vector = profile.vector()
        if vector is not None:
            embeddings[profile.organisation_id] = vector
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
            text="\n".join([o.description, *texts.get(o.pk, [])]),
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


def query_for_needs(profile: Profile, needs: list[Need], kind: str) -> MatchQuery:
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
    )


def _results(matches: list[Match]) -> list[RankedResult]:
    organisations = Organisation.objects.in_bulk([m.key for m in matches])
    return [
        RankedResult(
            item=o,
            label=o.name,
            url=o.get_absolute_url(),
            description=f"{o.get_kind_display()} · {o.country}",
            score=m.score,
            reasons=m.reasons,
            signals=m.signals,
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


def rank_calls(profile: Profile, needs: list[Need], limit: int = 20) -> list[RankedResult]:
    """Open calls (published, deadline not passed) for the profile's needs.

    Note for the collections: this reads the community app's `OpenCall` through
    the app registry, never by import, and relies on its fields `status`,
    `title`, `description`, `keywords`, `programme`, `topics`, `opens_on`,
    `deadline`, `eligible_countries`, `eligible_kinds` and `get_absolute_url`.
    Renaming one of them means changing this function (its test says so).
    """
    OpenCall = open_call_model()
    today = timezone.localdate()
    calls = [
        c
        for c in OpenCall.objects.filter(status="published")
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=today))
        .prefetch_related("topics")
        if (not c.eligible_countries or profile.organisation.country in c.eligible_countries)
        and (not c.eligible_kinds or profile.organisation.kind in c.eligible_kinds)
    ]
    if not calls:
        return []
    records = [
        CandidateRecord(
            key=c.pk,
            name=c.title,
            kind="call",
            text="\n".join([c.title, c.description, c.keywords, c.programme]),
            terms=[t.pk for t in c.topics.all()],
            available_from=_to_ordinal(c.opens_on),
            available_until=_to_ordinal(c.deadline),
        )
        for c in calls
    ]
    index = build_index(records, term_labels={t.pk: t.label for t in Term.objects.all()})
    query = query_for_needs(profile, needs, "calls")
    query.anchors, query.partnerships, query.kinds, query.field = [], [], (), ""
    query.country = ""
    matches = rank(index, query, limit=limit, weights=weights(), translate=_)
    by_key = {c.pk: c for c in calls}
    return [
        RankedResult(
            item=by_key[m.key],
            label=by_key[m.key].title,
            url=by_key[m.key].get_absolute_url(),
            description=_("deadline %(date)s") % {"date": by_key[m.key].deadline or "—"},
            score=m.score,
            reasons=[r.replace(_("offers "), _("covers "), 1) for r in m.reasons],
            signals=m.signals,
        )
        for m in matches
    ]


def rank_needs(profile: Profile, user, limit: int = 20) -> list[RankedResult]:
    """Other organisations' needs that the profile's offers could answer (for providers).

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
            text="" if n.confidential else "\n".join([n.description, n.profile.sector]),
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
        embedding=profile.vector(),
        country=profile.organisation.country,
        cross_border=profile.cross_border,
        window=(_to_ordinal(timezone.localdate()), None),
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
        reasons = [r.replace(_("you need"), _("they need")) for r in m.reasons]
        results.append(
            RankedResult(
                item=need,
                label=f"{need.get_kind_display()}: {label[:140]}",
                url=need.get_absolute_url(),
                description=description,
                score=m.score,
                reasons=reasons,
                signals=m.signals,
            )
        )
    return results


def _term_labels() -> dict[int, str]:
    return {t.pk: f"{t.code} {t.label}" for t in Term.objects.all()}


def match_profile(
    profile: Profile, kind: str = "partners", limit: int = 20, user=None
) -> list[RankedResult]:
    """Rank partners, providers or calls for all the profile's needs, or needs it could answer."""
    _check_kind(kind)
    if kind == "needs":
        return rank_needs(profile, user, limit)
    needs = list(profile.needs.prefetch_related("terms"))
    if kind == "calls":
        return rank_calls(profile, needs, limit)
    query = query_for_needs(profile, needs, kind)
    return _results(rank(current_index(), query, limit=limit, weights=weights(), translate=_))


def match_need(need: Need, kind: str = "providers", limit: int = 20) -> list[RankedResult]:
    """Rank partners, providers or calls for one need."""
    _check_kind(kind)
    if kind == "needs":
        return rank_needs(need.profile, None, limit)
    if kind == "calls":
        return rank_calls(need.profile, [need], limit)
    query = query_for_needs(need.profile, [need], kind)
    return _results(rank(current_index(), query, limit=limit, weights=weights(), translate=_))
