import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clusterbroker.brokering import services
from clusterbroker.brokering.models import Need, Profile
from clusterbroker.registry.models import Organisation, Position
from tests.factories import RegionFactory

from .factories import save_profile, taxonomy_terms

pytestmark = pytest.mark.django_db


def _post_steps(
    client, who: dict, offers: list[dict], needs: list[dict], preferences: dict, htmx=False
):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    url = lambda step: reverse("brokering:questionnaire-step", args=[step])  # noqa: E731
    responses = [client.post(url("who"), who, **headers)]

    def formset(prefix, items, extra=2):
        data = {
            f"{prefix}-TOTAL_FORMS": str(max(len(items), extra)),
            f"{prefix}-INITIAL_FORMS": "0",
        }
        for i, item in enumerate(items):
            for key, value in item.items():
                data[f"{prefix}-{i}-{key}"] = value
        for i in range(len(items), extra):
            data[f"{prefix}-{i}-kind"] = "technology"
        return data

    responses.append(client.post(url("offers"), formset("offers", offers), **headers))
    responses.append(client.post(url("needs"), formset("needs", needs), **headers))
    responses.append(client.post(url("preferences"), preferences, **headers))
    return responses


def test_questionnaire_creates_a_new_organisation_and_profile(world):
    terms = taxonomy_terms()
    RegionFactory(code="ITC4", name="Lombardia", country="IT")
    client = world.client(world.outsider)
    client.get(reverse("brokering:questionnaire"))
    responses = _post_steps(
        client,
        {
            "new_name": "Nova Robotics",
            "new_kind": "company",
            "new_country": "IT",
            "summary": "Robots.",
        },
        [{"title": "Robot cells", "description": "Turnkey cells", "terms": ["effra:D1"]}],
        [
            {
                "kind": "technology",
                "description": "Vision for quality control",
                "terms": ["dia-ict:AI"],
            }
        ],
        {
            "sector": "Automotive",
            "countries_of_interest": "DE, FR",
            "regions_of_interest": "itc4",
            "cross_border": "on",
        },
    )
    assert [r.status_code for r in responses] == [302, 302, 302, 302]
    organisation = Organisation.objects.get(name="Nova Robotics")
    profile = organisation.brokering_profile
    assert responses[-1].url == profile.get_absolute_url()
    assert profile.public_id.startswith("CB-") and len(profile.public_id) == 11
    assert profile.sector == "Automotive"
    assert profile.countries_of_interest == ["DE", "FR"]
    assert [r.code for r in profile.regions_of_interest.all()] == ["ITC4"]
    assert [o.title for o in profile.offers.all()] == ["Robot cells"]
    need = profile.needs.get()
    assert list(need.terms.all()) == [terms["AI"]]
    assert need.vector() is not None and need.vector().shape == (384,)
    assert Position.objects.filter(person__user=world.outsider, organisation=organisation).exists()
    page = client.get(profile.get_absolute_url())
    assert b"Vision for quality control" in page.content


def test_questionnaire_updates_the_profile_keeping_its_identifier(world):
    taxonomy_terms()
    profile = save_profile(
        world.company_user,
        world.member_company,
        sector="Old",
        needs=[services.NeedData(kind="service", description="Testing lab")],
    )
    client = world.client(world.company_user)
    start = client.get(
        reverse("brokering:questionnaire") + f"?organisation={world.member_company.slug}"
    )
    assert start.status_code == 200
    need_id = profile.needs.get().pk
    _post_steps(
        client,
        {"organisation": world.member_company.pk, "new_kind": "company"},
        [],
        [{"id": need_id, "kind": "service", "description": "Testing lab, accredited"}],
        {"sector": "New sector", "cross_border": "on"},
    )
    profile.refresh_from_db()
    assert Profile.objects.filter(organisation=world.member_company).count() == 1
    assert profile.sector == "New sector"
    assert profile.needs.get().pk == need_id
    assert profile.needs.get().description == "Testing lab, accredited"


def test_htmx_steps_return_the_next_step_only(world):
    client = world.client(world.outsider)
    response = client.post(
        reverse("brokering:questionnaire-step", args=["who"]),
        {"new_name": "X", "new_kind": "company", "new_country": "FR"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"What you offer" in response.content
    assert response["HX-Push-Url"].startswith(
        reverse("brokering:questionnaire-step", args=["offers"])
    )


def test_step_errors_are_shown_next_to_the_field(world):
    client = world.client(world.outsider)
    response = client.post(
        reverse("brokering:questionnaire-step", args=["who"]), {"new_kind": "company"}
    )
    assert response.status_code == 200
    assert "Give the organisation" in response.content.decode()
    assert "A country is required." in response.content.decode()


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("brokering:questionnaire"))
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {
                "needs": [
                    services.NeedData(kind="technology", description="x", terms=["effra:NOPE"])
                ]
            },
            "needs[1].terms",
            "effra:NOPE",
        ),
        (
            {"needs": [services.NeedData(kind="technology", description="   ")]},
            "needs[1].description",
            "empty",
        ),
        ({"countries_of_interest": ["ZZ"]}, "countries_of_interest", "Unknown country"),
        ({"regions_of_interest": ["QQ9"]}, "regions_of_interest", "QQ9"),
        ({"organisation": None, "new_name": "New Co", "new_country": "XX"}, "new_country", "XX"),
        ({"needs": [services.NeedData(kind="wish", description="x")]}, "needs[1].kind", "wish"),
    ],
)
def test_bad_input_gets_a_clear_error(world, change, field, message):
    taxonomy_terms()
    data = services.Questionnaire(organisation=world.member_company)
    for key, value in change.items():
        setattr(data, key, value)
    with pytest.raises(ValidationError) as error:
        services.save_questionnaire(world.company_user, data)
    assert field in error.value.message_dict
    assert message in " ".join(error.value.message_dict[field])
    assert not Need.objects.exists()


def test_a_user_cannot_fill_the_questionnaire_for_someone_elses_organisation(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        save_profile(world.other_company_user, world.member_company)
    with pytest.raises(PermissionDenied):
        save_profile(world.partnership_manager, world.member_company)
    assert save_profile(world.cluster_manager, world.cluster_member).pk


def test_api_questionnaire_and_errors(world):
    taxonomy_terms()
    client = world.client(world.company_user)
    payload = {
        "organisation": world.member_company.slug,
        "sector": "Machining",
        "needs": [{"kind": "technology", "description": "Cloud MES", "terms": ["dia-ict:CLOUD"]}],
    }
    response = client.post("/api/brokering/profiles", payload, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["public_id"].startswith("CB-")
    assert body["needs"][0]["terms"] == ["dia-ict:CLOUD"]
    payload["needs"][0]["terms"] = ["dia-ict:NOPE"]
    bad = client.post("/api/brokering/profiles", payload, content_type="application/json")
    assert bad.status_code == 422
    assert "dia-ict:NOPE" in bad.json()["detail"]
    other = world.client(world.other_company_user)
    payload["needs"][0]["terms"] = []
    denied = other.post("/api/brokering/profiles", payload, content_type="application/json")
    assert denied.status_code == 403


def test_a_new_organisation_name_with_hidden_characters_is_refused(world):
    from django.core.exceptions import ValidationError

    from clusterbroker.brokering import services
    from clusterbroker.registry.models import Organisation

    data = services.Questionnaire(
        new_name="Evil\u202eCorp", new_kind="company", new_country="FR", summary="x"
    )
    with pytest.raises(ValidationError) as error:
        services.save_questionnaire(world.outsider, data)
    assert "new_name" in error.value.message_dict
    assert not Organisation.objects.filter(name__startswith="Evil").exists()


def test_checkboxes_sit_before_their_labels_on_one_line(world):
    import re

    client = world.client(world.outsider)
    client.post(
        reverse("brokering:questionnaire-step", args=["who"]),
        {"new_name": "X", "new_kind": "company", "new_country": "FR"},
    )
    page = client.get(reverse("brokering:questionnaire-step", args=["needs"])).content.decode()
    # "Local help preferred" and "confidential": the box, then its label, in one line.
    boxes = re.findall(
        r'<p class="check"><input type="checkbox" name="needs-0-(\w+)"[^>]*>'
        r'<label for="id_needs-0-\1"',
        page,
    )
    assert {"local", "confidential"} <= set(boxes)
    assert '<p><label for="id_needs-0-local"' not in page
