"""The JRC catalogue of Digital Innovation Hubs loaded as organisations of type DIH."""

import gzip
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from clusterbroker.importers.dih_catalogue import (
    SECTORS,
    TAXONOMY_CODE,
    HubCatalogueError,
    import_hub_catalogue,
    read_hubs,
)
from clusterbroker.registry.models import (
    Competence,
    HubCatalogueEntry,
    Organisation,
    OrganisationKind,
)
from tests.factories import OrganisationFactory

REAL_FILE = Path(__file__).resolve().parents[3] / "shared/data/dih-catalogue/dihs.jsonl.gz"


def hub(id_: str, title: str, country: str = "Germany", **fields) -> dict:
    return {
        "id": id_,
        "title": title,
        "website": fields.pop("website", "http://hub.example.org/"),
        "description": fields.pop("description", "Robotics test beds for SMEs."),
        "country": country,
        "city": fields.pop("city", "Aachen"),
        "sectors": fields.pop("sectors", ["Manufacture of machinery and equipment"]),
        "competences": [],
    }


def write(tmp_path: Path, lines: list, name: str = "dihs.jsonl.gz") -> Path:
    path = tmp_path / name
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.write(text + "\n")
    return path


@pytest.mark.django_db
def test_hubs_become_dih_organisations_with_their_sectors(tmp_path):
    path = write(
        tmp_path,
        [
            hub(
                "1",
                "Robotics Hub Aachen",
                description="One-stop shop at Aachen University&#39;s campus.",
                sectors=[
                    "Manufacture of machinery and equipment",
                    "Life sciences & healthcare",
                    "Erasmus+ programme:Institutional framework for universities",
                ],
            ),
            hub("2", "Anatolian Digital Hub", country="Turkey", website="www.anatolia.example"),
            hub("3", "Prishtina Innovation Hub", country="Kosovo", website="not a url at all"),
        ],
    )
    report = import_hub_catalogue(path)

    assert (report.hubs, report.created, report.linked, report.sectors_skipped) == (3, 3, 0, 1)
    assert report.websites_dropped == 1
    aachen = Organisation.objects.get(name="Robotics Hub Aachen")
    assert aachen.kind == OrganisationKind.DIH
    assert (aachen.country, aachen.city) == ("DE", "Aachen")
    assert aachen.description == "One-stop shop at Aachen University's campus."
    assert sorted(
        Competence.objects.filter(organisation=aachen).values_list("term__code", flat=True)
    ) == ["DK-machinery", "health"]
    assert {c.term.taxonomy.code for c in aachen.competences.all()} == {TAXONOMY_CODE}
    anatolia = Organisation.objects.get(name="Anatolian Digital Hub")
    assert (anatolia.country, anatolia.website) == ("TR", "http://www.anatolia.example")
    prishtina = Organisation.objects.get(name="Prishtina Innovation Hub")
    assert (prishtina.country, prishtina.country_name, prishtina.website) == ("XK", "Kosovo", "")
    prishtina.full_clean()  # the code is one the registry accepts


@pytest.mark.django_db
def test_a_second_import_adds_nothing_and_keeps_edits(tmp_path):
    path = write(tmp_path, [hub("1", "Robotics Hub Aachen"), hub("2", "Data Hub Köln")])
    import_hub_catalogue(path)
    edited = Organisation.objects.get(name="Data Hub Köln")
    edited.description = "Edited by the hub itself."
    edited.save()

    report = import_hub_catalogue(path)

    assert (report.created, report.linked, report.already_loaded) == (0, 0, 2)
    assert Organisation.objects.filter(kind=OrganisationKind.DIH).count() == 2
    assert HubCatalogueEntry.objects.count() == 2
    assert Organisation.objects.get(pk=edited.pk).description == "Edited by the hub itself."


@pytest.mark.django_db
def test_a_hub_already_in_the_registry_is_linked_not_duplicated(tmp_path):
    existing = OrganisationFactory(
        name="MINALOGIC", country="FR", kind=OrganisationKind.CLUSTER, description="Ours."
    )
    path = write(tmp_path, [hub("5913", "Minalogic", country="France", description="Theirs.")])

    report = import_hub_catalogue(path)

    assert (report.created, report.linked) == (0, 1)
    assert HubCatalogueEntry.objects.get(catalogue_id="5913").organisation == existing
    existing.refresh_from_db()
    assert (existing.kind, existing.description) == (OrganisationKind.CLUSTER, "Ours.")
    assert existing.competences.filter(term__code="DK-machinery").exists()


@pytest.mark.django_db
def test_a_bad_file_names_each_line_and_imports_nothing(tmp_path):
    path = write(
        tmp_path,
        [
            hub("1", "Robotics Hub Aachen"),
            "{not json",
            hub("3", "", country="Germany"),
            hub("4", "Atlantis Hub", country="Atlantis"),
            hub("1", "Robotics Hub Again"),
        ],
    )
    with pytest.raises(HubCatalogueError) as caught:
        import_hub_catalogue(path)

    problems = caught.value.problems
    assert problems[0].startswith("dihs.jsonl.gz, line 2: not a JSON object")
    assert "line 3, field title: missing" in problems[1]
    assert "line 4, field country" in problems[2] and "Atlantis" in problems[2]
    assert "line 5, field id: hub 1 appears twice" in problems[3]
    assert not Organisation.objects.exists()
    assert not HubCatalogueEntry.objects.exists()


@pytest.mark.django_db
def test_the_command_reports_counts_and_refuses_a_bad_file(tmp_path, capsys):
    good = write(tmp_path, [hub("1", "Robotics Hub Aachen")], name="good.jsonl.gz")
    call_command("import_data", "dih-catalogue", str(good))
    out = capsys.readouterr().out
    assert "1 hubs in 1 countries; 1 created" in out

    bad = write(tmp_path, ["[1, 2]"], name="bad.jsonl.gz")
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_data", "dih-catalogue", str(bad))
    assert "bad.jsonl.gz, line 1: not a JSON object" in capsys.readouterr().err


@pytest.mark.skipif(not REAL_FILE.is_file(), reason="the shared data set is not beside the project")
def test_every_hub_of_the_real_catalogue_reads_with_a_known_country_and_sector():
    hubs = read_hubs(REAL_FILE)
    assert len(hubs) == 701
    assert len({h.country for h in hubs}) == 39
    assert all(h.title for h in hubs)
    assert all(set(h.sectors) <= set(SECTORS) for h in hubs)
    # Only programme names are left out: every entry skipped is long and names a programme.
    assert sum(h.not_sectors for h in hubs) == 16
