import csv
import io
import json

import pytest
from openpyxl import load_workbook

from clusterbroker.importers.organisations import import_organisations
from clusterbroker.importers.tabular import neutralise, read_table, write_xlsx
from clusterbroker.registry.models import Organisation

from ..factories import CompetenceFactory, OrganisationFactory, TermFactory

pytestmark = pytest.mark.django_db


def test_organisation_list_exports_filtered_rows_as_csv(world):
    response = world.client().get("/organisations/?country=DE&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["name"] for r in rows] == ["Far Away GmbH"]


def test_organisation_export_as_xlsx_and_json(world):
    xlsx = world.client().get("/organisations/?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(Organisation.objects.values_list("name", flat=True))
    data = json.loads(world.client().get("/organisations/?format=json").content)
    assert {d["slug"] for d in data} == set(Organisation.objects.values_list("slug", flat=True))


def test_exported_csv_imports_back_unchanged(db):
    term = TermFactory(taxonomy__code="effra", code="D2")
    organisation = OrganisationFactory(name="Roundtrip SA", country="BE", city="Gent")
    CompetenceFactory(organisation=organisation, term=term, level="leading")
    from django.test import Client

    exported = Client().get("/organisations/?format=csv").content
    report = import_organisations(read_table("export.csv", exported))
    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 1)
    organisation.refresh_from_db()
    assert organisation.city == "Gent"
    assert organisation.competences.get().level == "leading"


def test_exports_neutralise_spreadsheet_formulas(db):
    OrganisationFactory(name='=HYPERLINK("http://evil")', country="FR")
    from django.test import Client

    content = Client().get("/organisations/?format=csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in content
    assert neutralise("-2+3") == "'-2+3"
    assert neutralise(42) == 42


def test_xlsx_export_leaves_out_control_characters_instead_of_failing():
    content = write_xlsx(["name"], [{"name": "Bell\x07 GmbH"}, {"name": "=HYPERLINK(1)"}])
    sheet = load_workbook(io.BytesIO(content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Bell GmbH",
        "'=HYPERLINK(1)",
    ]
