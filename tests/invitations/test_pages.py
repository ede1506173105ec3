"""The pages of invitations and join requests, through Django's test client."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from clusterbroker.invitations.models import Invitation, JoinRequest
from clusterbroker.registry import permissions
from clusterbroker.registry.models import Organisation, Position

from ..factories import OrganisationFactory, UserFactory
from .conftest import link_in
from .factories import JoinRequestFactory, make_invitation

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "a long enough passphrase 42"


def test_the_pages_need_a_login(client):
    for url in [
        "/invitations/",
        "/invitations/new/",
        "/invitations/upload/",
        "/invitations/join/",
        "/invitations/join/search/?q=pa",
        "/invitations/join/register/",
        "/invitations/join-requests/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_the_list_shows_what_one_may_manage_with_search_and_status(world):
    make_invitation(world.member_company, "ann@example.org", inviter=world.company_user)
    make_invitation(
        world.member_company, "old@example.org", inviter=world.company_user, expired=True
    )
    make_invitation(world.other_company, "secret@example.org", inviter=world.other_company_user)
    client = world.client(world.company_user)
    page = client.get("/invitations/").content.decode()
    assert "ann@example.org" in page
    assert "old@example.org" not in page  # pending by default; expired under its status
    assert "secret@example.org" not in page
    assert "Resend" in page and "Revoke" in page
    expired = client.get("/invitations/?status=expired").content.decode()
    assert "old@example.org" in expired and "Expired" in expired
    found = client.get("/invitations/?status=all&q=OLD").content.decode()
    assert "old@example.org" in found and "ann@example.org" not in found
    # The fragment for htmx holds the table only.
    fragment = client.get("/invitations/?q=ann", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert b"<html" not in fragment.content and b"ann@example.org" in fragment.content
    assert world.client(world.outsider).get("/invitations/").status_code == 200
    assert b"secret@example.org" not in world.client(world.outsider).get("/invitations/").content


def test_the_list_pages(world, settings):
    settings.REGISTRY_PAGE_SIZE = 2
    for n in range(5):
        make_invitation(world.member_company, f"p{n}@example.org", inviter=world.company_user)
    client = world.client(world.company_user)
    assert b"Page 1 of 3" in client.get("/invitations/").content
    assert b"Page 3 of 3" in client.get("/invitations/?page=3").content


def test_the_form_offers_only_organisations_one_may_invite_to(world):
    assert world.client(world.outsider).get("/invitations/new/").status_code == 403
    response = world.client(world.company_user).get("/invitations/new/")
    choices = [str(o) for o in response.context["form"].fields["organisation"].queryset]
    assert choices == ["Precision Parts"]
    response = world.client(world.cluster_manager).get("/invitations/new/")
    choices = {str(o) for o in response.context["form"].fields["organisation"].queryset}
    assert choices == {"Mecha Cluster", "Cluster Member Ltd"}


def test_inviting_through_the_form(world, sent):
    client = world.client(world.company_user)
    with sent():
        response = client.post(
            "/invitations/new/",
            {
                "email": "ines@example.org",
                "name": "Ines",
                "organisation": "precision-parts",
                "role": "editor",
            },
        )
    assert response.status_code == 302 and response["Location"] == "/invitations/"
    assert Invitation.objects.get().email == "ines@example.org"
    assert len(mail.outbox) == 1
    assert link_in(mail.outbox[0]).startswith("http://testserver/invitations/accept/")


def test_form_errors_are_next_to_their_fields(world):
    client = world.client(world.company_user)
    response = client.post(
        "/invitations/new/",
        {"email": "nope", "organisation": "far-away", "role": "editor"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "not a valid e-mail" in form.errors["email"][0]
    assert "organisation" in form.errors  # not among the choices
    response = client.post(
        "/invitations/new/",
        {"email": "x@example.org", "organisation": "precision-parts", "role": "manager"},
    )
    assert "Only a cluster organisation" in response.context["form"].errors["role"][0]
    assert not Invitation.objects.exists()


def test_resend_and_revoke_buttons(world, sent):
    invitation, _raw = make_invitation(world.member_company, inviter=world.company_user)
    intruder = world.client(world.other_company_user)
    assert intruder.post(f"/invitations/{invitation.pk}/resend/").status_code == 404
    assert intruder.post(f"/invitations/{invitation.pk}/revoke/").status_code == 404
    client = world.client(world.company_user)
    with sent():
        response = client.post(f"/invitations/{invitation.pk}/resend/", follow=True)
    assert b"Sent again" in response.content
    assert len(mail.outbox) == 1
    response = client.post(f"/invitations/{invitation.pk}/revoke/", follow=True)
    assert b"was revoked" in response.content
    invitation.refresh_from_db()
    assert (invitation.status, invitation.resend_count) == ("revoked", 1)
    assert client.get(f"/invitations/{invitation.pk}/resend/").status_code == 405


def test_upload_shows_every_problem_and_invites_nobody(world, sent):
    client = world.client(world.company_user)
    bad = "name,email,organisation\nA,a@example.org,precision-parts\nB,b@,far-away\n"
    with sent():
        response = client.post(
            "/invitations/upload/",
            {"file": SimpleUploadedFile("people.csv", bad.encode())},
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert "nobody was invited" in page and "Far Away GmbH" in page
    assert not Invitation.objects.exists() and mail.outbox == []
    good = "name,email,organisation\nA,a@example.org,precision-parts\n"
    with sent():
        response = client.post(
            "/invitations/upload/", {"file": SimpleUploadedFile("people.csv", good.encode())}
        )
    assert response.status_code == 302
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 1
    response = client.post("/invitations/upload/", {"file": SimpleUploadedFile("people.txt", b"x")})
    assert response.status_code == 400 and b"unsupported file type" in response.content


def test_the_accept_page_says_who_invites_whom_to_what(world):
    world.company_user.first_name, world.company_user.last_name = "Carl", "Company"
    world.company_user.save()
    _invitation, raw = make_invitation(
        world.member_company, "ines@example.org", inviter=world.company_user
    )
    page = Client().get(f"/invitations/accept/{raw}/").content.decode()
    assert "Carl Company" in page and "ines@example.org" in page
    assert "Precision Parts" in page and "Profile editor" in page
    assert 'name="password"' in page and "I already have an account" in page
    assert f"/accounts/login/?next=/invitations/accept/{raw}/" in page


def test_accepting_from_the_page_creates_the_account_and_lands_on_the_organisation(world):
    invitation, raw = make_invitation(
        world.member_company, "ines@example.org", inviter=world.company_user
    )
    client = Client()
    response = client.post(
        f"/invitations/accept/{raw}/",
        {"name": "Ines Invitee", "password": PASSWORD, "password_again": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/organisations/precision-parts/"
    page = response.content.decode()
    assert "You are now Profile editor of Precision Parts" in page
    user = User.objects.get(email="ines@example.org")
    assert response.context["user"] == user  # logged in
    assert permissions.can_edit_organisation(user, world.member_company)
    assert "/organisations/precision-parts/edit/" in page
    invitation.refresh_from_db()
    assert invitation.status == "accepted"


def test_a_failed_form_creates_nothing_and_shows_the_errors(world):
    _invitation, raw = make_invitation(world.member_company, "ines@example.org")
    response = Client().post(
        f"/invitations/accept/{raw}/",
        {"name": "Ines", "password": PASSWORD, "password_again": "something else"},
    )
    assert response.status_code == 400
    assert "The two passwords differ." in response.context["form"].errors["password_again"]
    assert not User.objects.filter(email="ines@example.org").exists()
    response = Client().post(
        f"/invitations/accept/{raw}/", {"name": "Ines", "password": "1", "password_again": "1"}
    )
    assert response.context["form"].errors["password"]
    assert not User.objects.filter(email="ines@example.org").exists()


def test_a_logged_in_person_accepts_with_one_button(world):
    _invitation, raw = make_invitation(world.member_company, "ines@example.org")
    client = world.client(world.outsider)
    page = client.get(f"/invitations/accept/{raw}/").content.decode()
    assert "Accept the invitation" in page and 'name="password"' not in page
    assert "gives the role to your account" in page  # the addresses differ
    response = client.post(f"/invitations/accept/{raw}/")
    assert response.status_code == 302
    assert permissions.can_edit_organisation(world.outsider, world.member_company)


def test_refused_invitations_show_their_message(world):
    _a, expired = make_invitation(world.member_company, "a@example.org", expired=True)
    _b, revoked = make_invitation(world.member_company, "b@example.org", status="revoked")
    _c, used = make_invitation(world.member_company, "c@example.org")
    world.client(world.outsider).post(f"/invitations/accept/{used}/")
    for raw, status, words in [
        (expired, 410, "expired on"),
        (revoked, 410, "withdrawn"),
        (used, 410, "already been used"),
        ("bogus", 404, "not valid"),
    ]:
        response = Client().get(f"/invitations/accept/{raw}/")
        assert response.status_code == status
        assert words in response.content.decode()
        assert b'name="password"' not in response.content
        response = world.client(world.other_company_user).post(f"/invitations/accept/{raw}/")
        assert response.status_code == status
    assert not permissions.can_edit_organisation(world.other_company_user, world.member_company)


def test_join_search_as_you_type(world):
    OrganisationFactory(name="Partsworks", slug="partsworks")
    client = world.client(world.outsider)
    page = client.get("/invitations/join/").content.decode()
    assert 'hx-get="/invitations/join/search/"' in page
    fragment = client.get("/invitations/join/search/?q=parts").content.decode()
    assert "<html" not in fragment
    assert "Precision Parts" in fragment and "Partsworks" in fragment
    assert "/invitations/join/ask/precision-parts/" in fragment
    assert (
        "Type at least two letters" in client.get("/invitations/join/search/?q=p").content.decode()
    )
    mine = world.client(world.company_user).get("/invitations/join/search/?q=precision")
    assert b"You are an editor" in mine.content


def test_asking_to_join_and_answering_through_the_pages(world, sent):
    newcomer = UserFactory(username="newcomer", email="n@example.org")
    client = world.client(newcomer)
    assert (
        b"Ask to join Precision Parts"
        in client.get("/invitations/join/ask/precision-parts/").content
    )
    with sent():
        response = client.post(
            "/invitations/join/ask/precision-parts/", {"message": "Workshop lead"}, follow=True
        )
    assert b"Asked: the editors of Precision Parts are told" in response.content
    request = JoinRequest.objects.get()
    assert b"Withdraw" in client.get("/invitations/join/").content
    # Others do not see it, and cannot answer it.
    for intruder in (world.other_company_user, world.partnership_manager, newcomer):
        page = world.client(intruder).get("/invitations/join-requests/").content.decode()
        assert "Workshop lead" not in page
    for intruder in (world.other_company_user, world.partnership_manager):
        answer = world.client(intruder).post(f"/invitations/join-requests/{request.pk}/accept/")
        assert answer.status_code == 404
    own = client.post(f"/invitations/join-requests/{request.pk}/accept/", follow=True)
    assert b"cannot answer your own request" in own.content
    assert not permissions.can_edit_organisation(newcomer, world.member_company)
    editor = world.client(world.company_user)
    page = editor.get("/invitations/join-requests/").content.decode()
    assert "Workshop lead" in page and "n@example.org" in page
    with sent():
        response = editor.post(f"/invitations/join-requests/{request.pk}/accept/", follow=True)
    assert b"is now an editor of Precision Parts" in response.content
    assert permissions.can_edit_organisation(newcomer, world.member_company)


def test_a_cluster_manager_cannot_answer_for_a_member(world):
    request = JoinRequestFactory(organisation=world.cluster_member)
    client = world.client(world.cluster_manager)
    assert b"I work there." not in client.get("/invitations/join-requests/").content
    response = client.post(f"/invitations/join-requests/{request.pk}/accept/")
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"
    assert not Position.objects.filter(person__user=request.user).exists()


def test_registering_a_new_organisation_through_the_page(world):
    newcomer = UserFactory(username="newcomer")
    client = world.client(newcomer)
    page = client.get("/invitations/join/register/").content.decode()
    assert "Mecha Cluster" in page  # clusters offered
    response = client.post(
        "/invitations/join/register/",
        {
            "name": "Fresh Robotics",
            "kind": "company",
            "country": "FR",
            "cluster": "mecha-cluster",
            "message": "Hello",
        },
        follow=True,
    )
    organisation = Organisation.objects.get(name="Fresh Robotics")
    assert response.redirect_chain[-1][0] == organisation.get_absolute_url()
    assert b"managers are asked to accept it as a member" in response.content
    assert permissions.can_edit_organisation(newcomer, organisation)
    assert not organisation.memberships.exists()
    bad = client.post("/invitations/join/register/", {"name": "", "kind": "x", "country": "ZZ"})
    assert bad.status_code == 400 and bad.context["form"].errors["country"]


def test_expiry_is_fourteen_days(world):
    _invitation, raw = make_invitation(world.member_company)
    invitation = Invitation.by_token(raw)
    assert abs(invitation.expires_at - timezone.now() - dt.timedelta(days=14)) < dt.timedelta(
        minutes=1
    )
