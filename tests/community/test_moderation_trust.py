"""A published item changed by its author goes back to moderation, and an item is posted
for (an offer provided by) an organisation only by those who may act for it (finding 8)."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from clusterbroker.community import services
from clusterbroker.community.models import Offer, SearchDocument, Status
from clusterbroker.community.permissions import COMMUNITY_MANAGERS_GROUP
from clusterbroker.community.search.index import index_object

from .factories import OfferFactory, StoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def community_manager(world):
    user = world.outsider
    user.groups.add(Group.objects.get_or_create(name=COMMUNITY_MANAGERS_GROUP)[0])
    return user


@pytest.fixture
def published(world):
    offer = OfferFactory(
        title="Robot cell rental",
        author=world.company_user,
        organisation=world.member_company,
        status=Status.PUBLISHED,
    )
    index_object(offer)
    return offer


def edit_data(offer: Offer, **changes) -> dict:
    data = {
        "title": offer.title,
        "kind": offer.kind,
        "description": offer.description,
        "organisation": offer.organisation_id or "",
        "price_model": offer.price_model,
        "contact_email": offer.contact_email,
        "url": offer.url,
    }
    return {**data, **changes}


def test_an_authors_change_to_a_published_offer_goes_back_to_moderation(
    world, published, community_manager
):
    author = world.client(world.company_user)
    form = author.get(f"/community/offers/{published.pk}/edit/").content.decode()
    assert "not shown until the moderators publish it again" in form
    response = author.post(
        f"/community/offers/{published.pk}/edit/",
        edit_data(published, title="Robot cell rental, now free", price_model="free"),
        follow=True,
    )
    assert response.status_code == 200
    assert "goes to the moderators" in response.content.decode()
    published.refresh_from_db()
    assert published.status == Status.PENDING
    # The changed text is not public: not on its page, in the list or in the search.
    anonymous = world.client()
    assert anonymous.get(published.get_absolute_url()).status_code == 404
    assert "now free" not in anonymous.get("/community/offers/").content.decode()
    assert not SearchDocument.objects.get(key=f"offer:{published.pk}").published
    assert anonymous.get("/api/community/search?q=rental").json()["total"] == 0
    # The moderators see it in their queue and publish it again.
    manager = world.client(community_manager)
    assert "now free" in manager.get("/community/moderation/").content.decode()
    manager.post(f"/community/offers/{published.pk}/publish/")
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED
    assert anonymous.get("/api/community/search?q=rental").json()["total"] == 1


def test_a_community_manager_or_an_admin_changes_a_published_item_directly(
    world, published, community_manager
):
    for user, title in ((community_manager, "Fixed typo"), (world.admin, "Fixed again")):
        response = world.client(user).post(
            f"/community/offers/{published.pk}/edit/", edit_data(published, title=title)
        )
        assert response.status_code == 302
        published.refresh_from_db()
        assert (published.title, published.status) == (title, Status.PUBLISHED)


def test_the_service_sends_any_published_collection_item_back(world):
    story = StoryFactory(author=world.company_user, status=Status.PUBLISHED)
    story.summary = "Changed after publication."
    services.save_item(story, world.company_user)
    story.refresh_from_db()
    assert story.status == Status.PENDING
    draft = StoryFactory(author=world.company_user, status=Status.DRAFT)
    services.save_item(draft, world.company_user)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_member_cannot_name_another_organisation_as_provider(world):
    member = world.client(world.company_user)
    data = {"title": "Fake offer", "kind": "service", "description": "x", "price_model": "free"}
    form = member.get("/community/offers/new/").content.decode()
    assert world.member_company.name in form and world.other_company.name not in form
    refused = member.post(
        "/community/offers/new/", {**data, "organisation": world.other_company.pk}
    )
    assert refused.status_code == 400
    assert not Offer.objects.filter(title="Fake offer").exists()
    accepted = member.post(
        "/community/offers/new/", {**data, "organisation": world.member_company.pk}
    )
    assert accepted.status_code == 302
    assert Offer.objects.get(title="Fake offer").organisation == world.member_company


def test_a_published_offer_cannot_be_moved_to_another_provider(world, published):
    response = world.client(world.company_user).post(
        f"/community/offers/{published.pk}/edit/",
        edit_data(published, organisation=world.other_company.pk),
    )
    assert response.status_code == 400
    published.refresh_from_db()
    assert (published.organisation, published.status) == (world.member_company, Status.PUBLISHED)


def test_the_service_refuses_a_provider_the_user_may_not_act_for(world):
    offer = Offer(title="Fake", description="x", organisation=world.other_company)
    with pytest.raises(ValidationError) as refused:
        services.save_item(offer, world.company_user)
    assert "organisation" in refused.value.message_dict
    assert world.other_company.name in refused.value.message_dict["organisation"][0]
    assert not Offer.objects.exists()
    # The organisation's own editor and an admin may name it.
    services.save_item(offer, world.other_company_user)
    services.save_item(
        Offer(title="By admin", description="x", organisation=world.member_company), world.admin
    )
    assert Offer.objects.count() == 2


def test_a_moderator_keeps_the_provider_an_item_already_names(world, published, community_manager):
    response = world.client(community_manager).post(
        f"/community/offers/{published.pk}/edit/", edit_data(published, title="Moderated")
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert (published.title, published.organisation) == ("Moderated", world.member_company)


def test_someone_elses_draft_is_not_found_rather_than_forbidden(world):
    draft = OfferFactory(status=Status.DRAFT, author=world.company_user)
    other = world.client(world.other_company_user)
    for pk in (draft.pk, draft.pk + 1000):  # the draft, and an offer that does not exist
        assert other.get(f"/community/offers/{pk}/edit/").status_code == 404
        assert other.post(f"/community/offers/{pk}/submit/").status_code == 404


def test_the_moderation_page_names_the_collections_as_people_read_them(world):
    from clusterbroker.community import permissions

    manager = world.admin
    assert permissions.is_community_manager(manager)
    page = world.client(manager).get("/community/moderation/").content.decode()
    for heading in ("Open calls", "Marketplace offers", "Best practices"):
        assert f"<h2>{heading}</h2>" in page
    assert "<h2>calls</h2>" not in page and "<h2>offers</h2>" not in page
