"""Import of CORDIS participations: all or nothing, idempotent, errors with line numbers."""

import gzip
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from clusterbroker.brokering.cordis import CordisFileError
from clusterbroker.brokering.importers.cordis import import_cordis
from clusterbroker.brokering.models import CordisOrganisation, CordisProject
from clusterbroker.brokering.network import worked_with
from clusterbroker.registry.models import Organisation, Participation, Project

pytestmark = pytest.mark.django_db
HEADER = (
    "rcn,role,pic,type,contribution,country,start_date,end_date,max_contribution,"
    "total_cost,start_year,end_year,duration,group,nunique\n"
)


def _row(rcn, role, pic, kind="PRC", country="BE", start="2018-05-01", end="2021-04-30"):
    return f"{rcn},{role},{pic},{kind},1000,{country},{start},{end},1,1,2018,2021,36,eu15,3\n"


ROWS = [
    _row(1, "coordinator", 111, "REC", "FR"),
    _row(1, "participant", 222, "PRC", "EL"),
    _row(1, "partner", 333, "HES", "UK"),
    _row(2, "coordinator", 222, "PRC", "EL", "2016-01-01", "NA"),
    _row(2, "participant", 111, "REC", "FR", "2016-01-01", "NA"),
]


def _files(tmp_path, rows=ROWS, parts="rcn,programme_part\n1,LEIT\n2,SC5\n"):
    participations = tmp_path / "participations.csv.gz"
    with gzip.open(participations, "wt", encoding="utf-8") as handle:
        handle.write(HEADER + "".join(rows))
    programme_parts = tmp_path / "programme_parts.csv"
    programme_parts.write_text(parts, encoding="utf-8")
    return participations, programme_parts


def test_import_creates_projects_organisations_and_participations(tmp_path):
    report = import_cordis(*_files(tmp_path))
    assert (
        report.organisations_created,
        report.projects_created,
        report.participations_created,
    ) == (3, 2, 5)
    greek = CordisOrganisation.objects.get(pic=222).organisation
    assert greek.country == "GR" and greek.kind == "company" and greek.name == "PIC 222"
    assert CordisOrganisation.objects.get(pic=333).organisation.country == "GB"
    project = CordisProject.objects.get(rcn=1)
    assert project.programme_part == "LEIT"
    assert project.project.participations.get(organisation__cordis__pic=111).role == "coordinator"
    assert CordisProject.objects.get(rcn=2).project.end is None


def test_a_second_run_changes_nothing(tmp_path):
    files = _files(tmp_path)
    import_cordis(*files)
    before = (Organisation.objects.count(), Project.objects.count(), Participation.objects.count())
    report = import_cordis(*files)
    assert report.changed == 0
    assert (
        Organisation.objects.count(),
        Project.objects.count(),
        Participation.objects.count(),
    ) == before


def test_changes_in_the_files_update_the_records(tmp_path):
    import_cordis(*_files(tmp_path))
    rows = [
        *ROWS[:3],
        _row(2, "participant", 222, "PRC", "EL", "2016-01-01", "NA"),
        _row(2, "coordinator", 111, "REC", "FR", "2016-01-01", "NA"),
    ]
    report = import_cordis(*_files(tmp_path, rows, "rcn,programme_part\n1,LEIT\n2,SC6\n"))
    assert report.participations_updated == 2 and report.projects_updated == 1
    assert CordisProject.objects.get(rcn=2).programme_part == "SC6"


def test_malformed_rows_are_reported_with_line_numbers_and_nothing_is_imported(tmp_path):
    rows = [
        *ROWS,
        _row(3, "boss", 444),
        _row(4, "participant", "notapic"),
        _row(5, "participant", 5, country="QQ"),
    ]
    with pytest.raises(CordisFileError) as error:
        import_cordis(*_files(tmp_path, rows))
    problems = error.value.problems
    assert any("line 7" in p and "role 'boss'" in p for p in problems)
    assert any("line 8" in p and "notapic" in p for p in problems)
    assert any("line 9" in p and "QQ" in p for p in problems)
    assert not Project.objects.exists() and not Organisation.objects.exists()


def test_command_and_cli_alias(tmp_path, capsys):
    participations, parts = _files(tmp_path)
    out = StringIO()
    call_command("import_cordis", str(participations), str(parts), stdout=out)
    assert "3 organisations, 2 projects and 5 participations created" in out.getvalue()
    from clusterbroker import cli

    cli.main(["clusterbroker", "import", "cordis-participations", str(participations), str(parts)])
    assert "0 organisations, 0 projects and 0 participations created" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("rcn,role\n1,x\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_cordis", str(bad), str(parts), stderr=StringIO())


def test_worked_with_on_organisation_pages(tmp_path, client):
    import_cordis(*_files(tmp_path))
    french = CordisOrganisation.objects.get(pic=111).organisation
    partners = worked_with(french)
    assert [(p.organisation.name, p.projects) for p in partners] == [("PIC 222", 2), ("PIC 333", 1)]
    assert partners[0].parts == ["LEIT", "SC5"]
    page = client.get(french.get_absolute_url()).content.decode()
    assert "Worked with" in page and "PIC 222" in page and "LEIT, SC5" in page
