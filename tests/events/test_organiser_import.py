"""Importing participants from a file: checked and previewed first, then all or nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from clusterbroker.events.models import Participant
from clusterbroker.events.participant_import import check_participants, import_participants
from clusterbroker.importers.tabular import read_table
from clusterbroker.invitations.models import Invitation
from clusterbroker.registry.models import Organisation

from ..factories import OrganisationFactory, UserFactory
from .factories import EventFactory, SessionFactory, client_for

pytestmark = pytest.mark.django_db

GOOD = (
    "organisation,contact_name,email,country,sessions\n"
    "precision-parts,Paula Parts,paula@example.org,,Morning\n"
    "Nordic Robots,Nils Robot,nils@example.fi,Finland,1;Afternoon\n"
    "Nordic Robots,Nina Robot,nina@example.fi,FI,\n"
)


@pytest.fixture
def event(world):
    event = EventFactory(partnership=world.partnership)
    morning = SessionFactory(event=event)
    SessionFactory(event=event, name="Afternoon", start=morning.start.replace(hour=14))
    return event


@pytest.fixture
def organiser(event):
    user = UserFactory()
    event.organisers.add(user)
    return user


def table(text: str, name: str = "people.csv"):
    return read_table(name, text.encode())


def test_a_good_file_registers_everyone_and_adds_new_organisations(world, event, organiser):
    plan, report = import_participants(event, organiser, table(GOOD))
    assert plan.errors == []
    assert (report.created, report.updated, report.organisations_added) == (3, 0, 1)
    robots = Organisation.objects.get(name="Nordic Robots")
    assert robots.country == "FI"
    people = {p.email: p for p in Participant.objects.filter(event=event)}
    assert people["paula@example.org"].organisation == world.member_company
    assert [s.name for s in people["paula@example.org"].available_sessions.all()] == ["Morning"]
    assert people["nils@example.fi"].available_sessions.count() == 2
    assert people["nina@example.fi"].available_sessions.count() == 2  # empty: every session
    assert all(p.user is None for p in people.values())
    # The contacts of the organisation the file added are invited to keep its profile.
    assert set(Invitation.objects.filter(organisation=robots).values_list("email", flat=True)) == {
        "nils@example.fi",
        "nina@example.fi",
    }


def test_importing_the_same_file_again_updates_instead_of_duplicating(event, organiser):
    import_participants(event, organiser, table(GOOD))
    plan, report = import_participants(event, organiser, table(GOOD))
    assert (report.created, report.updated, report.organisations_added) == (0, 3, 0)
    assert Participant.objects.filter(event=event).count() == 3
    assert Organisation.objects.filter(name="Nordic Robots").count() == 1


def test_one_bad_row_imports_nothing_and_every_problem_names_file_row_and_field(event, organiser):
    OrganisationFactory(name="Twin", slug="twin-1")
    OrganisationFactory(name="Twin", slug="twin-2")
    text = GOOD + (
        "Brand New,Bo,bo@example.org,Atlantis,\n"
        "precision-parts,,not-an-address,,Evening\n"
        "Twin,Tia,tia@example.org,,\n"
        "precision-parts,Paula again,paula@example.org,,\n"
    )
    plan, report = import_participants(event, organiser, table(text))
    assert report is None
    assert not Participant.objects.exists()
    assert not Organisation.objects.filter(name__in=["Nordic Robots", "Brand New"]).exists()
    assert not Invitation.objects.exists()
    found = {(e.row, e.column) for e in plan.errors}
    assert found == {
        (5, "country"),
        (6, "contact_name"),
        (6, "email"),
        (6, "sessions"),
        (7, "organisation"),
        (8, "email"),
    }
    messages = plan.messages()
    assert any(m.startswith("people.csv, row 6") and "“sessions”" in m for m in messages)
    assert any("twin-1" in m for m in messages)
    assert any("same person and organisation as row 2" in m for m in messages)


def test_missing_and_unknown_columns_are_named(event):
    plan = check_participants(event, table("organisation,phone\nX,1\n"))
    assert {(e.row, e.column) for e in plan.errors} == {
        (1, "contact_name"),
        (1, "email"),
        (1, "phone"),
    }
    assert not plan.ok


def upload(text: bytes, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text)


def test_the_page_previews_then_imports_on_confirmation(event, organiser):
    client = client_for(organiser)
    url = f"/events/{event.slug}/organise/participants/import/"
    preview = client.post(url, {"file": upload(GOOD.encode())})
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "Nils Robot" in body and "Import 3 participants" in body
    assert not Participant.objects.exists()  # nothing written before the confirmation
    done = client.post(url, {"confirm": "1"})
    assert done.status_code == 302
    assert Participant.objects.filter(event=event).count() == 3


def test_the_page_lists_the_problems_and_offers_no_import(event, organiser):
    client = client_for(organiser)
    url = f"/events/{event.slug}/organise/participants/import/"
    bad = "organisation,contact_name,email\nprecision-parts,Paula,nope\n"
    response = client.post(url, {"file": upload(bad.encode(), "bad.csv")})
    assert response.status_code == 400
    body = response.content.decode()
    assert "bad.csv, row 2, column “email”" in body
    assert "Import 1 participant" not in body
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert not Participant.objects.exists()


def test_an_xlsx_file_is_read_too(event, organiser):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Organisation", "Contact name", "E-mail", "Country"])
    sheet.append(["precision-parts", "Xavier", "xavier@example.org", ""])
    out = io.BytesIO()
    workbook.save(out)
    client = client_for(organiser)
    url = f"/events/{event.slug}/organise/participants/import/"
    preview = client.post(url, {"file": upload(out.getvalue(), "people.xlsx")})
    assert preview.status_code == 200 and "Xavier" in preview.content.decode()
    client.post(url, {"confirm": "1"})
    assert Participant.objects.get(event=event).contact_name == "Xavier"


def test_a_file_that_is_not_a_table_is_refused_next_to_the_field(event, organiser):
    response = client_for(organiser).post(
        f"/events/{event.slug}/organise/participants/import/",
        {"file": upload(b"\x00\x01", "people.pdf")},
    )
    assert response.status_code == 400
    assert "unsupported file type" in response.context["form"].errors["file"][0]


def test_a_file_too_large_is_refused(event, organiser, monkeypatch):
    from clusterbroker.events import organiser_views

    monkeypatch.setattr(organiser_views, "MAX_IMPORT_BYTES", 50)
    response = client_for(organiser).post(
        f"/events/{event.slug}/organise/participants/import/", {"file": upload(GOOD.encode())}
    )
    assert response.status_code == 400
    assert "split the file" in response.context["form"].errors["file"][0]
    assert not Participant.objects.exists()
