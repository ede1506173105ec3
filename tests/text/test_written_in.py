"""Each text knows its language: detected when saved, re-detected when rewritten, kept once
its author chose it; authors choose it in the forms and the API; pages mark it."""

import pytest
from django.urls import reverse

from clusterbroker.brokering import embeddings
from clusterbroker.brokering.models import Need, Offer, Profile
from clusterbroker.community.models import Offer as MarketplaceOffer
from clusterbroker.community.models import OpenCall, Story
from clusterbroker.registry.models import ApiToken, Organisation
from clusterbroker.text.models import fill_languages
from tests.community.factories import OfferFactory, OpenCallFactory, StoryFactory
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

FRENCH = (
    "Nous accompagnons les petites entreprises de la mécanique dans l'intégration de robots "
    "collaboratifs et la formation de leurs opérateurs."
)
GERMAN = (
    "Wir suchen einen Partner für die Digitalisierung unserer Fertigung und die Vernetzung "
    "der Maschinen im Werk."
)
ITALIAN = (
    "Mettiamo in contatto le piccole imprese della Lombardia con i laboratori di "
    "manifattura additiva dei nostri soci."
)
ENGLISH = (
    "Funding for manufacturing companies that test artificial intelligence on their "
    "production lines with a digital innovation hub."
)


@pytest.fixture(autouse=True)
def hashing_encoder():
    """Brokering saves embed their texts: with the model-free encoder here."""
    previous = embeddings.use_encoder(embeddings.HashingEncoder())
    yield
    embeddings.use_encoder(previous)


def _bearer(user) -> dict:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


# Models ------------------------------------------------------------------------------------


def test_the_language_is_detected_on_save_and_again_when_the_text_is_rewritten():
    organisation = OrganisationFactory(description=FRENCH)
    organisation.refresh_from_db()
    assert (organisation.language, organisation.language_detected) == ("fr", True)
    organisation.description = GERMAN
    organisation.save()
    organisation.refresh_from_db()
    assert organisation.language == "de"
    # A text too short to tell has no language.
    organisation.description = "Robots."
    organisation.save()
    assert Organisation.objects.get(pk=organisation.pk).language == ""


def test_the_language_the_author_chose_is_kept_whatever_the_text_becomes():
    organisation = OrganisationFactory(description=FRENCH)
    organisation.choose_language("it")
    organisation.save()
    organisation.description = GERMAN
    organisation.save()
    organisation.refresh_from_db()
    assert (organisation.language, organisation.language_detected) == ("it", False)
    # Back to detection: the current text decides.
    organisation.choose_language("")
    organisation.save()
    assert Organisation.objects.get(pk=organisation.pk).language == "de"


def test_a_save_of_other_fields_only_does_not_detect_but_one_of_the_text_stores_it():
    organisation = OrganisationFactory(description=FRENCH)
    Organisation.objects.filter(pk=organisation.pk).update(language="")
    organisation.refresh_from_db()
    organisation.city = "Lyon"
    organisation.save(update_fields=["city"])
    assert Organisation.objects.get(pk=organisation.pk).language == ""
    organisation.description = GERMAN
    organisation.save(update_fields=["description"])
    assert Organisation.objects.get(pk=organisation.pk).language == "de"


def test_every_kind_of_text_detects_from_its_own_fields():
    call = OpenCallFactory(title="Calls for experiments", description=ENGLISH)
    offer = OfferFactory(title="Robots collaboratifs", description=FRENCH)
    story = StoryFactory(title="Stampa 3D in metallo", challenge=ITALIAN)
    assert OpenCall.objects.get(pk=call.pk).language == "en"
    assert MarketplaceOffer.objects.get(pk=offer.pk).language == "fr"
    assert Story.objects.get(pk=story.pk).language == "it"
    profile = Profile.objects.create(organisation=OrganisationFactory())
    assert Offer.objects.create(profile=profile, title=ITALIAN).language == "it"
    assert Need.objects.create(profile=profile, kind="partner", description=GERMAN).language == "de"


def test_existing_rows_get_their_language_filled():
    organisation = OrganisationFactory(description=ITALIAN, main_thematic="Manifattura")
    chosen = OrganisationFactory(description=FRENCH)
    chosen.choose_language("en")
    chosen.save()
    Organisation.objects.filter(pk=organisation.pk).update(language="")
    assert fill_languages(Organisation, ["description", "main_thematic"]) == 1
    assert Organisation.objects.get(pk=organisation.pk).language == "it"
    assert Organisation.objects.get(pk=chosen.pk).language == "en"


# Forms -------------------------------------------------------------------------------------


def _organisation_post(organisation: Organisation, **changes) -> dict:
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "country": organisation.country,
        "description": organisation.description,
    }
    return {**data, **changes}


def test_the_organisation_form_lets_the_author_choose_or_leave_it_to_detection(world):
    organisation = world.member_company
    organisation.description = FRENCH
    organisation.save()
    client = world.client(world.company_user)
    url = reverse("registry:organisation-edit", args=[organisation.slug])
    page = client.get(url).content.decode()
    assert "Language of the text" in page
    assert '<option value="" selected>Detect automatically</option>' in page
    response = client.post(url, _organisation_post(organisation, language="it"))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.language, organisation.language_detected) == ("it", False)
    assert '<option value="it" selected>' in client.get(url).content.decode()
    response = client.post(url, _organisation_post(organisation, language="", description=GERMAN))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.language, organisation.language_detected) == ("de", True)
    refused = client.post(url, _organisation_post(organisation, language="xx"))
    assert refused.status_code == 200 and "language" in refused.context["form"].errors


def test_the_marketplace_form_sets_the_language_of_a_new_offer(world):
    client = world.client(world.company_user)
    base = {
        "kind": "service",
        "description": FRENCH,
        "price_model": "on_request",
        "organisation": world.member_company.pk,
    }
    assert "Detect automatically" in client.get("/community/offers/new/").content.decode()
    response = client.post("/community/offers/new/", {**base, "title": "Cobots", "language": ""})
    assert response.status_code == 302
    detected = MarketplaceOffer.objects.get(title="Cobots")
    assert (detected.language, detected.language_detected) == ("fr", True)
    client.post("/community/offers/new/", {**base, "title": "Cobots (EN)", "language": "en"})
    chosen = MarketplaceOffer.objects.get(title="Cobots (EN)")
    assert (chosen.language, chosen.language_detected) == ("en", False)


def test_the_questionnaire_carries_the_language_of_offers_and_needs(world):
    client = world.client(world.company_user)
    url = lambda step: reverse("brokering:questionnaire-step", args=[step])  # noqa: E731
    client.get(reverse("brokering:questionnaire") + f"?organisation={world.member_company.slug}")
    client.post(url("who"), {"organisation": world.member_company.pk, "new_kind": "company"})
    offers = client.post(
        url("offers"),
        {
            "offers-TOTAL_FORMS": "1",
            "offers-INITIAL_FORMS": "0",
            "offers-0-title": "Robots collaboratifs",
            "offers-0-description": FRENCH,
            "offers-0-language": "",
        },
    )
    assert offers.status_code == 302
    needs = client.post(
        url("needs"),
        {
            "needs-TOTAL_FORMS": "1",
            "needs-INITIAL_FORMS": "0",
            "needs-0-kind": "partner",
            "needs-0-description": GERMAN,
            "needs-0-language": "en",
        },
    )
    assert needs.status_code == 302
    client.post(url("preferences"), {"cross_border": "on"})
    profile = Profile.objects.get(organisation=world.member_company)
    offer, need = profile.offers.get(), profile.needs.get()
    assert (offer.language, offer.language_detected) == ("fr", True)
    assert (need.language, need.language_detected) == ("en", False)
    # Opened again, the questionnaire shows the author's choice (and "detect" for the offer).
    client.get(reverse("brokering:questionnaire") + f"?organisation={world.member_company.slug}")
    page = client.get(url("needs") + "?continue=1").content.decode()
    assert '<option value="en" selected>' in page


# API ---------------------------------------------------------------------------------------


def test_the_registry_api_reads_and_writes_the_language(world, client):
    organisation = world.member_company
    organisation.description = FRENCH
    organisation.save()
    read = client.get(f"/api/organisations/{organisation.slug}").json()
    assert (read["language"], read["language_detected"]) == ("fr", True)
    headers = _bearer(world.company_user)
    url = f"/api/organisations/{organisation.slug}"
    chosen = client.patch(url, {"language": "it"}, content_type="application/json", **headers)
    assert chosen.status_code == 200
    assert (chosen.json()["language"], chosen.json()["language_detected"]) == ("it", False)
    # What was read back, sent again with language_detected true, detects anew.
    back = {**chosen.json(), "language_detected": True, "description": GERMAN}
    again = client.patch(
        url,
        {k: back[k] for k in ("description", "language", "language_detected")},
        content_type="application/json",
        **headers,
    )
    assert (again.json()["language"], again.json()["language_detected"]) == ("de", True)
    wrong = client.patch(url, {"language": "xx"}, content_type="application/json", **headers)
    assert wrong.status_code == 422 and "language" in wrong.json()["detail"]


def test_the_community_api_reads_and_writes_the_language(world):
    client = world.client(world.company_user)
    created = client.post(
        "/api/community/calls",
        {"title": "Appel à projets", "description": FRENCH},
        content_type="application/json",
    ).json()
    assert (created["language"], created["language_detected"]) == ("fr", True)
    chosen = client.post(
        "/api/community/calls",
        {"title": "Call", "description": FRENCH, "language": "en"},
        content_type="application/json",
    ).json()
    assert (chosen["language"], chosen["language_detected"]) == ("en", False)
    OfferFactory(title="Stampa 3D", description=ITALIAN)
    offers = client.get("/api/community/offers").json()
    assert [o["language"] for o in offers if o["title"] == "Stampa 3D"] == ["it"]


def test_the_brokering_api_reads_and_writes_the_language(world):
    client = world.client(world.company_user)
    payload = {
        "organisation": world.member_company.slug,
        "offers": [{"title": "Robots collaboratifs", "description": FRENCH}],
        "needs": [{"kind": "partner", "description": GERMAN, "language": "de"}],
    }
    saved = client.post("/api/brokering/profiles", payload, content_type="application/json")
    assert saved.status_code == 200
    offer, need = saved.json()["offers"][0], saved.json()["needs"][0]
    assert (offer["language"], offer["language_detected"]) == ("fr", True)
    assert (need["language"], need["language_detected"]) == ("de", False)
    # Read back and sent again, a detected language stays detected (the text decides).
    offer["description"] = ITALIAN
    again = client.post(
        "/api/brokering/profiles",
        {**payload, "offers": [offer]},
        content_type="application/json",
    ).json()
    assert again["offers"][0]["language"] == "it"
    assert Offer.objects.get(profile__organisation=world.member_company).language_detected


# Pages -------------------------------------------------------------------------------------


def test_a_detail_page_marks_the_language_of_the_text(world):
    offer = OfferFactory(title="Robots collaboratifs", description=FRENCH)
    client = world.client(world.company_user)
    page = client.get(offer.get_absolute_url()).content.decode()
    escaped = FRENCH.replace("'", "&#x27;")
    assert f'<div class="pre-line" lang="fr">{escaped}</div>' in page
    assert "Written in French" in page
    organisation = OrganisationFactory(description=GERMAN)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert '<div lang="de">' in page and "Written in German" in page
    english = OrganisationFactory(description=ENGLISH)
    page = client.get(english.get_absolute_url()).content.decode()
    assert '<div lang="en">' in page and "Written in" not in page
    # In a page in French, no note under a French text: it is in the page's language.
    french_page = client.get(offer.get_absolute_url() + "?lang=fr").content.decode()
    assert '<html lang="fr"' in french_page
    assert escaped in french_page and "Written in" not in french_page


# Sample data -------------------------------------------------------------------------------


def test_the_sample_profiles_hold_texts_in_french_german_and_italian():
    from clusterbroker.brokering.sample_data import load_sample_profiles
    from clusterbroker.registry.sample_data import load_sample_data

    load_sample_data()
    load_sample_profiles()
    assert Offer.objects.get(profile__organisation__slug="viameca").language == "fr"
    assert Need.objects.get(profile__organisation__slug="bwcon").language == "de"
    assert Offer.objects.get(profile__organisation__slug="afil").language == "it"
    assert Need.objects.get(profile__organisation__slug="hanning").language == "en"
