"""`clusterbroker duplicates find` and `duplicates list --json`."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from clusterbroker.registry.models import DuplicateProposal, Organisation, OrganisationIdentifier

from ..factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("duplicates", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def named_pairs():
    """The three pairs of the sample data and CORDIS that are the same organisation."""
    return [
        (
            OrganisationFactory(
                name="Eurecat", country="ES", kind="rto", website="http://eurecat.org/es/"
            ),
            OrganisationFactory(
                name="FUNDACIO EURECAT",
                acronym="EURECAT",
                country="ES",
                kind="rto",
                city="CERDANYOLA DEL VALLES (BARCELONA)",
            ),
        ),
        (
            OrganisationFactory(
                name="Flanders Make",
                country="BE",
                kind="rto",
                website="http://www.flandersmake.be/nl",
            ),
            OrganisationFactory(
                name="FLANDERS MAKE VZW", acronym="FMTC", country="BE", kind="rto", city="Lommel"
            ),
        ),
        (
            OrganisationFactory(
                name="RWTH Aachen University",
                acronym="RWTH",
                country="DE",
                kind="university",
                city="Aachen",
            ),
            OrganisationFactory(
                name="RHEINISCH-WESTFAELISCHE TECHNISCHE HOCHSCHULE AACHEN",
                acronym="RWTH AACHEN",
                country="DE",
                kind="university",
                city="AACHEN",
            ),
        ),
    ]


def test_find_then_list_prints_the_named_pairs_as_json(named_pairs):
    OrganisationFactory(name="Universidad de Oviedo", country="ES", kind="university")
    OrganisationFactory(name="FUNDACION UNIVERSIDAD DE OVIEDO", country="ES", kind="other")
    run("find")
    listed = json.loads(run("list", "--json"))
    pairs = {frozenset((p["a"], p["b"])) for p in listed}
    assert pairs == {frozenset((x.slug, y.slug)) for x, y in named_pairs}
    for proposal in listed:
        assert set(proposal) == {"a", "b", "score", "reasons"}
        assert 0.8 <= proposal["score"] <= 1
        assert all(isinstance(r, str) and r for r in proposal["reasons"])
    eurecat_slug = named_pairs[0][0].slug
    eurecat = next(p for p in listed if eurecat_slug in (p["a"], p["b"]))
    assert any("Same name" in r for r in eurecat["reasons"])


def test_find_json_prints_the_open_proposals(named_pairs):
    assert len(json.loads(run("find", "--json", "--no-merge"))) == 3


def test_find_merges_the_same_pic_in_the_same_country_only():
    named = OrganisationFactory(name="Acme Robotics", country="DE")
    OrganisationIdentifier.objects.create(organisation=named, scheme="pic", value="999999991")
    placeholder = OrganisationFactory(name="PIC 999999991", country="DE")
    abroad = OrganisationFactory(name="PIC 999999992", country="AT")
    other = OrganisationFactory(name="Other Robotics", country="DE")
    OrganisationIdentifier.objects.create(organisation=other, scheme="pic", value="999999992")
    output = run("find")
    assert "1 merged automatically" in output
    assert not Organisation.objects.filter(pk=placeholder.pk).exists()
    assert Organisation.objects.filter(pk=abroad.pk).exists()
    proposal = DuplicateProposal.objects.get(status="open")
    assert {proposal.a_id, proposal.b_id} == {abroad.pk, other.pk}


def test_a_second_find_adds_nothing(named_pairs):
    run("find")
    assert "0 new proposals" in run("find")


def test_an_import_proposes_its_organisations_duplicates(tmp_path):
    import gzip

    from clusterbroker.importers.cordis_organisations import import_cordis_organisations

    eurecat = OrganisationFactory(name="Eurecat", country="ES", kind="rto")
    path = tmp_path / "organisations.csv.gz"
    text = (
        "pic,name,short_name,activity_type,country,city,url\n"
        "928030235,FUNDACIO EURECAT,EURECAT,REC,ES,CERDANYOLA DEL VALLES (BARCELONA),\n"
    )
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    report = import_cordis_organisations(path)
    assert report.created == 1 and report.duplicates == 1
    imported = Organisation.objects.get(name="FUNDACIO EURECAT")
    proposal = DuplicateProposal.objects.get()
    assert {proposal.a_id, proposal.b_id} == {eurecat.pk, imported.pk}
    assert proposal.status == "open"  # an import proposes, a person decides
