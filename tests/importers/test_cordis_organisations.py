"""CORDIS organisation names given to the organisations known by PIC."""

import gzip
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from clusterbroker.brokering.cordis import CordisFileError
from clusterbroker.brokering.models import CordisOrganisation
from clusterbroker.importers.cordis_organisations import (
    import_cordis_organisations,
    read_organisations,
    repair_text,
)
from clusterbroker.registry.models import Organisation, OrganisationIdentifier
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

REAL_FILE = (
    Path(__file__).resolve().parents[3]
    / "shared/data/cordis-h2020-organisations/organisations.csv.gz"
)
HEADER = "pic,name,short_name,activity_type,country,city,url\n"
ROWS = (
    "999854661,UNIVERSITY OF PLYMOUTH,UOP,HES,UK,PLYMOUTH,\n"
    "997237407,52¬∞North Initiative GmbH,52N,OTH,DE,M√ºnster,www.52north.org\n"
    "938626030,JOECKEL BERNHARD,Bernhard J√∂ckel,PRC,DE,Darmstadt,\n"
    ",KAYSER ITALIA SRL,KAYSER ITALIA SRL,PRC,IT,,\n"
)


def _file(tmp_path: Path, text: str = HEADER + ROWS) -> Path:
    path = tmp_path / "organisations.csv.gz"
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    return path


def _placeholder(pic: int, **fields) -> Organisation:
    organisation = OrganisationFactory(name=f"PIC {pic}", slug=f"pic-{pic}", **fields)
    CordisOrganisation.objects.create(pic=pic, organisation=organisation, cordis_type="HES")
    return organisation


def test_mac_roman_mojibake_is_repaired_and_good_text_kept():
    assert repair_text("M√ºnster, ≈†empeter, Rƒ´ga, GEPACK ‚Äì SA") == (
        "Münster, Šempeter, Rīga, GEPACK – SA"
    )
    assert repair_text("VILA NOVA DE FAMALICÃO, Málaga") == "VILA NOVA DE FAMALICÃO, Málaga"


def test_placeholders_are_named_others_completed_unknown_created(tmp_path):
    plymouth = _placeholder(999854661, country="GB")
    named = OrganisationFactory(name="52°North", acronym="", city="", country="DE")
    OrganisationIdentifier.objects.create(organisation=named, scheme="pic", value="997237407")
    report = import_cordis_organisations(_file(tmp_path))
    assert (report.rows, report.named, report.updated, report.created) == (3, 1, 1, 1)
    assert (report.without_pic, report.repaired) == (1, 2)
    plymouth.refresh_from_db()
    assert (plymouth.name, plymouth.acronym, plymouth.kind, plymouth.city) == (
        "UNIVERSITY OF PLYMOUTH",
        "UOP",
        "university",
        "PLYMOUTH",
    )
    assert plymouth.slug == "pic-999854661"  # its address does not change
    named.refresh_from_db()
    assert (named.name, named.acronym, named.city) == ("52°North", "52N", "Münster")
    assert named.website == "http://www.52north.org"
    joeckel = CordisOrganisation.objects.get(pic=938626030).organisation
    assert (joeckel.acronym, joeckel.country, joeckel.kind) == ("Bernhard Jöckel", "DE", "company")
    pics = dict(
        OrganisationIdentifier.objects.filter(scheme="pic").values_list("value", "organisation")
    )
    assert pics == {"999854661": plymouth.pk, "997237407": named.pk, "938626030": joeckel.pk}
    assert named.identifiers.get(scheme="domain").value == "52north.org"
    assert plymouth.history.first().name == "UNIVERSITY OF PLYMOUTH"


def test_second_run_changes_nothing_and_says_so(tmp_path, capsys):
    _placeholder(999854661)
    call_command("import_data", "cordis-organisations", str(_file(tmp_path)))
    before = list(Organisation.objects.order_by("pk").values())
    call_command("import_data", "cordis-organisations", str(_file(tmp_path)))
    out = capsys.readouterr().out
    assert "0 named, 0 completed, 3 unchanged, 0 created" in out
    assert "Nothing changed" in out
    assert list(Organisation.objects.order_by("pk").values()) == before


def test_a_bad_row_imports_nothing(tmp_path, capsys):
    plymouth = _placeholder(999854661)
    bad = HEADER + ROWS + "12345,SHORT PIC,,PRC,FR,PARIS,\n999000111,X,,XYZ,FR,,\n"
    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_data", "cordis-organisations", str(_file(tmp_path, bad)))
    err = capsys.readouterr().err
    assert "line 6: pic '12345' is not 9 digits" in err and "line 7: activity_type" in err
    plymouth.refresh_from_db()
    assert plymouth.name == "PIC 999854661"
    assert not OrganisationIdentifier.objects.exists()
    with pytest.raises(CordisFileError, match="also on line 2"):
        read_organisations(_file(tmp_path, HEADER + ROWS + ROWS.splitlines()[0] + "\n"))


@pytest.mark.skipif(not REAL_FILE.is_file(), reason="the shared CORDIS data is not there")
def test_real_file_reads_every_pic_and_repairs_names():
    rows = read_organisations(REAL_FILE)
    assert len(rows) == 16591
    text = " ".join(f"{r.name} {r.acronym} {r.city}" for r in rows)
    assert "√" not in text and "Münster" in text
