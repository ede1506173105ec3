"""The CORDIS subject codes imported as a taxonomy, the English title as label and the
other languages' official titles in `labels`."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from clusterbroker.importers.cordis_subjects import (
    TAXONOMY_CODE,
    CordisSubjectsError,
    import_cordis_subjects,
    read_subjects,
)
from clusterbroker.registry.models import Taxonomy, Term
from tests.factories import CompetenceFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

REAL_FILE = Path(__file__).resolve().parents[3] / "shared/data/cordis-subjects/subjects.csv"

# The real rows of two codes, as the reference file writes them (BOM, CRLF, a trailing space
# in a title, a description quoted because it holds semicolons).
SMALL = (
    "\ufeffcode;title;description;language\r\n"
    "ROB;Robotik ;;de\r\n"
    "ROB;Robotica ;;it\r\n"
    "ROB;Robotyka ;;pl\r\n"
    "ROB;Robotique ;;fr\r\n"
    "ROB;Robotics;;en\r\n"
    "ROB;Robótica;;es\r\n"
    "MAT;Werkstofftechnologie;;de\r\n"
    'MAT;Materials Technology;"Plastics, rubber, polymers and composites; ceramics";en\r\n'
    "MAT;Technologie des matériaux;;fr\r\n"
)


def _file(tmp_path: Path, text: str = SMALL) -> Path:
    path = tmp_path / "subjects.csv"
    path.write_bytes(text.encode("utf-8"))
    return path


def test_the_english_title_is_the_label_and_the_others_go_to_labels(tmp_path):
    report = import_cordis_subjects(_file(tmp_path))
    assert (report.subjects, report.created, report.updated) == (2, 2, 0)
    assert report.languages == ("en", "de", "es", "fr", "it", "pl")
    rob = Term.objects.get(taxonomy__code=TAXONOMY_CODE, code="ROB")
    assert rob.label == "Robotics"
    assert rob.labels == {
        "de": "Robotik",
        "it": "Robotica",
        "pl": "Robotyka",
        "fr": "Robotique",
        "es": "Robótica",
    }
    assert rob.label_in("de") == "Robotik" and rob.label_in("ca") == "Robotics"
    mat = Term.objects.get(taxonomy__code=TAXONOMY_CODE, code="MAT")
    assert mat.description == "Plastics, rubber, polymers and composites; ceramics"
    assert mat.label_in("fr") == "Technologie des matériaux"
    taxonomy = Taxonomy.objects.get(code=TAXONOMY_CODE)
    assert taxonomy.name_in("de") != taxonomy.name


def test_a_second_import_changes_nothing_and_a_corrected_file_updates(tmp_path):
    path = _file(tmp_path)
    import_cordis_subjects(path)
    again = import_cordis_subjects(path)
    assert (again.created, again.updated, again.unchanged, again.changed) == (0, 0, 2, False)
    path.write_bytes(SMALL.replace("Robotik ;", "Robotertechnik;").encode())
    fixed = import_cordis_subjects(path)
    assert (fixed.updated, fixed.unchanged) == (1, 1)
    assert Term.objects.get(code="ROB").label_in("de") == "Robotertechnik"
    assert Term.objects.filter(taxonomy__code=TAXONOMY_CODE).count() == 2


def test_a_bad_file_names_its_problems_and_imports_nothing(tmp_path):
    bad = SMALL + "IND;Industrielle Fertigung;;de\r\nrob robot;X;;fr\r\nMAT;Autre;;fr\r\n"
    with pytest.raises(CordisSubjectsError) as error:
        import_cordis_subjects(_file(tmp_path, bad))
    problems = "\n".join(error.value.problems)
    assert "IND: no English title." in problems
    assert "row 12: 'ROB ROBOT' is not a subject code." in problems
    assert "row 13: MAT is given twice in fr." in problems
    assert not Taxonomy.objects.filter(code=TAXONOMY_CODE).exists()
    assert not Term.objects.exists()
    with pytest.raises(CordisSubjectsError, match="missing column"):
        read_subjects("code;title\nROB;Robotics\n")


def test_the_command_imports_and_reports(tmp_path, capsys):
    path = _file(tmp_path)
    call_command("import_data", "cordis-subjects", str(path))
    assert "2 subjects in en, de, es, fr, it, pl; 2 created" in capsys.readouterr().out
    call_command("import_data", "cordis-subjects", str(path))
    assert "Nothing changed" in capsys.readouterr().out
    broken = _file(tmp_path, "code;title;description;language\nROB;;;en\n")
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_data", "cordis-subjects", str(broken))


def test_an_organisation_page_shows_the_official_german_title(tmp_path):
    import_cordis_subjects(_file(tmp_path))
    organisation = OrganisationFactory(slug="robot-lab")
    CompetenceFactory(organisation=organisation, term=Term.objects.get(code="ROB"))
    german = Client().get("/organisations/robot-lab/?lang=de").content.decode()
    assert "Robotik" in german
    assert "Robotics" in Client().get("/organisations/robot-lab/").content.decode()


@pytest.mark.skipif(not REAL_FILE.is_file(), reason="the shared CORDIS data is not there")
def test_the_real_file_gives_every_code_its_german_title():
    report = import_cordis_subjects(REAL_FILE)
    assert report.subjects == report.created == 70
    rob = Term.objects.get(taxonomy__code=TAXONOMY_CODE, code="ROB")
    assert (rob.label, rob.labels["de"], rob.labels["fr"]) == ("Robotics", "Robotik", "Robotique")
    terms = Term.objects.filter(taxonomy__code=TAXONOMY_CODE)
    assert all({"de", "fr", "it", "es"} <= set(t.labels) for t in terms)
    assert Term.objects.get(code="IND").label == "Industrial Manufacture"
