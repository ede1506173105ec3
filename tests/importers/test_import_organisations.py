import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from clusterbroker.importers.organisations import import_organisations
from clusterbroker.importers.tabular import TableError, read_table
from clusterbroker.registry.models import Competence, Organisation

from ..factories import OrganisationFactory, TaxonomyFactory, TermFactory

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "name,type,size_class,country,nuts_code,region_name,city,competences\n"
    "Alpha Robotics,company,small,FR,FRK,Auvergne-Rhône-Alpes,Lyon,effra:D1=leading; effra:D3\n"
    "Beta Lab,research / technology organisation,,Germany,,,Stuttgart,\n"
)


@pytest.fixture
def effra(db):
    taxonomy = TaxonomyFactory(code="effra", name="EFFRA")
    return {code: TermFactory(taxonomy=taxonomy, code=code) for code in ("D1", "D3")}


def table(text: str, name: str = "members.csv"):
    return read_table(name, text.encode("utf-8"))


def test_valid_csv_creates_organisations_with_region_and_competences(effra):
    report = import_organisations(table(GOOD_CSV))
    assert report.ok, report.errors
    assert (report.created, report.updated) == (2, 0)
    alpha = Organisation.objects.get(name="Alpha Robotics")
    assert (alpha.kind, alpha.size_class, alpha.country, alpha.region.code) == (
        "company",
        "small",
        "FR",
        "FRK",
    )
    assert {c.term.code: c.level for c in alpha.competences.all()} == {
        "D1": "leading",
        "D3": "listed",
    }
    beta = Organisation.objects.get(name="Beta Lab")
    assert (beta.kind, beta.country) == ("rto", "DE")


def test_one_bad_row_is_reported_and_nothing_changes(effra):
    existing = OrganisationFactory(name="Alpha Robotics", country="FR", city="Grenoble")
    csv = (
        "name,type,country,city,year_founded\n"
        "Alpha Robotics,company,FR,Lyon,2001\n"
        "Gamma Tools,company,Atlantis,Paris,1990\n"
        "Delta Works,company,IT,Milano,nineteen\n"
    )
    report = import_organisations(table(csv))
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(3, "country"), (4, "year_founded")]
    assert "Atlantis" in report.errors[0].reason
    assert "nineteen" in report.errors[1].reason
    existing.refresh_from_db()
    assert existing.city == "Grenoble"
    assert not Organisation.objects.filter(name__in=["Gamma Tools", "Delta Works"]).exists()


def test_existing_organisation_with_same_name_and_country_is_updated(effra):
    existing = OrganisationFactory(name="Alpha Robotics", country="FR", city="Grenoble")
    report = import_organisations(table("name,country,city\nalpha robotics,FR,Lyon\n"))
    assert (report.created, report.updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.city == "Lyon"
    assert Organisation.objects.count() == 1


def test_unknown_term_type_and_missing_name_name_their_columns(effra):
    csv = "name,type,country,competences\nA,spaceship,FR,\n,company,FR,\nC,company,FR,effra:D9\n"
    report = import_organisations(table(csv))
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "type"),
        (3, "name"),
        (4, "competences"),
    ]
    assert Organisation.objects.count() == 0


def test_duplicate_rows_in_one_file_are_refused(effra):
    report = import_organisations(table("name,country\nSame SME,FR\nsame sme,fr\n"))
    assert [(e.row, e.column) for e in report.errors] == [(3, "name")]
    assert Organisation.objects.count() == 0


def test_missing_required_column_is_reported():
    report = import_organisations(table("name,city\nA,Lyon\n"))
    assert [(e.row, e.column) for e in report.errors] == [(1, "country")]


def test_xlsx_is_read_like_csv(effra):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "type", "country", "member_count"])
    sheet.append(["Excel Cluster", "cluster", "ES", 120])
    content = io.BytesIO()
    workbook.save(content)
    report = import_organisations(read_table("clusters.xlsx", content.getvalue()))
    assert report.ok, report.errors
    assert Organisation.objects.get(name="Excel Cluster").member_count == 120


def test_file_that_is_not_xlsx_is_refused():
    with pytest.raises(TableError, match="not a readable XLSX"):
        read_table("fake.xlsx", b"name,country\nA,FR\n")


def test_csv_in_wrong_encoding_is_refused():
    with pytest.raises(TableError, match="not UTF-8"):
        read_table("latin.csv", "name,country\nSociété,FR\n".encode("latin-1"))


def test_cli_import_reports_bad_rows_and_fails(tmp_path, effra):
    path = tmp_path / "bad.csv"
    path.write_text("name,country\nGood,FR\nBad,Narnia\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_data", "organisations", str(path))
    assert Organisation.objects.count() == 0


def test_cli_import_creates_organisations(tmp_path, effra):
    path = tmp_path / "good.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    out = io.StringIO()
    call_command("import_data", "organisations", str(path), stdout=out)
    assert "2 created" in out.getvalue()
    assert Competence.objects.count() == 2


def test_upload_page_lists_bad_rows_and_imports_nothing(world, effra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("members.csv", b"name,country\nGood SME,FR\nBad SME,XX\n")
    response = world.client(world.partnership_manager).post(
        "/import/organisations/", {"file": upload}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "members.csv" in body and "XX" in body
    assert not Organisation.objects.filter(name="Good SME").exists()


def test_upload_page_imports_valid_file(world, effra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("members.csv", GOOD_CSV.encode())
    response = world.client(world.partnership_manager).post(
        "/import/organisations/", {"file": upload}
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Alpha Robotics").exists()


def test_upload_page_is_refused_to_company_users(world):
    assert world.client(world.company_user).get("/import/organisations/").status_code == 403


def test_cells_starting_like_a_formula_are_refused_and_nothing_is_imported(tmp_path, effra):
    path = tmp_path / "hostile.csv"
    path.write_text(
        "name,country,description\n"
        "Good Cluster,FR,+33 4 72 00 00 00\n"
        'Evil,DE,"=HYPERLINK(""http://x.example"",""click"")"\n'
        "Evil Two,DE,@SUM(1+1)\n"
        "Negative,BE,-12.5\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as refused:
        call_command("import_data", "organisations", str(path))
    message = str(refused.value)
    assert "hostile.csv" in message and "2 cell(s)" in message
    assert "row 3, column “description”" in message and "row 4" in message
    assert "row 2" not in message and "row 5" not in message  # phone and number are fine
    assert Organisation.objects.count() == 0


def test_a_file_with_too_many_rows_is_refused(monkeypatch):
    from clusterbroker.importers import tabular

    monkeypatch.setattr(tabular, "MAX_ROWS", 3)
    content = "name,country\n" + "".join(f"Org {i},FR\n" for i in range(4))
    with pytest.raises(TableError, match="more than 3 rows"):
        read_table("big.csv", content.encode())


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, settings, effra):
    settings.IMPORT_MAX_BYTES = 100
    path = tmp_path / "huge.csv"
    path.write_text("name,country\n" + "A Cluster,FR\n" * 20, encoding="utf-8")
    with pytest.raises(CommandError, match="huge.csv"):
        call_command("import_data", "organisations", str(path))
    assert Organisation.objects.count() == 0


# ---------------------------------------------------------------- finding 2 of the review


def test_a_row_matching_an_organisation_the_importer_may_not_change_is_refused(world, effra):
    victim = OrganisationFactory(name="Victim SME", country="FR", city="Lyon", kind="company")
    csv = (
        "name,country,city\n"
        "Victim SME,FR,Nowhere\n"  # by name and country
        "Fresh SME,FR,Paris\n"
    )
    report = import_organisations(table(csv), user=world.cluster_manager)
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(2, "name")]
    assert "Victim SME" in report.errors[0].reason
    victim.refresh_from_db()
    assert victim.city == "Lyon"
    assert not Organisation.objects.filter(name="Fresh SME").exists()
    by_slug = import_organisations(
        table(f"slug,name,country,city\n{victim.slug},Renamed,FR,Nowhere\n"),
        user=world.cluster_manager,
    )
    assert [(e.row, e.column) for e in by_slug.errors] == [(2, "slug")]
    victim.refresh_from_db()
    assert victim.name == "Victim SME"


def test_the_importer_updates_organisations_it_may_change(world, effra):
    csv = f"name,country,city\n{world.cluster_member.name},{world.cluster_member.country},Turin\n"
    report = import_organisations(table(csv), user=world.cluster_manager)
    assert report.ok, report.errors
    world.cluster_member.refresh_from_db()
    assert world.cluster_member.city == "Turin"


def test_columns_left_out_of_the_file_leave_fields_as_they_are(effra):
    existing = OrganisationFactory(
        name="Kept Fields",
        country="IT",
        kind="rto",
        size_class="small",
        city="Bari",
        website="https://kept.example",
        member_count=42,
    )
    report = import_organisations(table("name,country,description\nKept Fields,IT,New text\n"))
    assert report.ok, report.errors
    existing.refresh_from_db()
    assert (existing.kind, existing.size_class, existing.city) == ("rto", "small", "Bari")
    assert (existing.website, existing.member_count) == ("https://kept.example", 42)
    assert existing.description == "New text"


def test_every_problem_of_a_file_is_reported_in_one_round(effra):
    long_name = "N" * 400
    csv = (
        "name,country,member_count,type\n"
        f"{long_name},Atlantis,1e400,spaceship\n"
        "Fine SME,FR,12,company\n"
    )
    report = import_organisations(table(csv))
    assert {e.column for e in report.errors} == {"name", "country", "member_count", "type"}
    assert all(e.row == 2 for e in report.errors)
    assert not Organisation.objects.filter(name="Fine SME").exists()


@pytest.mark.parametrize("value", ["1e400", "Infinity", "NaN", "12.5", "-3", "99999999999"])
def test_odd_counts_are_refused_with_the_row_and_column(effra, value):
    report = import_organisations(table(f"name,country,member_count\nOdd,FR,{value}\n"))
    assert [(e.row, e.column) for e in report.errors] == [(2, "member_count")]
    assert value in report.errors[0].reason


def test_the_import_page_refuses_rows_of_others_organisations(world, effra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    victim = OrganisationFactory(name="Page Victim", country="DE", city="Ulm")
    client = world.client(world.cluster_manager)
    upload = SimpleUploadedFile("members.csv", b"name,country,city\nPage Victim,DE,Elsewhere\n")
    response = client.post("/import/organisations/", {"file": upload})
    assert response.status_code == 400
    assert "Page Victim" in response.content.decode()
    victim.refresh_from_db()
    assert victim.city == "Ulm"


def test_a_csv_with_a_nul_character_is_refused_with_its_line(effra):
    with pytest.raises(TableError) as error:
        read_table("members.csv", b"name,country\nGood,FR\nBad\x00Name,FR\n")
    assert "members.csv: line 3" in str(error.value)


def test_an_unknown_identifier_does_not_make_a_twin_of_a_known_organisation(world, effra):
    victim = OrganisationFactory(name="Twin Target", country="FR", city="Lyon")
    report = import_organisations(
        table("slug,name,country,city\nbrand-new-slug,Twin Target,FR,Paris\n"),
        user=world.cluster_manager,
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, "slug")]
    assert Organisation.objects.filter(name="Twin Target").count() == 1
    victim.refresh_from_db()
    assert victim.city == "Lyon"
