"""The NUTS 2021 regions loaded from the Nuts2json files: every level, points, boundaries."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from clusterbroker.brokering.services import Questionnaire, _check
from clusterbroker.importers.nuts import import_nuts
from clusterbroker.registry.models import Region
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db

REAL_FOLDER = Path(__file__).resolve().parents[3] / "shared/data/nuts2021"
SQUARE = {"type": "Polygon", "coordinates": [[[8.0, 51.0], [9.0, 51.0], [9.0, 52.0], [8.0, 51.0]]]}


def _point(code: str, name: str, lon: float = 8.7, lat: float = 51.9) -> dict:
    return {
        "type": "Feature",
        "properties": {"id": code, "na": name, "ar": 1.0},
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    }


def _write(folder: Path, points: dict[int, list], shapes: dict[int, list]) -> Path:
    for level in range(4):
        (folder / f"nutspt_{level}.json").write_text(
            json.dumps({"type": "FeatureCollection", "features": points.get(level, [])})
        )
    for level in range(3):
        features = [
            {"type": "Feature", "properties": {"id": c, "na": c}, "geometry": SQUARE}
            for c in shapes.get(level, [])
        ]
        (folder / f"nutsrg_60M_{level}.json").write_text(
            json.dumps({"type": "FeatureCollection", "features": features})
        )
    return folder


@pytest.fixture
def folder(tmp_path) -> Path:
    return _write(
        tmp_path,
        {
            0: [_point("DE", "Deutschland"), _point("EL", "Elláda", 22.9, 39.1)],
            1: [_point("DEA", "Nordrhein-Westfalen")],
            2: [_point("DEA4", "Detmold")],
            3: [_point("DEA41", "Bielefeld, Kreisfreie Stadt")],
        },
        {0: ["DE", "EL"], 1: ["DEA"], 2: ["DEA4"]},
    )


def test_loads_every_level_with_points_and_boundaries_of_levels_0_to_2(folder):
    RegionFactory(code="DEA4", name="Old name", country="DE")
    report = import_nuts(folder)
    assert (report.regions, report.created, report.updated, report.boundaries) == (5, 4, 1, 4)
    detmold = Region.objects.get(code="DEA4")
    assert (detmold.name, detmold.level, detmold.country) == ("Detmold", 2, "DE")
    assert (detmold.longitude, detmold.latitude) == (8.7, 51.9)
    assert detmold.boundary == SQUARE
    assert Region.objects.get(code="DEA41").boundary is None
    assert Region.objects.get(code="EL").country == "GR"  # Eurostat's EL is ISO GR


def test_second_run_changes_nothing_and_says_so(folder, capsys):
    call_command("import_data", "nuts", str(folder))
    call_command("import_data", "nuts", str(folder))
    out = capsys.readouterr().out
    assert "0 created, 0 updated, 5 unchanged" in out and "Nothing changed" in out


def test_a_bad_feature_imports_nothing(tmp_path, capsys):
    _write(tmp_path, {0: [_point("DE", "Deutschland")], 2: [_point("DEA", "Wrong level")]}, {})
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_data", "nuts", str(tmp_path))
    assert (
        "nutspt_2.json, feature 1: 'DEA' is not a NUTS code of level 2" in capsys.readouterr().err
    )
    assert not Region.objects.exists()
    with pytest.raises(CommandError, match="no such folder"):
        call_command("import_data", "nuts", str(tmp_path / "missing"))


def test_questionnaire_accepts_detmold_once_loaded(folder):
    questionnaire = Questionnaire(
        new_name="Hanning", new_country="DE", regions_of_interest=["DEA4"]
    )
    assert "regions_of_interest" in _check(questionnaire)
    import_nuts(folder)
    assert "regions_of_interest" not in _check(questionnaire)


@pytest.mark.skipif(not REAL_FOLDER.is_dir(), reason="the shared NUTS data is not there")
def test_real_files_load_all_1990_regions():
    report = import_nuts(REAL_FOLDER)
    assert report.by_level == {0: 37, 1: 123, 2: 328, 3: 1502}
    assert report.boundaries == 37 + 123 + 328
    assert Region.objects.get(code="DEA4").name == "Detmold"
