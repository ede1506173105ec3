"""Exported lists headed in the request's language: the spreadsheets of projects and
partnerships, read by people; the organisations' import columns and JSON keys stay as
they are, so that a file can be imported again whatever the language it was exported in."""

import csv
import io
import json

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from clusterbroker.importers.exports import PARTNERSHIP_COLUMNS, PROJECT_COLUMNS
from clusterbroker.importers.organisations import COLUMNS, import_organisations
from clusterbroker.importers.tabular import read_table

from ..factories import OrganisationFactory, PartnershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def languages(settings):
    settings.LANGUAGES = [("en", "English"), ("fr", "French"), ("de", "German")]


def french(msgid: str) -> str:
    with translation.override("fr"):
        text = translation.gettext(msgid)
    return text[0].upper() + text[1:]


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_a_partnership_export_is_headed_in_the_requests_language(db):
    PartnershipFactory(name="Alpine Robotics", acronym="ALR", slug="alpine")
    rows = csv_rows(Client().get("/partnerships/?format=csv&lang=fr").content)
    assert rows[0][:4] == [french("identifier"), french("name"), french("acronym"), french("type")]
    assert french("name") != "Name" and french("Members") != "Members"  # the catalogue is there
    assert french("funding programme") in rows[0] and french("Members") in rows[0]
    assert rows[1][:3] == ["alpine", "Alpine Robotics", "ALR"]
    # In English, the same columns under their English names.
    english = csv_rows(Client().get("/partnerships/?format=csv&lang=en").content)
    assert english[0][:4] == ["Identifier", "Name", "Acronym", "Type"]
    assert len(english[0]) == len(rows[0]) == len(PARTNERSHIP_COLUMNS)


def test_a_project_workbook_is_headed_and_named_in_the_requests_language(db):
    ProjectFactory(acronym="ROBO", title="Robots for all")
    content = Client().get("/projects/?format=xlsx&lang=fr").content
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == [french("projects")] != ["Projects"]
    rows = list(workbook.active.iter_rows(values_only=True))
    assert list(rows[0][:4]) == [
        french("acronym"),
        french("title"),
        french("topic code"),
        french("funding scheme"),
    ]
    assert french("Participants") in rows[0] and len(rows[0]) == len(PROJECT_COLUMNS)
    assert rows[1][:2] == ("ROBO", "Robots for all")


def test_json_keeps_its_keys_in_every_language(db):
    ProjectFactory(acronym="ROBO")
    data = json.loads(Client().get("/projects/?format=json&lang=fr").content)
    assert list(data[0]) == PROJECT_COLUMNS


def test_a_french_organisation_export_imports_back(db):
    """The organisations' columns are the import's: a French export reads back."""
    OrganisationFactory(name="Roundtrip SA", country="BE", city="Gent")
    exported = Client().get("/organisations/?format=csv&lang=fr").content
    assert csv_rows(exported)[0] == COLUMNS
    report = import_organisations(read_table("export.csv", exported))
    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 1)
