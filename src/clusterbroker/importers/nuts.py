"""The NUTS 2021 regions of Europe (Eurostat GISCO), loaded as the registry's regions.

`clusterbroker import nuts DIRECTORY` reads, from the folder of the Nuts2json files,
`nutspt_0.json` … `nutspt_3.json` (GeoJSON points: code, name in the region's own language)
and `nutsrg_60M_0.json` … `nutsrg_60M_2.json` (simplified boundaries of levels 0–2), and
creates or updates one region per code with its level, name, country, point (longitude,
latitude) and, for levels 0–2, its boundary: the GeoJSON geometry as given (WGS 84
longitude/latitude, simplified for a 1:60 million map), stored with the region so that a
map can draw it without the files. Level-3 regions have no boundary in the source: their
point places them.

Country codes follow Eurostat (EL for Greece, UK for the United Kingdom): the regions keep
the NUTS codes (EL30, UKI3) and their country is the ISO code (GR, GB).

A region that exists already (from sample data or an organisations file) is completed, and
its name becomes the NUTS name. Idempotent: a second run changes nothing and says so. All or
nothing: a missing file or a malformed feature names the file and the reason and nothing is
written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from clusterbroker.registry.countries import normalise_country
from clusterbroker.registry.models import Region

LEVELS = (0, 1, 2, 3)
BOUNDARY_LEVELS = (0, 1, 2)
POINTS_FILE = "nutspt_{level}.json"
BOUNDARIES_FILE = "nutsrg_60M_{level}.json"
_CODE = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
FIELDS = ("name", "country", "level", "longitude", "latitude", "boundary")

Progress = Callable[[int, int], None]


class NutsError(ValueError):
    """The files have problems; nothing was imported."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class NutsRegion:
    code: str
    name: str
    country: str
    level: int
    longitude: float
    latitude: float
    boundary: dict | None


@dataclass
class NutsReport:
    regions: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    boundaries: int = 0
    by_level: dict[int, int] | None = None


def _features(path: Path, problems: list[str]) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(f"{path.name}: missing.")
        return []
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        problems.append(f"{path.name}: cannot be read ({error}).")
        return []
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        problems.append(f"{path.name}: not a GeoJSON feature collection.")
        return []
    return features


def _point(feature: dict) -> tuple[float, float]:
    geometry = feature.get("geometry") or {}
    if geometry.get("type") != "Point":
        raise ValueError("the geometry is not a point")
    longitude, latitude = (float(x) for x in geometry["coordinates"][:2])
    if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
        raise ValueError("the point is outside longitude/latitude")
    return round(longitude, 6), round(latitude, 6)


def read_regions(folder: Path) -> list[NutsRegion]:
    """Every region of levels 0–3 with its point and (levels 0–2) boundary; raises
    `NutsError` naming each problem."""
    problems: list[str] = []
    boundaries: dict[str, dict] = {}
    for level in BOUNDARY_LEVELS:
        path = folder / BOUNDARIES_FILE.format(level=level)
        for number, feature in enumerate(_features(path, problems), start=1):
            code = str((feature.get("properties") or {}).get("id") or "")
            geometry = feature.get("geometry") or {}
            if geometry.get("type") not in {"Polygon", "MultiPolygon"}:
                problems.append(f"{path.name}, feature {number} ({code}): not a polygon.")
                continue
            boundaries[code] = {"type": geometry["type"], "coordinates": geometry["coordinates"]}
    regions: list[NutsRegion] = []
    seen: set[str] = set()
    for level in LEVELS:
        path = folder / POINTS_FILE.format(level=level)
        for number, feature in enumerate(_features(path, problems), start=1):
            properties = feature.get("properties") or {}
            code = str(properties.get("id") or "").strip()
            where = f"{path.name}, feature {number}"
            try:
                if not _CODE.match(code) or len(code) != level + 2:
                    raise ValueError(f"{code!r} is not a NUTS code of level {level}")
                if code in seen:
                    raise ValueError(f"{code} appears twice")
                name = " ".join(str(properties.get("na") or "").split())
                if not name:
                    raise ValueError(f"{code} has no name")
                country = normalise_country(code[:2])
                longitude, latitude = _point(feature)
            except (ValueError, TypeError, KeyError, ValidationError) as error:
                message = " ".join(error.messages) if isinstance(error, ValidationError) else error
                problems.append(f"{where}: {message}.")
                continue
            seen.add(code)
            regions.append(
                NutsRegion(
                    code=code,
                    name=name[:200],
                    country=country,
                    level=level,
                    longitude=longitude,
                    latitude=latitude,
                    boundary=boundaries.get(code) if level in BOUNDARY_LEVELS else None,
                )
            )
    if problems:
        raise NutsError(problems)
    return regions


def import_nuts(folder: Path, progress: Progress | None = None) -> NutsReport:
    """Load the regions (see the module's docstring); all or nothing."""
    regions = read_regions(folder)
    report = NutsReport(regions=len(regions), by_level={level: 0 for level in LEVELS})
    existing = {r.code: r for r in Region.objects.filter(code__in=[n.code for n in regions])}
    new, changed = [], []
    for done, item in enumerate(regions, start=1):
        report.by_level[item.level] += 1
        report.boundaries += item.boundary is not None
        values = {name: getattr(item, name) for name in FIELDS}
        region = existing.get(item.code)
        if region is None:
            new.append(Region(code=item.code, **values))
        elif any(getattr(region, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(region, name, value)
            changed.append(region)
        else:
            report.unchanged += 1
        if progress is not None and (done % 200 == 0 or done == len(regions)):
            progress(done, len(regions))
    with transaction.atomic():
        Region.objects.bulk_create(new, batch_size=500)
        Region.objects.bulk_update(changed, list(FIELDS), batch_size=200)
    report.created, report.updated = len(new), len(changed)
    return report


__all__ = ["NutsError", "NutsRegion", "NutsReport", "import_nuts", "read_regions"]
