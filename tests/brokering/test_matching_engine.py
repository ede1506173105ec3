"""The ranking core on plain data: no database."""

import numpy as np

from clusterbroker.brokering.matching import (
    CandidateRecord,
    MatchQuery,
    Weights,
    build_index,
    rank,
)
from clusterbroker.brokering.matching import ranking as rank_module
from clusterbroker.brokering.matching.index import Edge

D3, AI, CLOUD, D1 = 1, 2, 3, 4
LABELS = {D3: "D3 Digital factory", AI: "AI", CLOUD: "Cloud", D1: "D1 Advanced manufacturing"}


def _index(extra=(), edges=()):
    records = [
        CandidateRecord(1, "Asker", country="FR", region="FRK", terms=[D1]),
        CandidateRecord(
            2, "Factory DIH", country="IT", kind="dih", terms=[D3], text="digital factory services"
        ),
        CandidateRecord(
            3, "AI House", country="DE", kind="company", terms=[AI], text="machine learning"
        ),
        CandidateRecord(4, "Local Lab", country="FR", region="FRK", kind="rto", text="testing lab"),
        CandidateRecord(5, "Old Partner", country="ES", kind="company", partnerships=[9]),
        *extra,
    ]
    return build_index(
        records,
        term_labels=LABELS,
        complements={D3: [AI, CLOUD]},
        partnership_names={9: "Motors"},
        edges=edges,
    )


def test_offer_covering_the_need_comes_first_with_its_reason():
    results = rank(_index(), MatchQuery(terms=[D3], anchors=[1], country="FR"))
    assert results[0].name == "Factory DIH"
    assert "offers D3 Digital factory you need" in results[0].reasons


def test_complementary_ict_offer_for_a_manufacturing_need():
    results = rank(_index(), MatchQuery(terms=[D3], anchors=[1], country="FR"))
    ai = next(r for r in results if r.name == "AI House")
    assert any("complementary" in reason and "AI" in reason for reason in ai.reasons)
    assert ai.signals["complement"] > 0


def test_every_result_has_at_least_one_reason():
    results = rank(_index(), MatchQuery(text="anything", anchors=[1], country="FR"), limit=50)
    assert results
    assert all(r.reasons for r in results)


def test_text_similarity_and_shared_words():
    results = rank(_index(), MatchQuery(text="we need machine learning", anchors=[1]))
    assert results[0].name == "AI House"
    assert any("machine" in reason for reason in results[0].reasons)


def test_track_record_and_partners_of_partners():
    edges = [Edge(1, 5, 2.0, "LEIT"), Edge(5, 3, 1.0, "LEIT")]
    results = rank(_index(edges=edges), MatchQuery(anchors=[1], field="LEIT"))
    names = [r.name for r in results]
    assert names[:2] == ["Old Partner", "AI House"]
    assert any("worked with you before" in reason for reason in results[0].reasons)
    assert any("worked with 1 of your partners" in reason for reason in results[1].reasons)


def test_geography_cross_border_or_local():
    query = MatchQuery(text="testing lab digital factory", anchors=[1], country="FR", region="FRK")
    cross = {r.name: r.signals["geography"] for r in rank(_index(), query)}
    assert cross["Factory DIH"] == 1.0 and cross["Local Lab"] == 0.0
    query.local, query.cross_border = True, False
    local = rank(_index(), query)
    assert {r.name: r.signals["geography"] for r in local}["Local Lab"] == 1.0
    reasons = next(r for r in local if r.name == "Local Lab").reasons
    assert "in your region (FRK): local help preferred" in reasons


def test_partnership_and_kinds_and_exclusions():
    query = MatchQuery(partnerships=[9], anchors=[1], kinds=["company"], exclude=[3])
    results = rank(_index(), query)
    assert [r.name for r in results] == ["Old Partner"]
    assert "in the same partnership" in results[0].reasons[0] or any(
        "partnership" in reason for reason in results[0].reasons
    )


def test_time_window_excludes_unavailable_offers():
    late = CandidateRecord(6, "Late DIH", kind="dih", terms=[D3], available_from=800_000)
    query = MatchQuery(terms=[D3], window=(700_000, 700_100))
    signals = {r.name: r.signals["time"] for r in rank(_index(extra=[late]), query)}
    assert signals["Late DIH"] == 0.0 and signals["Factory DIH"] == 1.0


def test_weights_are_tunable():
    query = MatchQuery(terms=[D3], text="machine learning", anchors=[1])
    by_terms = rank(_index(), query, weights=Weights(words=0, meaning=0))
    by_text = rank(_index(), query, weights=Weights(coverage=0, complement=0))
    assert by_terms[0].name == "Factory DIH"
    assert by_text[0].name == "AI House"


def test_embeddings_are_used_when_stored():
    vectors = {2: np.array([1.0, 0.0]), 3: np.array([0.0, 1.0])}
    records = [
        CandidateRecord(k, f"Org {k}", embedding=vectors.get(k, np.array([0.5, 0.5])))
        for k in (2, 3, 4)
    ]
    index = build_index(records)
    results = rank(index, MatchQuery(embedding=np.array([0.1, 0.9])))
    assert results[0].key == 3
    assert results[0].signals["meaning"] > results[-1].signals["meaning"]


def test_the_index_narrows_the_candidates_before_scoring():
    rng = np.random.default_rng(1)
    records = [
        CandidateRecord(k, f"Org {k}", terms=[int(rng.integers(10, 500))], fields={"LEIT": 1})
        for k in range(20_000)
    ]
    records[123].terms = [D3]
    index = build_index(records, term_labels=LABELS)
    query = MatchQuery(terms=[D3])
    needed = rank_module.s.query_terms(index, query)
    rows = rank_module.candidate_rows(
        index, query, needed, needed * 0, None, None, np.zeros(len(index)), np.zeros(len(index))
    )
    assert 123 in rows
    assert len(rows) < len(index) / 10
    assert rank(index, query)[0].key == 123
