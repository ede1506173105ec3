"""Validation gaps of the security review (finding 10): NUL characters in multipart forms and
CSV uploads, hidden and look-alike characters in names, slugs that collide with fixed URL
segments, and conflicts answered with the database's own text."""

import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.urls import reverse
from openpyxl import Workbook

from clusterbroker.registry.models import ApiToken, Organisation
from clusterbroker.registry.slugs import RESERVED_SLUGS, unique_slug
from clusterbroker.web.text_rules import hidden_character, mixed_script_word, validate_name

from ..factories import OrganisationFactory, UserFactory

RTL_OVERRIDE = "\u202e"
CYRILLIC_A = "\u0430"


def _bearer(user) -> dict:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _csv(text: str, name: str = "members.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


# NUL characters ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_nul_character_in_a_multipart_form_field_is_a_400_naming_the_field(world):
    client = world.client(world.admin)
    # The test client sends multipart/form-data by default.
    response = client.post(
        reverse("registry:organisation-create"),
        {"name": "Robot\x00ics", "kind": "company", "country": "FR"},
    )
    assert response.status_code == 400
    assert "“name” contains a NUL character" in response.content.decode()
    assert not Organisation.objects.filter(name__startswith="Robot").exists()


@pytest.mark.django_db
def test_a_nul_character_in_an_uploaded_csv_is_a_400_naming_the_file_and_field(world):
    client = world.client(world.admin)
    upload = _csv("name,country\nAc\x00me Robotics,FR\n")
    response = client.post(reverse("importers:organisations"), {"file": upload})
    assert response.status_code == 400
    text = response.content.decode()
    assert "“members.csv” of the field “file” contains a NUL character" in text
    assert not Organisation.objects.filter(name__startswith="Ac").exists()


@pytest.mark.django_db
def test_a_binary_xlsx_upload_is_not_taken_for_a_nul_character(world):
    book = Workbook()
    book.active.append(["name", "country"])
    book.active.append(["Acme Robotics", "FR"])
    content = io.BytesIO()
    book.save(content)
    assert b"\x00" in content.getvalue()  # a ZIP file: NUL bytes are normal there
    client = world.client(world.admin)
    upload = SimpleUploadedFile("members.xlsx", content.getvalue())
    response = client.post(reverse("importers:organisations"), {"file": upload})
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Acme Robotics").exists()


@pytest.mark.django_db
def test_a_clean_multipart_form_still_passes(world):
    client = world.client(world.admin)
    response = client.post(
        reverse("registry:organisation-create"),
        {"name": "Robotics Works", "kind": "company", "country": "FR"},
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Robotics Works").exists()


# Hidden and look-alike characters ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        f"Acme {RTL_OVERRIDE}HbmG",
        "Acme\u200bRobotics",  # zero-width space
        "Acme\u200dRobotics",  # zero-width joiner
        "Acme\u2066Robotics\u2069",  # isolates
        "Acme\ufeffRobotics",  # zero-width no-break space
        "Acme\x07Robotics",  # C0 control
        "Acme\x85Robotics",  # C1 control
        "Acme\nRobotics",
    ],
)
def test_hidden_characters_are_found(text):
    assert hidden_character(text) is not None
    with pytest.raises(Exception, match="invisible or control character U\\+"):
        validate_name(text)


@pytest.mark.parametrize(
    "text",
    ["Müller GmbH", "Société Générale", "ООО Ромашка", "Ελληνική Εταιρεία", "α-Tech 4.0", "R&D"],
)
def test_ordinary_names_in_any_one_alphabet_pass(text):
    assert hidden_character(text) is None
    assert mixed_script_word(text) is None
    validate_name(text)


def test_a_word_mixing_latin_and_cyrillic_is_found():
    word = f"{CYRILLIC_A}cme"
    assert mixed_script_word(f"{word} Robotics") == (word, ["CYRILLIC", "LATIN"])
    assert mixed_script_word("Robotiκs") == ("Robotiκs", ["LATIN", "GREEK"])


@pytest.mark.django_db
def test_the_organisation_form_refuses_a_right_to_left_override_in_the_name(world):
    client = world.client(world.admin)
    response = client.post(
        reverse("registry:organisation-create"),
        {"name": f"Acme {RTL_OVERRIDE}HbmG", "kind": "company", "country": "FR"},
    )
    assert response.status_code == 200  # the form again, with the error under the name
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in response.content.decode()
    assert Organisation.objects.filter(name__startswith="Acme").count() == 0


@pytest.mark.django_db
def test_the_api_refuses_a_look_alike_name_and_acronym(world, client):
    headers = _bearer(world.admin)
    for field, value in [("name", f"Precision P{CYRILLIC_A}rts"), ("acronym", f"P{CYRILLIC_A}")]:
        payload = {"name": "Precision Tools", "kind": "company", "country": "FR", field: value}
        response = client.post(
            "/api/organisations/", payload, content_type="application/json", **headers
        )
        assert response.status_code == 422, response.content
        detail = response.json()["detail"]
        assert detail.startswith(f"{field}:")
        assert "mixes letters of different alphabets (Latin, Cyrillic)" in detail
    assert (
        not Organisation.objects.filter(name__startswith="Precision P")
        .exclude(pk=world.member_company.pk)
        .exists()
    )


@pytest.mark.django_db
def test_the_import_reports_a_hidden_character_with_its_row_and_column(world):
    client = world.client(world.admin)
    upload = _csv(f"name,country\nGood Name,FR\nEvil{RTL_OVERRIDE}Name,FR\n")
    response = client.post(reverse("importers:organisations"), {"file": upload})
    assert response.status_code == 400
    errors = response.context["report"].errors
    assert [(e.row, e.column) for e in errors] == [(3, "name")]
    assert "U+202E" in errors[0].reason
    assert not Organisation.objects.filter(name__in=["Good Name", f"Evil{RTL_OVERRIDE}Name"])


# Slugs that collide with fixed URL segments ----------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["New", "new", "NEW!", "Import", "Edit"])
def test_reserved_words_never_become_a_slug(name):
    slug = unique_slug(Organisation, name)
    assert slug not in RESERVED_SLUGS
    assert slug.startswith(name.strip("!").lower())


@pytest.mark.django_db
def test_an_organisation_named_new_has_a_reachable_page(world):
    client = world.client(world.admin)
    response = client.post(
        reverse("registry:organisation-create"),
        {"name": "New", "kind": "company", "country": "FR"},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="New")
    assert organisation.slug != "new"
    page = client.get(organisation.get_absolute_url())
    assert page.status_code == 200
    assert page.context["organisation"] == organisation


# Conflicts found by the database ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.django_db(transaction=True)
def test_a_conflict_found_by_the_database_is_a_409_without_database_text(client, monkeypatch):
    """Another request saves an organisation with the same identifier between this request's
    validation and its write (a race): the database refuses, and the answer names the field
    in plain words instead of quoting the database."""
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    raced: list[str] = []
    validate_unique = Organisation.validate_unique

    def another_request_saves_right_after_validation(self, *args, **kwargs):
        validate_unique(self, *args, **kwargs)
        if self.pk is None and self.slug == "acme-robotics" and not raced:
            raced.append("started")  # once: the competing save below validates too

            # A second database connection, as another request would have: its row is
            # committed and stays when this request's transaction is rolled back.
            def save() -> None:
                try:
                    OrganisationFactory(name="Acme Robotics", slug="acme-robotics")
                    raced.append("saved")
                finally:
                    connections.close_all()

            worker = threading.Thread(target=save)
            worker.start()
            worker.join()

    monkeypatch.setattr(
        Organisation, "validate_unique", another_request_saves_right_after_validation
    )
    response = client.post(
        "/api/organisations/",
        {"name": "Acme Robotics", "kind": "company", "country": "FR"},
        content_type="application/json",
        **_bearer(admin),
    )
    monkeypatch.undo()
    assert raced == ["started", "saved"], "the competing save did not happen"
    assert response.status_code == 409, response.content
    detail = response.json()["detail"]
    assert detail == "slug: Organisation with this Identifier already exists."
    for database_words in ("UNIQUE", "constraint", "registry_organisation", "duplicate key"):
        assert database_words not in detail
    assert Organisation.objects.filter(slug="acme-robotics").count() == 1


# ---------------------------------------------------------------- look-alike names


@pytest.mark.parametrize(
    "lookalike",
    ["ＡＦＩＬ", "AFIL\u00a0", "A\u0301FIL", "afil", "ΑFΙL", "AF1L"],
    ids=["full-width", "no-break space", "combining accent", "lower case", "greek", "digit"],
)
def test_a_name_that_looks_like_another_organisation_of_its_country_is_refused(
    world, client, lookalike
):
    original = OrganisationFactory(name="AFIL", country="IT", kind="cluster")
    _token, raw = ApiToken.issue(world.admin, "t")
    response = client.post(
        "/api/organisations/",
        {"name": lookalike, "kind": "cluster", "country": "IT"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 422, response.content
    assert "looks the same" in response.json()["detail"]
    assert original.slug in response.json()["detail"]
    assert Organisation.objects.filter(country="IT").count() == 1


def test_the_same_name_in_another_country_and_a_distinct_name_are_accepted(world, client):
    OrganisationFactory(name="AFIL", country="IT")
    _token, raw = ApiToken.issue(world.admin, "t")
    for name, country in (("AFIL", "FR"), ("AFIT", "IT"), ("ΑΡΙ", "GR")):
        response = client.post(
            "/api/organisations/",
            {"name": name, "kind": "cluster", "country": country},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )
        assert response.status_code == 201, (name, response.content)


def test_names_are_stored_in_one_form(world, client):
    _token, raw = ApiToken.issue(world.admin, "t")
    response = client.post(
        "/api/organisations/",
        {"name": "  Ｍｅｃｈａ\u00a0\u00a0Works ", "kind": "company", "country": "DE"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.json()["name"] == "Mecha Works"


def test_an_organisation_keeps_its_own_name_when_edited(world):
    world.member_company.city = "Elsewhere"
    world.member_company.full_clean()
