"""The sample brokering profiles: the CloudiFacturing experiments' companies of seed 004 and
what they needed, loaded by `load_sample_data`, once."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from clusterbroker.brokering.models import Need, Offer, Profile
from clusterbroker.brokering.sample_data import load_sample_profiles
from clusterbroker.registry.models import Organisation
from clusterbroker.registry.sample_data import load_sample_data
from tests.factories import PositionFactory

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "004_ff4111befa17195d.txt"

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    load_sample_data()
    return load_sample_profiles()


def _terms(item) -> set[str]:
    return {f"{t.taxonomy.code}:{t.code}" for t in item.terms.all()}


def test_the_labelled_companies_of_the_seed_have_profiles(loaded):
    text = SEED.read_text(encoding="utf-8")
    labelled = re.findall(r"^- \[([^\]]+)\]\(#\), from ([^,]+),", text, re.MULTILINE)
    assert ("Hanning Elektro Werke", "Nordrhein-Westfalen") in labelled
    # Every company the seed lists with the I4MS-SAE label has a profile.
    names = {name.split()[0].casefold() for name, _region in labelled}
    with_profile = {
        p.organisation.name.casefold() for p in Profile.objects.select_related("organisation")
    }
    for name in names:
        assert any(name in have for have in with_profile), name
    assert loaded["profiles"] == Profile.objects.count() >= 8
    assert loaded["skipped"] == 0


def test_what_the_experiments_needed_and_offered(loaded):
    hanning = Profile.objects.get(organisation__slug="hanning")
    need = hanning.needs.get()
    # LCM: "Hanning was enabled to drastically cut down on the prototype manufacturing times."
    assert "prototype manufacturing times" in need.description
    assert {"i4ms:DIGITAL-TWINS", "dia-ict:SIMULATION"} <= _terms(need)
    assert need.vector() is not None
    # Nabladot offers real-time simulation models for digital twins.
    offer = Offer.objects.get(profile__organisation__slug="nabladot")
    assert "digital twins" in offer.title and "i4ms:DIGITAL-TWINS" in _terms(offer)
    # FermiCloud: lost batches, kept confidential; CAPSULE's i-Deal needs HPC, locally helped.
    fermentia = Need.objects.get(profile__organisation__slug="fermentia")
    assert fermentia.confidential and "Pichia" in fermentia.description
    ideal = Need.objects.get(profile__organisation__slug="i-deal")
    assert "HPC" in ideal.description and ideal.local


def test_loading_again_changes_nothing_and_keeps_what_users_changed(loaded):
    hanning = Profile.objects.get(organisation__slug="hanning")
    hanning.summary = "Changed by its editor"
    hanning.save()
    before = (Profile.objects.count(), Offer.objects.count(), Need.objects.count())
    again = load_sample_profiles()
    assert again["profiles"] == 0 and again["kept"] == before[0]
    assert (Profile.objects.count(), Offer.objects.count(), Need.objects.count()) == before
    hanning.refresh_from_db()
    assert hanning.summary == "Changed by its editor"


def test_the_command_loads_them_and_the_brokering_pages_are_not_empty(client):
    out = io.StringIO()
    call_command("load_sample_data", stdout=out)
    call_command("load_sample_data", stdout=out)
    assert "Sample brokering profiles loaded: 0 profiles" in out.getvalue()
    assert Profile.objects.filter(organisation__slug="hanning").count() == 1
    user = PositionFactory(organisation=Organisation.objects.get(slug="trotustex")).person.user
    client.force_login(user)
    page = client.get(reverse("brokering:profiles")).content.decode()
    assert "HANNING" in page and "Fermentia" in page
    needs = client.get(reverse("brokering:needs")).content.decode()
    assert "prototype manufacturing times" in needs
    # A confidential sample need is summarised, never shown, to others.
    assert "Pichia" not in needs
