"""Introductions tell the keepers who may answer them, and the answer tells the requester;
a confidential need is never named to someone who may not read it."""

import pytest
from django.core import mail
from django.urls import reverse

from clusterbroker.brokering import embeddings, services
from clusterbroker.notifications.models import Notification
from clusterbroker.registry.models import Person

from ..brokering.factories import save_profile
from ..factories import PositionFactory
from .helpers import mails_to, notice, notified

pytestmark = pytest.mark.django_db
SECRET = "Cryogenic valve redesign"


@pytest.fixture(autouse=True)
def quick_brokering(settings):
    previous = embeddings.use_encoder(embeddings.HashingEncoder())
    yield
    embeddings.use_encoder(previous)


def with_addresses(world, *more):
    for user in [
        world.admin,
        world.partnership_manager,
        world.cluster_manager,
        world.company_user,
        world.other_company_user,
        world.outsider,
        *more,
    ]:
        user.email = f"{user.username}@example.org"
        user.save()


@pytest.fixture
def need(world):
    """A confidential need of `cluster_member`: kept by its own editor and by the manager of
    `cluster`, which it is a member of."""
    owner = PositionFactory(organisation=world.cluster_member, role="editor").person.user
    with_addresses(world, owner)
    profile = save_profile(
        owner,
        world.cluster_member,
        needs=[services.NeedData(kind="technology", description=SECRET, confidential=True)],
    )
    need = profile.needs.get()
    need.owner = owner
    return need


def ask(world, need, committed):
    with committed():
        response = world.client(world.other_company_user).post(
            reverse("brokering:introduce-ref", args=[need.ref]),
            {"requester": world.other_company.pk, "message": "We machine valve bodies."},
        )
    assert response.status_code == 302
    return need.introductions.get()


def test_asking_tells_the_keepers_who_may_answer(world, need, committed):
    ask(world, need, committed)
    assert notified("introduction_request") == {need.owner.pk, world.cluster_manager.pk}
    told = notice("introduction_request", need.owner)
    assert "Far Away GmbH" in told.title and "Cluster Member Ltd" in told.title
    assert SECRET in told.body and "We machine valve bodies." in told.body
    assert told.url == need.profile.get_absolute_url()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [need.owner.email, world.cluster_manager.email]
    )


def test_a_keeper_who_acts_for_the_requester_is_not_asked(world, need, committed):
    # The owner's editor also holds a position in the requester: they may not answer.
    PositionFactory(person=Person.objects.get(user=need.owner), organisation=world.other_company)
    ask(world, need, committed)
    assert notified("introduction_request") == {world.cluster_manager.pk}


def test_an_acceptance_tells_the_requester_what_they_may_now_read(world, need, committed):
    introduction = ask(world, need, committed)
    Notification.objects.all().delete()
    mail.outbox.clear()
    with committed():
        world.client(need.owner).post(
            reverse("brokering:introduction-answer", args=[introduction.pk, "accept"])
        )
    assert notified("introduction_answer") == {world.other_company_user.pk}
    told = notice("introduction_answer", world.other_company_user)
    assert "Cluster Member Ltd accepted" in told.title and SECRET in told.body
    [email] = mails_to(world.other_company_user.email)
    assert SECRET in email.body
    assert len(mail.outbox) == 1


def test_a_decline_names_neither_the_need_nor_its_owner(world, need, committed):
    introduction = ask(world, need, committed)
    Notification.objects.all().delete()
    mail.outbox.clear()
    with committed():
        response = world.client(need.owner).post(
            f"/api/brokering/introductions/{introduction.pk}/decline"
        )
    assert response.status_code == 200
    assert notified("introduction_answer") == {world.other_company_user.pk}
    told = notice("introduction_answer", world.other_company_user)
    assert "declined" in told.title and need.ref in told.title
    [email] = mails_to(world.other_company_user.email)
    for text in (told.title, told.body, email.subject, email.body):
        assert SECRET not in text and "Cluster Member Ltd" not in text
    assert told.url == need.get_absolute_url()  # by its random ref, not its id
