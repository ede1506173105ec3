"""At events: a registration starts from the organisation's brokering profile (public offers,
needs and technologies prefilled, editable; confidential needs never copied), and the
catalogue suggests whom to meet, ranked by the brokering engine, with reasons."""

import pytest
from django.urls import reverse

from clusterbroker.brokering import embeddings, services
from clusterbroker.brokering.models import Profile
from clusterbroker.events.models import Participant
from tests.brokering.factories import save_profile, taxonomy_terms
from tests.factories import OrganisationFactory, PositionFactory

from .factories import EventFactory, ParticipantFactory, SessionFactory

pytestmark = pytest.mark.django_db
SECRET = "Collaborative robots for deburring, not announced yet"


@pytest.fixture(autouse=True)
def model_free(settings):
    previous = embeddings.use_encoder(embeddings.HashingEncoder())
    yield
    embeddings.use_encoder(previous)


@pytest.fixture
def event():
    event = EventFactory()
    SessionFactory(event=event)
    return event


@pytest.fixture
def profile(world):
    taxonomy_terms()
    return save_profile(
        world.company_user,
        world.member_company,
        summary="Precision parts for automotive.",
        offers=[services.OfferData("Five-axis machining", "Titanium parts", ["effra:D1"])],
        needs=[
            services.NeedData(kind="service", description="Cloud MES", terms=["dia-ict:CLOUD"]),
            services.NeedData(
                kind="technology", description=SECRET, terms=["dia-ict:AI"], confidential=True
            ),
        ],
    )


def _register_url(event) -> str:
    return reverse("events:register", args=[event.slug])


def test_a_new_registration_starts_from_the_profile(world, event, profile):
    client = world.client(world.company_user)
    page = client.get(_register_url(event))
    assert page.status_code == 200
    initial = page.context["form"].initial
    assert initial["organisation"] == world.member_company
    assert "Five-axis machining: Titanium parts" in initial["offers"]
    assert "Cloud MES" in initial["needs"]
    assert {t.code for t in initial["terms"]} == {"D1", "CLOUD"}
    assert initial["description"] == "Precision parts for automotive."
    body = page.content.decode()
    assert "Five-axis machining: Titanium parts" in body  # prefilled in the textarea
    assert profile.public_id in body
    # The confidential need is neither copied nor its terms: every participant reads this.
    assert SECRET not in body and "1 confidential need is not copied" in body
    # Editable: what is posted is registered; the profile stays as it is.
    data = {
        "organisation": world.member_company.pk,
        "offers": initial["offers"] + "\n- Grinding",
        "needs": initial["needs"],
        "terms": [t.pk for t in initial["terms"]],
        "sessions": [event.sessions.get().pk],
    }
    assert client.post(_register_url(event), data).status_code == 302
    participant = Participant.objects.get()
    assert participant.offers.endswith("- Grinding") and "Cloud MES" in participant.needs
    assert SECRET not in participant.needs
    assert {t.code for t in participant.terms.all()} == {"D1", "CLOUD"}
    assert list(Profile.objects.get().offers.values_list("title", flat=True)) == [
        "Five-axis machining"
    ]


def test_a_registered_participant_keeps_their_text_unless_they_ask_for_the_profile(
    world, event, profile
):
    ParticipantFactory(
        event=event, organisation=world.member_company, user=world.company_user, offers="Mine"
    )
    client = world.client(world.company_user)
    page = client.get(_register_url(event))
    assert page.context["form"].initial["offers"] == "Mine"
    assert page.context["start"] is None
    assert f"?profile={profile.public_id}" in page.content.decode()
    again = client.get(_register_url(event) + f"?profile={profile.public_id}")
    assert "Five-axis machining" in again.context["form"].initial["offers"]


def test_a_profile_of_an_organisation_the_user_may_not_register_is_not_used(world, event, profile):
    client = world.client(world.other_company_user)
    page = client.get(_register_url(event) + f"?profile={profile.public_id}")
    assert page.status_code == 200
    assert page.context["start"] is None
    assert "Five-axis machining" not in page.content.decode()


def test_without_a_profile_the_page_says_how_to_get_one(world, event):
    page = world.client(world.outsider).get(_register_url(event))
    assert page.context["start"] is None
    assert reverse("brokering:questionnaire") in page.content.decode()


@pytest.fixture
def catalogue(world, event, profile):
    """`member_company` (needs a cloud MES) is registered, with a cloud provider and a
    dairy; another cloud provider has a profile but is not registered at the event."""

    def provider(name: str, registered: bool, offer: str, terms: list[str]):
        organisation = OrganisationFactory(name=name, kind="company")
        owner = PositionFactory(organisation=organisation, role="editor").person.user
        save_profile(owner, organisation, offers=[services.OfferData(offer, offer, terms)])
        if registered:
            ParticipantFactory(event=event, organisation=organisation, offers=offer)
        return organisation

    me = ParticipantFactory(event=event, organisation=world.member_company, user=world.company_user)
    cloud = provider("Nimbus MES", True, "Cloud MES for machining shops", ["dia-ict:CLOUD"])
    dairy = provider("Alpine Dairy", True, "Cheese and butter", [])
    absent = provider("Stratus Cloud", False, "Cloud MES hosting", ["dia-ict:CLOUD"])
    return {"me": me, "cloud": cloud, "dairy": dairy, "absent": absent}


def test_the_catalogue_suggests_participants_that_offer_what_the_profile_needs(
    world, event, catalogue
):
    page = world.client(world.company_user).get(reverse("events:catalogue", args=[event.slug]))
    assert page.status_code == 200
    found = page.context["suggesting"]["found"]
    names = [s.participant.organisation.name for s in found]
    assert names and names[0] == "Nimbus MES"
    assert "Stratus Cloud" not in names  # not registered at the event
    assert world.member_company.name not in names
    assert found[0].reasons
    body = page.content.decode()
    section = body[body.index("Suggested for you") : body.index("</section>")]
    assert "Nimbus MES" in section and found[0].reasons[0] in section
    # The suggestions use the profile's confidential need, never shown in them.
    assert SECRET not in body
    # The results alone (htmx filtering) do not rank again.
    results = world.client(world.company_user).get(
        reverse("events:catalogue", args=[event.slug]), HTTP_HX_TARGET="results"
    )
    assert "suggesting" not in results.context


def test_suggestions_only_for_participants_who_keep_the_profile(world, event, catalogue):
    url = reverse("events:catalogue", args=[event.slug])
    # Someone logged in but not registered gets no suggestions section.
    outsider = world.client(world.outsider).get(url)
    assert "Suggested for you" not in outsider.content.decode()
    # A participant whose organisation has no profile is told how to get suggestions.
    dairy_user = Participant.objects.get(organisation=catalogue["dairy"]).user
    dairy_page = world.client(dairy_user).get(url)
    assert dairy_page.context["suggesting"]["found"] == []
    # A registered user who does not keep the profile (a contact, not an editor) gets none:
    # the ranking reads the profile's confidential needs.
    member = PositionFactory(organisation=world.member_company, role="contact").person.user
    catalogue["me"].user = member
    catalogue["me"].save()
    page = world.client(member).get(url)
    assert page.context["suggesting"]["found"] == []
    assert "Suggestions are shown to those who keep" in page.content.decode()
