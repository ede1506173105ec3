"""Normalisation and scoring of duplicate candidates (no database)."""

import pytest

from clusterbroker.registry.dedup.candidates import (
    REVIEW_THRESHOLD,
    Record,
    compare,
    find_proposals,
)
from clusterbroker.registry.dedup.normalise import fold, normalise


def codes(reasons) -> list[str]:
    return [r.code for r in reasons]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FUNDACIO EURECAT", ("eurecat",)),
        ("Fundació Eurecat", ("eurecat",)),
        ("FLANDERS MAKE VZW", ("flanders", "make")),
        ("Acme S.p.A.", ("acme",)),
        ("Verein Beispiel e.V.", ("beispiel",)),
        ("Beispiel GmbH & Co. KG", ("beispiel",)),
        (
            "RHEINISCH-WESTFAELISCHE TECHNISCHE HOCHSCHULE AACHEN",
            ("rheinisch", "westfalische", "technische", "hochschule", "aachen"),
        ),
        (
            "Rheinisch-Westfälische Technische Hochschule Aachen",
            ("rheinisch", "westfalische", "technische", "hochschule", "aachen"),
        ),
    ],
)
def test_names_are_normalised_without_legal_forms_accents_and_case(text, expected):
    assert normalise(text).tokens == expected


def test_word_order_does_not_change_the_key():
    assert normalise("JOECKEL BERNHARD").key == normalise("Bernhard Jöckel").key


def test_fold_removes_accents_and_punctuation():
    assert fold("Université  Côte d'Azur!") == "universite cote d azur"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            Record(
                1,
                "FUNDACIO EURECAT",
                "ES",
                "EURECAT",
                "CERDANYOLA DEL VALLES (BARCELONA)",
                kind="rto",
            ),
            Record(2, "Eurecat", "ES", domain="eurecat.org", kind="rto"),
        ),
        (
            Record(1, "FLANDERS MAKE VZW", "BE", "FMTC", "Lommel", kind="rto"),
            Record(2, "Flanders Make", "BE", domain="flandersmake.be", kind="rto"),
        ),
        (
            Record(
                1,
                "RHEINISCH-WESTFAELISCHE TECHNISCHE HOCHSCHULE AACHEN",
                "DE",
                "RWTH AACHEN",
                "AACHEN",
                kind="university",
            ),
            Record(2, "RWTH Aachen University", "DE", "RWTH", "Aachen", kind="university"),
        ),
    ],
)
def test_the_named_pairs_score_above_the_review_threshold(a, b):
    score, _ = compare(a, b)
    assert score >= REVIEW_THRESHOLD


def test_rwth_is_found_by_its_acronym_even_without_a_short_name():
    a = Record(1, "RHEINISCH-WESTFAELISCHE TECHNISCHE HOCHSCHULE AACHEN", "DE", city="AACHEN")
    b = Record(2, "RWTH Aachen University", "DE")
    score, reasons = compare(a, b)
    assert score >= REVIEW_THRESHOLD
    assert "acronym" in codes(reasons)


def test_a_university_and_its_foundation_are_not_proposed():
    score, reasons = compare(
        Record(1, "FUNDACION UNIVERSIDAD DE OVIEDO", "ES"), Record(2, "Universidad de Oviedo", "ES")
    )
    assert score < REVIEW_THRESHOLD
    assert "body_of_other" in codes(reasons)


def test_the_same_name_in_another_country_is_not_proposed():
    score, reasons = compare(Record(1, "ACME GMBH", "DE"), Record(2, "Acme SL", "ES"))
    assert score < REVIEW_THRESHOLD
    assert "different_country" in codes(reasons)


def test_different_pics_keep_a_pair_under_the_threshold():
    score, reasons = compare(
        Record(1, "ACME GMBH", "DE", pic="999999991"), Record(2, "Acme", "DE", pic="999999992")
    )
    assert score <= 0.5
    assert "different_pic" in codes(reasons)


def test_same_pic_scores_one_and_comes_first_in_the_evidence():
    score, reasons = compare(
        Record(1, "", "DE", pic="999999991"), Record(2, "Acme", "DE", pic="999999991")
    )
    assert score == 1.0
    assert codes(reasons)[0] == "same_pic"


def test_same_domain_and_city_raise_a_fuzzy_match():
    a = Record(1, "Instituto Tecnologico de Aragon", "ES", city="Zaragoza")
    b = Record(2, "Instituto Tecnológico Aragón ITA", "ES", city="ZARAGOZA")
    without, _ = compare(a, b)
    with_domain, reasons = compare(
        Record(1, a.name, "ES", city="Zaragoza", domain="ita.es"),
        Record(2, b.name, "ES", city="ZARAGOZA", domain="ita.es"),
    )
    assert with_domain > without
    assert {"same_domain", "same_city"} <= set(codes(reasons))


def test_unrelated_names_are_not_proposed():
    assert find_proposals([Record(1, "Acme Robotics", "DE"), Record(2, "Beta Foods", "DE")]) == []


def test_find_proposals_pairs_the_same_pic_across_countries_but_not_automatically():
    proposals = find_proposals(
        [Record(1, "Acme", "DE", pic="999999991"), Record(2, "Acme", "AT", pic="999999991")]
    )
    assert len(proposals) == 1
    assert proposals[0].automatic is False


def test_find_proposals_marks_same_pic_same_country_automatic():
    proposals = find_proposals(
        [Record(1, "", "DE", pic="999999991"), Record(2, "Acme", "DE", pic="999999991")]
    )
    assert [(p.a, p.b, p.automatic) for p in proposals] == [(1, 2, True)]


def test_only_limits_the_pairs_to_the_given_organisations():
    records = [
        Record(1, "Acme", "DE"),
        Record(2, "ACME GMBH", "DE"),
        Record(3, "Beta", "DE"),
        Record(4, "BETA AG", "DE"),
    ]
    assert [(p.a, p.b) for p in find_proposals(records, only={3})] == [(3, 4)]


def test_a_foundation_and_a_company_of_the_same_name_are_not_proposed():
    score, reasons = compare(Record(1, "STIFTELSEN SINTEF", "NO"), Record(2, "SINTEF AS", "NO"))
    assert score < REVIEW_THRESHOLD
    assert "body_of_other" in codes(reasons)
