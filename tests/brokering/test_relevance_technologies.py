"""Technologies a need names: providers whose texts name them come first, filler words lift
no one, and local help keeps most places near the asker without hiding what was asked."""

import pytest

from clusterbroker.brokering.matching import CandidateRecord, MatchQuery, build_index, rank
from clusterbroker.brokering.matching.index import Edge
from clusterbroker.brokering.matching.vocabulary import concepts_in

FOOD = 1
LABELS = {FOOD: "Food and beverages"}
NEED = "We look for robotics support for our work in food and beverages."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Collaborative robots and cobot cells", ["robotics"]),
        ("Our robotic lab", ["robotics"]),
        ("AI and IoT for SMEs", ["artificial-intelligence", "iot"]),
        ("Supercomputing and HPC services", ["hpc"]),
        ("3D printing of metal parts", ["additive-manufacturing"]),
        ("Digital twins of production lines", ["simulation"]),
        ("AR/VR training rooms", ["extended-reality"]),
        # Ordinary words that only look like acronyms or technologies name nothing.
        ("The aim is a tiny iota of air", []),
        ("Support for work in food companies", []),
    ],
)
def test_technologies_are_recognised_by_their_usual_names(text, expected):
    assert concepts_in(text) == expected


def _hub(key, name, country, text, terms=(FOOD,), region=""):
    return CandidateRecord(
        key, name, country=country, region=region, kind="dih", text=text, terms=list(terms)
    )


def _query(**kwargs):
    return MatchQuery(terms=[FOOD], text=NEED, anchors=[1], country="FR", relevance=True, **kwargs)


def test_a_provider_naming_the_technology_comes_before_one_that_only_serves_the_sector():
    records = [
        CandidateRecord(1, "Asker", country="FR"),
        # Says much of the need's words (support, work, food, beverages) but not robotics.
        _hub(2, "Wordy Food Hub", "FR", "Support for our work in food and beverages, support."),
        _hub(3, "Robot Food Hub", "DE", "Cobot cells for packaging lines of dairies."),
        # Robotics without the sector: relevant by its text only, after both.
        _hub(4, "Robotics Only", "FR", "Industrial robots for welding.", terms=()),
    ]
    # The wordy hub is the asker's old partner's partner, very active: no help to it.
    edges = [Edge(1, 5, 3.0), Edge(5, 2, 5.0)]
    index = build_index(
        [*records, CandidateRecord(5, "Friend", country="FR")],
        term_labels=LABELS,
        edges=edges,
    )
    results = rank(index, _query(kinds=("dih",)))
    assert [r.name for r in results] == ["Robot Food Hub", "Wordy Food Hub", "Robotics Only"]
    assert [r.tier for r in results] == [3, 2, 1]
    assert "works on robotics, as you asked" in results[0].reasons
    assert not any("robotics" in reason for reason in results[1].reasons)


def test_a_technology_given_as_a_term_is_found_in_descriptions_too():
    cobots = 7
    index = build_index(
        [
            CandidateRecord(1, "Asker", country="FR"),
            _hub(2, "Tagged Only", "FR", "Food industry services.", terms=(FOOD,)),
            _hub(3, "Says Cobots", "FR", "Cobot pilots for food plants.", terms=(FOOD,)),
        ],
        term_labels={**LABELS, cobots: "Autonomous robots"},
    )
    # The need's terms say robots already: its text adds nothing, so no technology tier.
    query = MatchQuery(terms=[FOOD, cobots], text="autonomous robots", relevance=True)
    assert {r.tier for r in rank(index, query)} <= {2, 3}
    # A profile tagged "Autonomous robots" is recognised as doing robotics.
    tagged = build_index(
        [CandidateRecord(1, "Asker"), _hub(2, "Robots by term", "FR", "", terms=(cobots,))],
        term_labels={cobots: "Autonomous robots"},
    )
    assert rank(tagged, MatchQuery(text="cobots wanted", relevance=True))[0].tier == 1


def _local_registry(near_with_robots: int) -> list[CandidateRecord]:
    records = [CandidateRecord(1, "Asker", country="FR")]
    records += [
        _hub(10 + i, f"Near, robots {i}", "FR", "Robot cells for food plants.")
        for i in range(near_with_robots)
    ]
    records += [_hub(20 + i, f"Near, food only {i}", "FR", "Food plants.") for i in range(8)]
    records += [_hub(40 + i, f"Far, robots {i}", "DE", "Robots for food.") for i in range(12)]
    return records


def test_local_help_keeps_seven_places_in_ten_where_the_country_can_give_it():
    index = build_index(_local_registry(near_with_robots=5), term_labels=LABELS)
    results = rank(index, _query(local=True), limit=10)
    names = [r.name for r in results]
    assert sum(name.startswith("Near") for name in names) == 7
    # Everything asked first, near ones first; then the best from abroad; then the nearest
    # that serve the sector take the last places of those from abroad.
    assert all(name.startswith("Near, robots") for name in names[:5])
    assert all(name.startswith("Far") for name in names[5:8])
    assert all(name.startswith("Near, food only") for name in names[8:])
    assert any("local help preferred" in reason for reason in results[0].reasons)


def test_local_help_is_not_padded_with_partial_answers_where_the_country_has_few():
    index = build_index(_local_registry(near_with_robots=1), term_labels=LABELS)
    names = [r.name for r in rank(index, _query(local=True), limit=10)]
    assert names[0] == "Near, robots 0"
    assert all(name.startswith("Far") for name in names[1:])


def test_local_help_does_not_fill_places_with_providers_that_offer_nothing_needed():
    records = [CandidateRecord(1, "Asker", country="FR")]
    records += [_hub(20 + i, f"Near, unrelated {i}", "FR", "Robots.", terms=()) for i in range(8)]
    records += [_hub(40 + i, f"Far, robots {i}", "DE", "Robots for food.") for i in range(12)]
    index = build_index(records, term_labels=LABELS)
    names = [r.name for r in rank(index, _query(local=True), limit=10)]
    assert all(name.startswith("Far") for name in names)


def test_without_local_help_the_place_does_not_take_places():
    records = [CandidateRecord(1, "Asker", country="FR")]
    records += [_hub(20 + i, f"Near, food only {i}", "FR", "Food plants.") for i in range(8)]
    records += [_hub(40 + i, f"Far, robots {i}", "DE", "Robots for food.") for i in range(12)]
    index = build_index(records, term_labels=LABELS)
    names = [r.name for r in rank(index, _query(), limit=10)]
    assert all(name.startswith("Far") for name in names)
