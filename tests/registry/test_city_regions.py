"""An organisation's region set from its city where the NUTS names allow, else left to be
chosen by hand."""

import pytest
from django.core.management import call_command

from clusterbroker.registry.city_regions import CityIndex, words
from clusterbroker.registry.forms import OrganisationForm
from clusterbroker.registry.models import Organisation, Region

from ..factories import OrganisationFactory

INDEX = CityIndex(
    [
        ("ITC11", "Torino"),
        ("DEA2D", "Städteregion Aachen"),
        ("BE234", "Arr. Gent"),
        ("DE111", "Stuttgart, Stadtkreis"),
        ("DE118", "Heilbronn, Landkreis"),
        ("DE117", "Heilbronn, Stadtkreis"),
        ("EL303", "Anatoliki Attiki"),
    ]
)


def test_words_ignore_case_accents_and_punctuation():
    assert words("Städteregion  AACHEN") == ("stadteregion", "aachen")
    assert words("Cluj-Napoca") == ("cluj", "napoca")


@pytest.mark.parametrize(
    "country, city, code",
    [
        ("IT", "TORINO", "ITC11"),
        ("DE", "Aachen", "DEA2D"),
        ("BE", "Gent", "BE234"),
        ("DE", "stuttgart", "DE111"),
        ("GR", "Attiki", "EL303"),  # ISO's GR is Eurostat's EL
        ("GR", "Anatoliki", "EL303"),
        ("DE", "Heilbronn", None),  # two regions: left to be chosen by hand
        ("IT", "Aachen", None),  # another country
        ("NL", "Eindhoven", None),
        ("DE", "", None),
    ],
)
def test_a_city_names_one_region_or_none(country, city, code):
    assert INDEX.region_of(country, city) == code


def _form(**fields) -> OrganisationForm:
    data = {"name": "Città Robotica", "kind": "company", "country": "IT", "city": "Torino"}
    return OrganisationForm(data | fields)


def test_the_form_sets_the_region_from_the_city_unless_one_is_given(regions):
    form = _form()
    assert form.is_valid(), form.errors
    assert form.cleaned_data["region"].code == "ITC11"
    chosen = _form(region="ITC4")
    assert chosen.is_valid(), chosen.errors
    assert chosen.cleaned_data["region"].code == "ITC4"
    unknown = _form(city="Ivrea")
    assert unknown.is_valid(), unknown.errors
    assert unknown.cleaned_data["region"] is None


def test_the_command_fills_regions_from_cities_and_keeps_those_set(regions, capsys):
    torino = OrganisationFactory(country="IT", city="TORINO")
    aachen = OrganisationFactory(country="DE", city="Aachen")
    kept = OrganisationFactory(country="IT", city="Torino", region=Region.objects.get(code="ITC4"))
    lyon = OrganisationFactory(country="FR", city="Lyon")
    call_command("regions_from_cities", "--dry-run")
    assert "2 of 3 organisations without a region would get one" in capsys.readouterr().out
    assert Organisation.objects.get(pk=torino.pk).region is None
    call_command("regions_from_cities")
    assert "2 of 3 organisations without a region got one" in capsys.readouterr().out
    codes = {o.pk: (o.region.code if o.region else None) for o in Organisation.objects.all()}
    assert codes[torino.pk] == "ITC11" and codes[aachen.pk] == "DEA2D"
    assert codes[kept.pk] == "ITC4" and codes[lyon.pk] is None
