"""The consortium builder: plain rules on plain data, then through the page and the API."""

import pytest

from clusterbroker.brokering.matching.consortium import (
    Rules,
    TeamCandidate,
    build_alternatives,
    build_team,
)
from clusterbroker.registry.models import Competence
from tests.factories import OrganisationFactory

from .factories import taxonomy_terms

REQUIRED = {1: "D1", 2: "D3", 3: "AI"}


def _candidates():
    return [
        TeamCandidate(10, "Coordinator FR", "FR", False, {1}, relevance=1.0),
        TeamCandidate(11, "Big DE", "DE", False, {1, 2}, relevance=3.0),
        TeamCandidate(12, "AI SME IT", "IT", True, {3}, relevance=2.0, partners={10}),
        TeamCandidate(13, "Other AI DE", "DE", False, {3}, relevance=2.5),
        TeamCandidate(14, "D3 SME FR", "FR", True, {2}, relevance=0.5),
        TeamCandidate(15, "Spanish lab", "ES", False, set(), relevance=0.1),
    ]


def test_team_covers_competences_and_keeps_the_rules():
    rules = Rules(min_countries=3, min_smes=1, max_partners=4, coordinator=10)
    proposal = build_team(REQUIRED, _candidates(), rules)
    keys = [m.key for m in proposal.members]
    assert keys[0] == 10
    assert proposal.ok and not proposal.uncovered
    assert len(keys) <= 4
    assert len({m.country for m in proposal.members}) >= 3
    assert sum(m.sme for m in proposal.members) >= 1
    assert all(names for names in proposal.coverage.values())
    assert all(m.why for m in proposal.members)
    sme = next(m for m in proposal.members if m.key == 12)
    assert "AI" in sme.brings
    assert any("worked before" in why for why in sme.why)


def test_rules_that_cannot_be_met_are_reported():
    proposal = build_team(REQUIRED, _candidates(), Rules(min_countries=6, max_partners=10))
    assert not proposal.ok
    assert any("countries" in p for p in proposal.problems)
    small = build_team(REQUIRED, _candidates(), Rules(max_partners=1, coordinator=10))
    assert [m.key for m in small.members] == [10]
    assert any("D3" in p for p in small.problems) and small.uncovered == ["AI", "D3"]
    no_sme = build_team(REQUIRED, [c for c in _candidates() if not c.sme], Rules(min_smes=1))
    assert any("SME" in p for p in no_sme.problems)
    # Members that bring nothing the call lacks are not added to fill the team.
    assert len(no_sme.members) == 2 and not no_sme.uncovered
    unknown = build_team(REQUIRED, _candidates(), Rules(coordinator=999))
    assert unknown.problems and not unknown.members


def test_alternatives_differ():
    proposals = build_alternatives(REQUIRED, _candidates(), Rules(min_countries=2, max_partners=4))
    assert 2 <= len(proposals) <= 3
    teams = {frozenset(m.key for m in p.members) for p in proposals}
    assert len(teams) == len(proposals)


@pytest.mark.django_db
def test_consortium_page_and_api(world):
    terms = taxonomy_terms()
    for name, country, term, size in [
        ("Fab IT", "IT", "D1", "small"),
        ("Twin DE", "DE", "D3", ""),
        ("Brain ES", "ES", "AI", "micro"),
    ]:
        Competence.objects.create(
            organisation=OrganisationFactory(name=name, country=country, size_class=size),
            term=terms[term],
        )
    client = world.client(world.company_user)
    page = client.get(
        "/brokering/consortium/?competences=effra:D1&competences=effra:D3&competences=dia-ict:AI"
        "&min_countries=3&min_smes=1&max_partners=5"
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Every rule is met." in html and "Brain ES" in html
    api = client.post(
        "/api/brokering/consortium",
        {"competences": ["effra:D1", "dia-ict:AI"], "min_countries": 9},
        content_type="application/json",
    )
    assert api.status_code == 200
    assert any("countries" in p for p in api.json()[0]["problems"])
    bad = client.post(
        "/api/brokering/consortium",
        {"competences": ["effra:NOPE"]},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "effra:NOPE" in bad.json()["detail"]
