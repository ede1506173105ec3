"""The API of invitations and join requests: the same rules as the pages."""

import pytest
from django.core import mail
from django.test import Client

from clusterbroker.invitations.models import Invitation, JoinRequest
from clusterbroker.registry import permissions
from clusterbroker.registry.models import ApiToken, Position

from ..factories import UserFactory
from .conftest import link_in, token_of
from .factories import JoinRequestFactory, make_invitation

pytestmark = pytest.mark.django_db


class Api:
    """A client calling the API with `user`'s bearer token."""

    def __init__(self, user) -> None:
        _token, raw = ApiToken.issue(user, "test")
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        self.client = Client()

    def get(self, path: str):
        return self.client.get(path, **self.headers)

    def post(self, path: str, payload: dict | None = None):
        return self.client.post(
            path, payload or {}, content_type="application/json", **self.headers
        )


def test_the_operations_are_documented():
    schema = Client().get("/api/openapi.json").json()
    operations = {
        operation["operationId"]
        for path, item in schema["paths"].items()
        if path.startswith(("/api/invitations/", "/api/join-requests/"))
        for operation in item.values()
    }
    assert operations == {
        "list_invitations",
        "create_invitation",
        "accept_invitation",
        "resend_invitation",
        "revoke_invitation",
        "list_join_requests",
        "create_join_request",
        "answer_join_request",
    }


def test_anonymous_callers_are_refused():
    assert Client().get("/api/invitations/").status_code == 401
    assert Client().post(
        "/api/join-requests/", {}, content_type="application/json"
    ).status_code in (
        401,
        403,
    )


def test_create_invitation_follows_the_rules(world, sent):
    api = Api(world.company_user)
    refused = api.post(
        "/api/invitations/", {"email": "spy@example.org", "organisation": "far-away"}
    )
    assert refused.status_code == 403 and "Far Away GmbH" in refused.json()["detail"]
    unknown = api.post("/api/invitations/", {"email": "x@example.org", "organisation": "nowhere"})
    assert unknown.status_code == 422
    bad = api.post("/api/invitations/", {"email": "nope", "organisation": "precision-parts"})
    assert bad.status_code == 422 and "not a valid e-mail" in bad.json()["detail"]
    assert not Invitation.objects.exists()
    with sent():
        created = api.post(
            "/api/invitations/",
            {"email": "ines@example.org", "name": "Ines", "organisation": "precision-parts"},
        )
    assert created.status_code == 201
    body = created.json()
    assert (body["email"], body["organisation"], body["role"], body["status"]) == (
        "ines@example.org",
        "precision-parts",
        "editor",
        "pending",
    )
    raw = token_of(link_in(mail.outbox[0]))
    assert raw not in created.content.decode()  # the link goes to the address only
    again = api.post(
        "/api/invitations/", {"email": "ines@example.org", "organisation": "precision-parts"}
    )
    assert again.status_code == 200 and again.json()["resend_count"] == 1


def test_a_cluster_manager_invites_to_member_organisations(world):
    api = Api(world.cluster_manager)
    created = api.post(
        "/api/invitations/", {"email": "boss@example.org", "organisation": "cluster-member-ltd"}
    )
    assert created.status_code == 201
    refused = api.post(
        "/api/invitations/", {"email": "boss@example.org", "organisation": "precision-parts"}
    )
    assert refused.status_code == 403


def test_list_resend_and_revoke(world):
    mine, _ = make_invitation(world.member_company, "a@example.org", inviter=world.company_user)
    make_invitation(world.other_company, "b@example.org", inviter=world.other_company_user)
    api = Api(world.company_user)
    listed = api.get("/api/invitations/").json()
    assert [i["email"] for i in listed["items"]] == ["a@example.org"]
    assert api.get("/api/invitations/?status=expired").json()["count"] == 0
    intruder = Api(world.other_company_user)
    assert intruder.post(f"/api/invitations/{mine.pk}/resend").status_code == 404
    assert intruder.post(f"/api/invitations/{mine.pk}/revoke").status_code == 404
    assert api.post(f"/api/invitations/{mine.pk}/resend").json()["resend_count"] == 1
    assert api.post(f"/api/invitations/{mine.pk}/revoke").json()["status"] == "revoked"
    again = api.post(f"/api/invitations/{mine.pk}/revoke")
    assert again.status_code == 409


def test_accept_with_a_token(world):
    _invitation, raw = make_invitation(world.member_company, inviter=world.company_user)
    api = Api(world.outsider)
    accepted = api.post("/api/invitations/accept", {"token": raw})
    assert accepted.status_code == 200
    assert accepted.json() == {
        "organisation": "precision-parts",
        "role": "editor",
        "invitation": _invitation.pk,
    }
    assert permissions.can_edit_organisation(world.outsider, world.member_company)
    used = Api(world.other_company_user).post("/api/invitations/accept", {"token": raw})
    assert used.status_code == 410 and "already been used" in used.json()["detail"]
    assert api.post("/api/invitations/accept", {"token": "bogus"}).status_code == 422
    _expired, old = make_invitation(world.member_company, "old@example.org", expired=True)
    expired = api.post("/api/invitations/accept", {"token": old})
    assert expired.status_code == 410 and "expired" in expired.json()["detail"]


def test_the_sender_cannot_accept_through_the_api(world):
    _invitation, raw = make_invitation(world.cluster_member, inviter=world.cluster_manager)
    response = Api(world.cluster_manager).post("/api/invitations/accept", {"token": raw})
    assert response.status_code == 403
    assert world.cluster_member.pk not in permissions.own_organisation_ids(world.cluster_manager)


def test_join_requests_through_the_api(world, sent):
    newcomer = UserFactory(username="newcomer", email="n@example.org")
    api = Api(newcomer)
    with sent():
        created = api.post(
            "/api/join-requests/", {"organisation": "precision-parts", "message": "Hi"}
        )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert api.post("/api/join-requests/", {"organisation": "precision-parts"}).status_code == 409
    assert api.post("/api/join-requests/", {"organisation": "nowhere"}).status_code == 422
    # The requester cannot accept; others do not see it; the editor does.
    assert api.post(f"/api/join-requests/{pk}/accept").status_code == 403
    for intruder in (world.other_company_user, world.partnership_manager, world.outsider):
        assert Api(intruder).post(f"/api/join-requests/{pk}/accept").status_code == 404
        assert Api(intruder).get("/api/join-requests/").json()["count"] == 0
    editor = Api(world.company_user)
    awaiting = editor.get("/api/join-requests/?awaiting_me=true").json()
    assert [r["id"] for r in awaiting["items"]] == [pk]
    assert api.get("/api/join-requests/?awaiting_me=true").json()["count"] == 0
    assert api.get("/api/join-requests/").json()["items"][0]["status"] == "pending"
    accepted = editor.post(f"/api/join-requests/{pk}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert permissions.can_edit_organisation(newcomer, world.member_company)
    assert editor.post(f"/api/join-requests/{pk}/decline").status_code == 409


def test_a_cluster_manager_cannot_accept_a_join_request_for_a_member(world):
    request = JoinRequestFactory(organisation=world.cluster_member)
    response = Api(world.cluster_manager).post(f"/api/join-requests/{request.pk}/accept")
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.PENDING
    assert not Position.objects.filter(person__user=request.user).exists()


def test_withdraw_is_for_the_requester(world):
    request = JoinRequestFactory(organisation=world.member_company)
    assert (
        Api(world.company_user).post(f"/api/join-requests/{request.pk}/withdraw").status_code == 403
    )
    done = Api(request.user).post(f"/api/join-requests/{request.pk}/withdraw")
    assert done.status_code == 200 and done.json()["status"] == "withdrawn"
