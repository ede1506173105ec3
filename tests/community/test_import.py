import gzip
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from clusterbroker.community.importers.eu_calls import import_eu_calls
from clusterbroker.community.importers.mojibake import repair
from clusterbroker.community.models import OpenCall, SearchDocument
from clusterbroker.community.search import SearchRequest, search

pytestmark = pytest.mark.django_db
REAL_FILE = Path(__file__).resolve().parents[3] / "shared" / "data" / "eu-calls" / "calls.jsonl.gz"


def record(topic: str, **extra) -> dict:
    return {
        "topicId": topic,
        "title": f"Topic {topic}",
        "programme": "Horizon Europe",
        "cluster": "",
        "description": "The beneficiariesâ€™ costs for â€œdigital twinsâ€\x9d are covered.",
        "keywords": "digital twin",
        "callTitle": "",
        "deadline": "2030-01-15",
        "budgetMax": 2000000,
        "expectedGrants": 3,
        "portalUrl": "https://example.org/topic",
        **extra,
    }


def write(tmp_path, records, gz=True) -> Path:
    text = "\ufeff" + "".join(json.dumps(r, indent=1) for r in records)
    path = tmp_path / ("calls.jsonl.gz" if gz else "calls.jsonl")
    path.write_bytes(gzip.compress(text.encode()) if gz else text.encode())
    return path


def test_repair_fixes_mis_decoded_characters_only():
    assert repair("beneficiariesâ€™ costs") == "beneficiaries’ costs"
    assert repair("â€œxâ€\x9d 10Â°C â‚¬") == "“x” 10°C €"
    assert repair("café “déjà” – ok") == "café “déjà” – ok"


def test_import_repairs_and_is_idempotent(tmp_path):
    path = write(tmp_path, [record("A-1"), record("A-2")])
    first = import_eu_calls(path)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    call = OpenCall.objects.get(reference="A-1")
    assert "beneficiaries’ costs for “digital twins”" in call.description
    assert call.funding_per_beneficiary == 2000000 and call.budget == 6000000
    assert call.is_published
    again = import_eu_calls(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert OpenCall.objects.count() == 2
    changed = write(tmp_path, [record("A-1", title="Renamed"), record("A-2")])
    third = import_eu_calls(changed)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 1)
    assert search(SearchRequest(text="renamed")).total == 1


def test_a_bad_record_imports_nothing_and_names_the_record(tmp_path):
    path = write(
        tmp_path, [record("B-1"), record("B-2", deadline="15/01/2030"), record("B-1")], gz=False
    )
    report = import_eu_calls(path)
    assert not report.ok
    assert any("record 2 (B-2): deadline" in e for e in report.errors)
    assert any("record 3 (B-1): topicId" in e for e in report.errors)
    assert OpenCall.objects.count() == 0


def test_the_import_command(tmp_path, capsys):
    path = write(tmp_path, [record("C-1")])
    call_command("import_data", "eu-calls", str(path))
    assert "1 created" in capsys.readouterr().out
    bad = write(tmp_path, [record("C-2", title="")])
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_data", "eu-calls", str(bad))


@pytest.mark.skipif(not REAL_FILE.is_file(), reason="the shared EU calls file is not present")
def test_the_real_eu_calls():
    report = import_eu_calls(REAL_FILE)
    assert report.ok and report.created == 629
    assert SearchDocument.objects.filter(collection="call").count() == 629
    assert not OpenCall.objects.filter(description__contains="â€").exists()
