"""Reasons in words: why a candidate is in the list, from its strongest signals."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .combine import Weights
from .index import CandidateIndex
from .query import MatchQuery
from .vocabulary import COLUMN, label

# A signal gives a reason when it is at least this strong.
THRESHOLD = 0.05
MAX_REASONS = 4
# Whose point of view the reasons take (`MatchQuery.viewpoint`): the asker's, to whom a
# candidate offers what they need; a call's, which covers what the asker needs (the words
# it shares are quoted by the caller instead); a need's, whose owner needs what the asker
# offers. Each viewpoint has sentences of its own, whole for translators.
VIEWPOINTS = ("asker", "call", "need")


def _labels(index: CandidateIndex, row: int, columns: np.ndarray) -> list[str]:
    offered = index.terms.indices[index.terms.indptr[row] : index.terms.indptr[row + 1]]
    out = []
    for c in offered:
        if columns[c]:
            term = index.term_of_column[int(c)]
            out.append(index.term_labels.get(term, str(term)))
    return out


def _shared_words(index: CandidateIndex, row: int, text_vector, query: MatchQuery) -> list[str]:
    """The (at most three) strongest words shared, as the query writes them (not stems)."""
    if text_vector is None or index.vectorizer is None:
        return []
    candidate = index.text[row]
    common = np.intersect1d(candidate.indices, text_vector.indices)
    if not len(common):
        return []
    weight = {i: v for i, v in zip(candidate.indices, candidate.data, strict=True)}
    weight_q = {i: v for i, v in zip(text_vector.indices, text_vector.data, strict=True)}
    best = sorted(common, key=lambda i: -weight[i] * weight_q[i])[:3]
    stems = [str(index.vocabulary[i]) for i in best]
    return index.analyser.readable(stems, query.text, query.language)


def _partners_in_common(index: CandidateIndex, row: int, query: MatchQuery) -> int:
    anchors = [index.row_of[a] for a in query.anchors if a in index.row_of]
    if not anchors:
        return 0
    partners = np.unique(index.network[anchors].indices)
    partners = partners[partners != row]
    if not len(partners):
        return 0
    return int((index.network[partners][:, [row]].toarray() > 0).sum())


def _local_reason(
    index: CandidateIndex, row: int, value: float, translate: Callable[[str], str]
) -> str:
    _ = translate
    if value >= 1.0:
        return _("in your region (%(region)s): local help preferred") % {
            "region": index.regions[row]
        }
    return _("in your country (%(country)s): local help preferred") % {
        "country": index.countries[row]
    }


def _coverage_reason(viewpoint: str, terms: str, translate: Callable[[str], str]) -> str:
    """The candidate has terms the asker needs (for "need", the asker offers what it needs)."""
    _ = translate
    if viewpoint == "call":
        return _("covers %(terms)s you need") % {"terms": terms}
    if viewpoint == "need":
        return _("you offer %(terms)s they need") % {"terms": terms}
    return _("offers %(terms)s you need") % {"terms": terms}


def _complement_reason(viewpoint: str, terms: str, translate: Callable[[str], str]) -> str:
    """The candidate has terms complementing the asker's (for "need", it needs them)."""
    _ = translate
    if viewpoint == "need":
        return _("they need %(terms)s, complementary to what you offer") % {"terms": terms}
    return _("brings %(terms)s, complementary to what you need") % {"terms": terms}


def explain(
    index: CandidateIndex,
    row: int,
    query: MatchQuery,
    values: dict[str, float],
    weights: Weights,
    *,
    needed: np.ndarray,
    complementary: np.ndarray,
    text_vector,
    direct: float,
    second: float,
    translate: Callable[[str], str],
    technologies: list[str] = (),
) -> list[str]:
    """At most `MAX_REASONS` sentences, strongest contribution first; never none. They
    take the point of view of `query.viewpoint` (see `VIEWPOINTS`)."""
    _ = translate
    viewpoint = query.viewpoint
    if viewpoint not in VIEWPOINTS:
        raise ValueError(f"viewpoint: one of {', '.join(VIEWPOINTS)}")
    ranked = sorted(values, key=lambda name: -getattr(weights, name) * values[name])
    reasons: list[str] = []
    for name in ranked:
        if values[name] < THRESHOLD or getattr(weights, name) <= 0:
            continue
        text = ""
        if name == "coverage":
            labels = _labels(index, row, needed)
            if labels:
                text = _coverage_reason(viewpoint, ", ".join(labels), translate)
        elif name == "complement":
            labels = _labels(index, row, complementary)
            if labels:
                text = _complement_reason(viewpoint, ", ".join(labels), translate)
        elif name == "words" and viewpoint != "call":
            shared = _shared_words(index, row, text_vector, query)
            if shared:
                text = _("describes related work (%(words)s)") % {"words": ", ".join(shared)}
        elif name == "meaning" and values[name] >= 0.3:
            text = _("close in meaning to what you describe (similarity %(value).2f)") % {
                "value": values[name]
            }
        elif name == "track" and direct > 0:
            text = _("worked with you before in joint projects")
        elif name == "track_in_field" and query.field:
            text = _("worked with you in %(field)s projects") % {"field": query.field}
        elif name == "partners_of_partners" and second > 0:
            count = _partners_in_common(index, row, query)
            if count:
                text = _("worked with %(count)d of your partners") % {"count": count}
        elif name == "partnership":
            if query.region and index.regions[row] and index.regions[row] != query.region:
                text = _("another region of your partnership")
            else:
                text = _("in the same partnership")
        elif name == "geography" and index.countries[row]:
            country = index.countries[row]
            if query.local:
                text = _local_reason(index, row, values[name], translate)
            elif country != query.country:
                text = _("in another country (%(country)s): cross-border collaboration") % {
                    "country": country
                }
            elif query.region and index.regions[row]:
                text = _("in another region of your country")
        elif name == "field":
            column = index.field_columns[query.field]
            text = _("active in %(field)s (%(count)d projects)") % {
                "field": query.field,
                "count": int(index.fields[row, column]),
            }
        elif name == "time" and not np.isnan(index.available_from[row]):
            text = _("available inside your time window")
        if text and text not in reasons:
            reasons.append(text)
        if len(reasons) >= MAX_REASONS:
            break
    named = [
        k
        for k in technologies
        if COLUMN[k]
        in index.concepts.indices[index.concepts.indptr[row] : index.concepts.indptr[row + 1]]
    ]
    if named:
        # The technologies the need names: the reason a provider comes before the others.
        text = _("works on %(technologies)s, as you asked") % {
            "technologies": ", ".join(translate(label(k)) for k in named)
        }
        if text not in reasons:
            reasons = [*reasons[:1], text, *reasons[1:]][:MAX_REASONS]
    if query.local and values.get("geography", 0.0) > 0:
        # Local help was asked for: say so, right after the strongest reason.
        local = _local_reason(index, row, values["geography"], translate)
        if local not in reasons:
            reasons = [*reasons[:1], local, *reasons[1:]][:MAX_REASONS]
    if not reasons:
        activity = int(index.activity[row])
        reasons.append(
            _("among the most active organisations (%(count)d projects)") % {"count": activity}
            if activity
            else _("no strong signal yet: listed for completeness")
        )
    return reasons
