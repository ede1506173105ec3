"""Each role may do what it is allowed to, and is refused the rest, in pages and in the API."""

import pytest

from clusterbroker.registry import permissions
from clusterbroker.registry.models import Competence, Organisation

from ..factories import PersonFactory, PositionFactory, TermFactory

pytestmark = pytest.mark.django_db

# (user attribute, organisation attribute) → may edit?
EDIT_ORGANISATION = [
    ("admin", "other_company", True),
    ("partnership_manager", "member_company", True),
    ("partnership_manager", "cluster", True),
    ("partnership_manager", "other_company", False),
    ("other_partnership_manager", "member_company", False),
    ("cluster_manager", "cluster", True),
    ("cluster_manager", "cluster_member", True),
    ("cluster_manager", "member_company", False),
    ("company_user", "member_company", True),
    ("company_user", "other_company", False),
    ("company_user", "cluster", False),
    ("other_company_user", "member_company", False),
    ("outsider", "member_company", False),
]


@pytest.mark.parametrize(("who", "what", "allowed"), EDIT_ORGANISATION)
def test_edit_organisation_rule(world, who, what, allowed):
    user, organisation = getattr(world, who), getattr(world, what)
    assert permissions.can_edit_organisation(user, organisation) is allowed


@pytest.mark.parametrize(("who", "what", "allowed"), EDIT_ORGANISATION)
def test_edit_organisation_page_enforces_rule(world, who, what, allowed):
    organisation = getattr(world, what)
    response = world.client(getattr(world, who)).post(
        f"/organisations/{organisation.slug}/edit/",
        {"name": "Renamed", "kind": organisation.kind, "country": "FR"},
    )
    organisation.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert organisation.name == "Renamed"
    else:
        assert response.status_code == 403
        assert organisation.name != "Renamed"


@pytest.mark.parametrize(("who", "what", "allowed"), EDIT_ORGANISATION)
def test_edit_organisation_api_enforces_rule(world, who, what, allowed):
    organisation = getattr(world, what)
    response = world.client(getattr(world, who)).patch(
        f"/api/organisations/{organisation.slug}",
        {"city": "Lyon"},
        content_type="application/json",
    )
    organisation.refresh_from_db()
    assert response.status_code == (200 if allowed else 403)
    assert (organisation.city == "Lyon") is allowed


def test_anonymous_is_sent_to_login_and_changes_nothing(world):
    response = world.client().post(
        f"/organisations/{world.member_company.slug}/edit/",
        {"name": "Hacked", "kind": "company", "country": "FR"},
    )
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    world.member_company.refresh_from_db()
    assert world.member_company.name == "Precision Parts"


def test_anonymous_api_write_is_unauthorised(world):
    response = world.client().patch(
        f"/api/organisations/{world.member_company.slug}",
        {"city": "Nowhere"},
        content_type="application/json",
    )
    assert response.status_code == 401
    world.member_company.refresh_from_db()
    assert world.member_company.city == ""


def test_anonymous_reads_public_pages_and_api(world):
    client = world.client()
    assert client.get(f"/organisations/{world.member_company.slug}/").status_code == 200
    assert client.get(f"/partnerships/{world.partnership.slug}/").status_code == 200
    assert client.get(f"/api/organisations/{world.member_company.slug}").json()["name"] == (
        "Precision Parts"
    )


def test_company_user_cannot_add_competence_to_other_organisation(world):
    term = TermFactory()
    response = world.client(world.company_user).post(
        f"/organisations/{world.other_company.slug}/competences/",
        {"term": term.pk, "level": "active"},
    )
    assert response.status_code == 403
    assert not Competence.objects.filter(organisation=world.other_company).exists()


def test_company_user_adds_competence_to_own_organisation(world):
    term = TermFactory()
    response = world.client(world.company_user).post(
        f"/organisations/{world.member_company.slug}/competences/",
        {"term": term.pk, "level": "leading"},
    )
    assert response.status_code == 302
    assert world.member_company.competences.get().level == "leading"


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("admin", True),
        ("partnership_manager", True),
        ("other_partnership_manager", False),
        ("company_user", False),
        ("outsider", False),
    ],
)
def test_edit_partnership_rule_on_page(world, who, allowed):
    response = world.client(getattr(world, who)).post(
        f"/partnerships/{world.partnership.slug}/edit/",
        {"name": "Renamed partnership", "kind": "alliance"},
    )
    world.partnership.refresh_from_db()
    assert response.status_code == (302 if allowed else 403)
    assert (world.partnership.name == "Renamed partnership") is allowed


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("admin", True),
        ("partnership_manager", True),
        ("cluster_manager", True),
        ("company_user", False),
        ("outsider", False),
    ],
)
def test_create_organisation_rule(world, who, allowed):
    response = world.client(getattr(world, who)).post(
        "/organisations/new/", {"name": "Brand New SME", "kind": "company", "country": "IT"}
    )
    created = Organisation.objects.filter(name="Brand New SME").exists()
    assert created is allowed
    assert response.status_code == (302 if allowed else 403)


@pytest.mark.parametrize(
    ("who", "allowed"), [("admin", True), ("partnership_manager", False), ("company_user", False)]
)
def test_only_platform_admin_deletes_organisations(world, who, allowed):
    response = world.client(getattr(world, who)).post(
        f"/organisations/{world.member_company.slug}/delete/"
    )
    exists = Organisation.objects.filter(pk=world.member_company.pk).exists()
    assert exists is not allowed
    assert response.status_code == (302 if allowed else 403)


def _contact_person(world):
    person = PersonFactory(first_name="Paula", last_name="Private", email="paula@precision.example")
    PositionFactory(person=person, organisation=world.member_company)
    return person


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        (None, False),
        ("outsider", False),
        ("other_company_user", False),
        ("other_partnership_manager", False),
        ("company_user", True),
        ("partnership_manager", True),
        ("cluster_manager", True),
        ("admin", True),
    ],
)
def test_contact_details_only_for_users_sharing_a_partnership(world, who, sees):
    _contact_person(world)
    user = getattr(world, who) if who else None
    page = world.client(user).get(f"/organisations/{world.member_company.slug}/")
    assert page.status_code == 200
    assert "Paula Private" in page.content.decode()
    assert ("paula@precision.example" in page.content.decode()) is sees
