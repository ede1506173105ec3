"""The anonymised summary of a confidential need never singles out its owner: every sector and
place it shows is shared by at least five profiles."""

from collections import Counter

import pytest

from clusterbroker.brokering import anonymity, services
from clusterbroker.brokering.anonymity import MIN_PROFILES, disclosures, partition
from tests.factories import OrganisationFactory

from .factories import NeedFactory, ProfileFactory


def _rows(*groups: tuple[int, str, str]) -> list[tuple[int, str, str]]:
    """(how many, sector, country) → profile rows with ids 1, 2, …"""
    rows = []
    for count, sector, country in groups:
        for _ in range(count):
            rows.append((len(rows) + 1, sector, country))
    return rows


def _assert_every_summary_is_shared(rows, k: int = MIN_PROFILES) -> dict:
    shown = disclosures(rows, k)
    sizes = Counter(shown.values())
    assert all(size >= k for size in sizes.values()), sizes
    return shown


def test_a_common_sector_and_country_are_shown_as_they_are():
    shown = _assert_every_summary_is_shared(_rows((5, "Metals", "FR")))
    assert set(shown.values()) == {
        anonymity.Disclosure(sector="Metals", country="FR", area="France")
    }


def test_a_rare_country_is_widened_to_its_part_of_europe_then_to_europe():
    rows = _rows((4, "Metals", "FR"), (1, "Metals", "BE"), (3, "Metals", "IT"), (2, "Metals", "GR"))
    shown = _assert_every_summary_is_shared(rows)
    assert shown[1] == shown[5] == anonymity.Disclosure("Metals", "", "Western Europe")
    assert shown[6] == shown[10] == anonymity.Disclosure("Metals", "", "Southern Europe")
    few = _rows((4, "Metals", "FR"), (1, "Metals", "IT"))
    assert set(disclosures(few).values()) == {anonymity.Disclosure("Metals", "", "Europe")}


def test_a_rare_sector_is_dropped():
    rows = _rows((6, "Metals", "FR"), (1, "Zeppelins", "FR"), (4, "Textiles", "DE"))
    shown = _assert_every_summary_is_shared(rows)
    assert shown[1] == anonymity.Disclosure("Metals", "FR", "France")
    assert shown[7] == shown[8] == anonymity.Disclosure("", "", "Western Europe")
    assert all("Zeppelins" not in d.sector for d in shown.values())


def test_the_owner_is_not_singled_out_by_elimination():
    """Twenty metal profiles in Germany and two in Austria: "Metals, Western Europe" would be
    read as "one of the two Austrians"; the two join a group of at least five that does not
    show the Germans' summary."""
    rows = _rows((20, "Metals", "DE"), (2, "Metals", "AT"), (3, "Food", "AT"))
    shown = _assert_every_summary_is_shared(rows)
    assert shown[1] == anonymity.Disclosure("Metals", "DE", "Germany")
    assert shown[21].country == "" and shown[21] == shown[23]


def test_fewer_than_five_left_at_the_end_take_a_whole_group_with_them():
    rows = _rows((5, "Metals", "FR"), (5, "Food", "DE"), (2, "Space", "US"))
    shown = _assert_every_summary_is_shared(rows)
    assert shown[11] == anonymity.NOTHING
    assert Counter(shown.values())[anonymity.NOTHING] == 7


def test_a_large_group_spares_profiles_for_the_last_one():
    rows = _rows((12, "Metals", "FR"), (2, "Space", "US"))
    shown = _assert_every_summary_is_shared(rows)
    counts = Counter(shown.values())
    assert counts[anonymity.NOTHING] == 5
    assert counts[anonymity.Disclosure("Metals", "FR", "France")] == 9
    assert shown[1].sector == "Metals" and shown[12] == anonymity.NOTHING


def test_a_platform_with_fewer_than_five_profiles_shows_nothing():
    assert set(disclosures(_rows((3, "Metals", "FR"))).values()) == {anonymity.NOTHING}
    assert partition([]) == {}


def test_the_sector_is_shown_in_the_groups_own_spelling():
    """The owner's own capitals would single it out: the group's most common spelling."""
    rows = _rows((4, "Metals", "FR"), (1, "METALS ", "FR"))
    assert {d.sector for d in _assert_every_summary_is_shared(rows).values()} == {"Metals"}


@pytest.mark.parametrize("seed", range(5))
def test_any_registry_gives_groups_of_five(seed):
    import random

    chance = random.Random(seed)
    sectors = ["Metals", "Food", "ICT", "Space", "Textiles", ""]
    countries = ["FR", "DE", "IT", "PL", "SE", "US", "JP", "AT"]
    rows = [
        (i, chance.choice(sectors), chance.choice(countries))
        for i in range(1, chance.randint(6, 200))
    ]
    _assert_every_summary_is_shared(rows)


@pytest.mark.django_db
def test_the_summary_of_a_need_uses_the_whole_registry():
    owner = ProfileFactory(
        organisation=OrganisationFactory(country="LU"), sector="Zeppelin retrofits"
    )
    need = NeedFactory(profile=owner, confidential=True)
    summary = services.anonymised(need)
    assert (summary.sector, summary.country, summary.area) == ("", "", "")
    for _ in range(4):
        ProfileFactory(organisation=OrganisationFactory(country="BE"), sector="Zeppelin retrofits")
    summary = services.anonymised(need)
    assert (summary.sector, summary.country, summary.area) == (
        "Zeppelin retrofits",
        "",
        "Western Europe",
    )
