"""Backup and restore: every record and relation comes back; bad files change nothing."""

import gzip
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from clusterbroker.ops.backup import FORMAT, BackupError, create_backup, restore_backup
from clusterbroker.registry.models import Organisation, Person

from ..factories import OrganisationFactory
from .filling import fill_everything, project_models
from .snapshot import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled():
    unfilled = fill_everything()
    return unfilled


@pytest.mark.django_db(transaction=True)  # `flush` empties the tables for real
def test_round_trip_keeps_every_record_and_relation(filled, tmp_path):
    # The registry, events and auth are filled by hand; later apps' models automatically.
    strict = [m for m in filled if m.split(".")[0] in {"registry", "events", "auth"}]
    assert strict == [], f"no records of {strict}"
    before = snapshot()
    empty = [m._meta.label_lower for m in project_models() if not before[m._meta.label_lower]]
    assert empty == filled and not strict
    path = tmp_path / "backup.json.gz"

    call_command("backup", str(path))
    call_command("flush", interactive=False)
    assert not Organisation.objects.exists()
    call_command("restore", str(path))

    after = snapshot()
    assert after.keys() == before.keys()
    for table, rows in before.items():
        assert after[table] == rows, f"{table} differs after the round trip"
    # Many-to-many relations are in the comparison, and were not empty.
    assert before["events.participant_terms"] and before["auth.user_groups"]
    assert before["auth.group_permissions"] and before["registry.partnership_regions"]
    # New records get fresh ids after a restore (sequences continue on PostgreSQL).
    OrganisationFactory()


def test_restore_refuses_a_database_with_records(filled, tmp_path):
    path = tmp_path / "backup.json.gz"
    create_backup(path)
    OrganisationFactory(name="Added after the backup")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path))
    assert Organisation.objects.filter(name="Added after the backup").exists()


def test_restore_force_replaces_the_records(filled, tmp_path):
    path = tmp_path / "backup.json.gz"
    create_backup(path)
    before = snapshot()
    OrganisationFactory(name="Added after the backup")
    Person.objects.all().delete()
    restore_backup(path, force=True)
    assert snapshot() == before


def _write(path, content: bytes, zipped: bool = True) -> None:
    path.write_bytes(gzip.compress(content) if zipped else content)


@pytest.mark.parametrize(
    ("content", "zipped", "reason"),
    [
        (b"organisation,country\nAcme,FR\n", False, "not a gzip file"),
        (b"\xff\xfe not text", True, "not JSON"),
        (b"[1, 2, 3]", True, "not a ClusterBroker backup"),
        (json.dumps({"format": "other"}).encode(), True, "not a ClusterBroker backup"),
        (json.dumps({"format": FORMAT, "version": 99, "objects": []}).encode(), True, "version 99"),
        (
            json.dumps({"format": FORMAT, "version": 1, "objects": [{"model": "x.gone"}]}).encode(),
            True,
            "x.gone",
        ),
        (
            json.dumps(
                {
                    "format": FORMAT,
                    "version": 1,
                    "objects": [
                        {"model": "registry.region", "pk": 1, "fields": {"code": "X"}},
                        {"model": "registry.organisation", "pk": 1, "fields": {"region": 777}},
                    ],
                }
            ).encode(),
            True,
            "nothing was changed",
        ),
    ],
)
def test_a_bad_file_is_refused_and_changes_nothing(tmp_path, content, zipped, reason):
    OrganisationFactory(name="Kept")
    before = snapshot()
    path = tmp_path / "bad.json.gz"
    _write(path, content, zipped)
    with pytest.raises(BackupError, match=reason) as error:
        restore_backup(path, force=True)
    assert "bad.json.gz" in str(error.value)
    assert snapshot() == before


def test_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "missing.json.gz"))
