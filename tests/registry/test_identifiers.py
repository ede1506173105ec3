"""An organisation's identifiers (PIC, VAT, domain, DIH id): checked, one organisation per
code, shown on its page and in the API, changed by those who may edit it."""

import pytest
from django.db import IntegrityError

from clusterbroker.registry.identifiers import (
    IdentifierError,
    normalise_domain,
    normalise_pic,
    normalise_vat,
)
from clusterbroker.registry.models import OrganisationIdentifier, attach_identifier

from ..factories import OrganisationFactory, RegionFactory
from .test_permissions import EDIT_ORGANISATION

pytestmark = pytest.mark.django_db


def test_values_are_checked_and_stored_in_one_form():
    assert normalise_pic(" 999 854 661 ") == "999854661"
    assert normalise_vat("de 123.456-789") == "DE123456789"
    assert normalise_domain("https://WWW.Fraunhofer.DE:443/en/about.html") == "fraunhofer.de"
    assert normalise_domain("münchen.de") == "xn--mnchen-3ya.de"
    for bad in ("12345678", "1234567890", "ABCDEFGHI"):
        with pytest.raises(IdentifierError):
            normalise_pic(bad)
    for bad in ("123456789", "D1"):
        with pytest.raises(IdentifierError):
            normalise_vat(bad)
    for bad in ("localhost", "not a domain", "http://10.0.0.1/", ""):
        with pytest.raises(IdentifierError):
            normalise_domain(bad)


def test_a_code_belongs_to_one_organisation_and_one_code_per_scheme():
    first, second = OrganisationFactory(), OrganisationFactory()
    OrganisationIdentifier.objects.create(organisation=first, scheme="pic", value="999854661")
    assert not attach_identifier(second, "pic", "999854661")
    assert not attach_identifier(first, "pic", "999999999")
    assert attach_identifier(second, "domain", "http://www.second.example/")
    assert second.identifiers.get().value == "second.example"
    with pytest.raises(IntegrityError):
        OrganisationIdentifier.objects.create(organisation=second, scheme="pic", value="999854661")


def test_page_shows_identifiers_and_editors_change_them(world):
    company = world.member_company
    OrganisationIdentifier.objects.create(organisation=company, scheme="pic", value="999854661")
    page = world.client(world.outsider).get(company.get_absolute_url()).content.decode()
    assert "999854661" in page and "/identifiers/" not in page
    editor = world.client(world.company_user)
    assert (
        f"/organisations/{company.slug}/identifiers/"
        in editor.get(company.get_absolute_url()).content.decode()
    )
    response = editor.post(
        f"/organisations/{company.slug}/identifiers/",
        {"pic": "999854661", "vat": "fr 12 345678901", "domain": "https://www.parts.example/x"},
    )
    assert response.status_code == 302
    assert dict(company.identifiers.values_list("scheme", "value")) == {
        "pic": "999854661",
        "vat": "FR12345678901",
        "domain": "parts.example",
    }
    editor.post(f"/organisations/{company.slug}/identifiers/", {"pic": "", "vat": "FR12345678901"})
    assert set(company.identifiers.values_list("scheme", flat=True)) == {"vat"}


def test_form_refuses_a_bad_pic_and_a_code_of_another_organisation(world):
    OrganisationIdentifier.objects.create(
        organisation=world.other_company, scheme="domain", value="far.example"
    )
    url = f"/organisations/{world.member_company.slug}/identifiers/"
    response = world.client(world.company_user).post(
        url, {"pic": "12345", "domain": "www.far.example"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "A PIC is 9 digits." in text and "Far Away GmbH" in text
    assert not world.member_company.identifiers.exists()


@pytest.mark.parametrize(("who", "what", "allowed"), EDIT_ORGANISATION)
def test_identifiers_page_and_api_follow_the_edit_rule(world, who, what, allowed):
    organisation, client = getattr(world, what), world.client(getattr(world, who))
    page = client.post(f"/organisations/{organisation.slug}/identifiers/", {"pic": "912345678"})
    assert page.status_code == (302 if allowed else 403)
    api = client.put(
        f"/api/organisations/{organisation.slug}/identifiers",
        {"vat": "DE123456789"},
        content_type="application/json",
    )
    assert api.status_code == (200 if allowed else 403)
    expected = {("pic", "912345678"), ("vat", "DE123456789")} if allowed else set()
    assert set(organisation.identifiers.values_list("scheme", "value")) == expected


def test_api_shows_all_schemes_and_answers_422_and_409(world):
    company = world.member_company
    OrganisationIdentifier.objects.create(organisation=company, scheme="dih", value="4423")
    item = world.client(world.outsider).get(f"/api/organisations/{company.slug}").json()
    assert item["identifiers"] == {"pic": None, "vat": None, "domain": None, "dih": "4423"}
    listed = world.client(world.outsider).get("/api/organisations/?q=Precision").json()
    assert listed["items"][0]["identifiers"]["dih"] == "4423"
    OrganisationIdentifier.objects.create(
        organisation=world.other_company, scheme="pic", value="999854661"
    )
    client, url = world.client(world.company_user), f"/api/organisations/{company.slug}/identifiers"
    bad = client.put(url, {"pic": "42"}, content_type="application/json")
    assert bad.status_code == 422 and "pic" in bad.json()["detail"]
    taken = client.put(url, {"pic": "999 854 661"}, content_type="application/json")
    assert taken.status_code == 409
    cleared = client.put(
        url, {"dih": None, "domain": "Parts.Example"}, content_type="application/json"
    )
    assert cleared.json() == {"pic": None, "vat": None, "domain": "parts.example", "dih": None}


def test_organisation_form_takes_any_loaded_nuts_code(world):
    RegionFactory(code="DEA4", name="Detmold", country="DE")
    company = world.member_company
    url = f"/organisations/{company.slug}/edit/"
    client = world.client(world.company_user)
    fields = {"name": company.name, "kind": company.kind, "country": "DE"}
    assert client.post(url, {**fields, "region": "dea4"}).status_code == 302
    company.refresh_from_db()
    assert company.region.code == "DEA4"
    assert 'value="DEA4"' in client.get(url).content.decode()
    refused = client.post(url, {**fields, "region": "DEX9"})
    assert refused.status_code == 200 and "Unknown NUTS code" in refused.content.decode()
