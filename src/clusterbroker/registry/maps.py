"""Maps of Europe's NUTS regions drawn as SVG on the server: they need no tile server nor
network, print as they are shown and can be read by a screen reader through their table.

Plain functions over plain data (no database): `Projection` turns longitude/latitude into the
map's coordinates (the Lambert azimuthal equal-area projection of European statistics, EPSG
3035, on a sphere), `path_of` turns a GeoJSON geometry into an SVG path, and `build_map`
assembles a map from the boundaries, the regions' points and the organisations to place.
The data come from `map_data.py`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .countries import EU_ALIASES

# ISO's codes where Eurostat's (in NUTS codes) differ: GR is EL, GB is UK.
EUROSTAT_CODES = {iso: eu for eu, iso in EU_ALIASES.items()}

# The map's frame, in projected metres: from the Atlantic coast of Portugal and Ireland to
# Cyprus and Finland's east, from Crete to the North Cape. Farther territories (the Canaries,
# the Azores, the French overseas regions) are counted in the table but fall outside the frame.
FRAME = (2_500_000.0, 1_350_000.0, 6_600_000.0, 5_550_000.0)  # x min, y min, x max, y max
WIDTH = 800  # the SVG's width in its own units; the height follows the frame's shape
# Most points drawn on one map; beyond it the regions' counts tell where organisations are.
MAX_POINTS = 400
# The shades of the choropleth, lightest first (the palette of the pages' --l1..--l3): strong
# for the regions, pale for the countries beneath them.
SHADES = ("#c6dbf3", "#9fc2ea", "#77a6de", "#4c84cb", "#1f5fae")
COUNTRY_SHADES = ("#f1f6fc", "#e6eff9", "#dbe8f7", "#d0e0f3")


@dataclass(frozen=True)
class Projection:
    """EPSG 3035 on a sphere (the difference to the ellipsoid is below a pixel here), scaled
    into the frame so that x grows east and y grows south as SVG expects."""

    lon0: float = 10.0
    lat0: float = 52.0
    false_easting: float = 4_321_000.0
    false_northing: float = 3_210_000.0
    radius: float = 6_371_007.0

    @property
    def height(self) -> int:
        x0, y0, x1, y1 = FRAME
        return round(WIDTH * (y1 - y0) / (x1 - x0))

    def metres(self, lon: float, lat: float) -> tuple[float, float]:
        lam, phi = math.radians(lon - self.lon0), math.radians(lat)
        phi0 = math.radians(self.lat0)
        cos_c = math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam)
        k = math.sqrt(2.0 / max(1.0 + cos_c, 1e-12))
        x = self.radius * k * math.cos(phi) * math.sin(lam)
        y = (
            self.radius
            * k
            * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam))
        )
        return x + self.false_easting, y + self.false_northing

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        """The point on the map (0..WIDTH, 0..height)."""
        x, y = self.metres(lon, lat)
        x0, y0, x1, _y1 = FRAME
        scale = WIDTH / (x1 - x0)
        return (x - x0) * scale, (FRAME[3] - y) * scale

    def inside(self, x: float, y: float) -> bool:
        return 0 <= x <= WIDTH and 0 <= y <= self.height


PROJECTION = Projection()


def _rings(geometry: Mapping) -> Iterable[Sequence[Sequence[float]]]:
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        yield from coordinates
    elif kind == "MultiPolygon":
        for polygon in coordinates:
            yield from polygon


def path_of(geometry: Mapping | None, projection: Projection = PROJECTION) -> str:
    """The SVG path of a GeoJSON (multi)polygon, to the map's unit (coordinates rounded to a
    tenth, repeated points dropped); "" for no geometry or one wholly outside the frame."""
    if not geometry:
        return ""
    parts: list[str] = []
    for ring in _rings(geometry):
        points: list[tuple[float, float]] = []
        for lon, lat, *_rest in ring:
            x, y = projection(lon, lat)
            point = (round(x, 1), round(y, 1))
            if not points or points[-1] != point:
                points.append(point)
        if len(points) < 3 or not any(projection.inside(x, y) for x, y in points):
            continue
        head, *tail = points
        parts.append(f"M{head[0]:g} {head[1]:g}" + "".join(f"L{x:g} {y:g}" for x, y in tail) + "Z")
    return "".join(parts)


@dataclass(frozen=True)
class Area:
    """A region as the data give it: code, name, boundary (GeoJSON) and point."""

    code: str
    name: str
    boundary: Mapping | None
    point: tuple[float, float] | None  # longitude, latitude
    d: str = ""  # the boundary's SVG path when already drawn (`with_path`)

    def with_path(self, projection: Projection | None = None) -> Area:
        """The same area with its path drawn once, to be kept and drawn on many maps."""
        d = path_of(self.boundary, projection or PROJECTION)
        return Area(self.code, self.name, None, self.point, d)

    def path(self, projection: Projection) -> str:
        return self.d or path_of(self.boundary, projection)


@dataclass(frozen=True)
class Place:
    """An organisation to place: its region's code (any level) and country."""

    name: str
    url: str
    country: str
    region_code: str = ""


@dataclass
class Shape:
    code: str
    name: str
    d: str
    count: int = 0
    fill: str = ""
    url: str = ""
    outlined: bool = False  # one of the regions to show whatever their count


@dataclass
class Dot:
    name: str
    url: str
    x: float
    y: float


@dataclass
class RegionMap:
    """What a template draws: the countries beneath, the counted regions above them, the
    points, and the rows of the table that says the same in words."""

    width: int
    height: int
    countries: list[Shape]
    regions: list[Shape]
    dots: list[Dot]
    rows: list[tuple[str, str, int, str]] = field(default_factory=list)  # code, name, n, url
    placed: int = 0  # organisations counted in a region or country
    unplaced: int = 0  # organisations without a country on the map
    dots_left_out: int = 0

    @property
    def empty(self) -> bool:
        return not self.placed


def _shade(count: int, most: int, shades: Sequence[str] = SHADES) -> str:
    if count <= 0 or most <= 0:
        return ""
    # Classes on a square-root scale: a few large regions do not wash out the rest.
    level = math.ceil(math.sqrt(count / most) * len(shades)) - 1
    return shades[max(0, min(level, len(shades) - 1))]


def _jitter(index: int, seed: str) -> tuple[float, float]:
    """A small, stable offset so that organisations of one region do not hide each other."""
    if index == 0:
        return 0.0, 0.0
    angle = (hash_text(seed) % 360 + index * 137.5) * math.pi / 180
    radius = 2.5 * math.sqrt(index)
    return radius * math.cos(angle), radius * math.sin(angle)


def hash_text(text: str) -> int:
    """A hash that is the same in every process (Python's own `hash` of str is not)."""
    value = 0
    for char in text:
        value = (value * 31 + ord(char)) % 1_000_003
    return value


def build_map(
    places: Sequence[Place],
    *,
    countries: Sequence[Area],
    regions: Sequence[Area],
    points: Mapping[str, tuple[float, float]],
    level: int = 2,
    region_url: Callable[[str], str] = lambda code: "",
    highlight: Iterable[str] = (),
    max_points: int = MAX_POINTS,
    projection: Projection = PROJECTION,
) -> RegionMap:
    """A map of `places`: countries shaded by their organisations, regions of `level` (given
    in `regions`) shaded by theirs, and a point per organisation at its region's point (the
    most precise level known, in `points` by code) while there are at most `max_points`.
    `highlight` names regions to outline whatever their count (a partnership's regions)."""
    country_counts: dict[str, int] = {}
    region_counts: dict[str, int] = {}
    unplaced = 0
    known_countries = {area.code for area in countries}
    for place in places:
        country = (place.region_code[:2] if place.region_code else "") or place.country
        country = EUROSTAT_CODES.get(country, country)
        if country not in known_countries:
            unplaced += 1
            continue
        country_counts[country] = country_counts.get(country, 0) + 1
        if len(place.region_code) >= 2 + level:
            code = place.region_code[: 2 + level]
            region_counts[code] = region_counts.get(code, 0) + 1
    outlines = [code for code in highlight if len(code) > 2]

    def outlined(code: str) -> bool:
        """A region of the map inside, or around, one of the regions to show."""
        return any(code.startswith(h) or h.startswith(code) for h in outlines)

    most_country = max(country_counts.values(), default=0)
    most_region = max(region_counts.values(), default=0)
    country_shapes = []
    for area in countries:
        d = area.path(projection)
        if not d:
            continue
        count = country_counts.get(area.code, 0)
        country_shapes.append(
            Shape(
                area.code,
                area.name,
                d,
                count,
                _shade(count, most_country, COUNTRY_SHADES),
                region_url(area.code) if count else "",
            )
        )
    region_shapes = []
    for area in regions:
        count = region_counts.get(area.code, 0)
        if not count and not outlined(area.code):
            continue
        d = area.path(projection)
        if d:
            region_shapes.append(
                Shape(
                    area.code,
                    area.name,
                    d,
                    count,
                    _shade(count, most_region),
                    region_url(area.code) if count else "",
                    outlined=outlined(area.code),
                )
            )
    dots: list[Dot] = []
    left_out = 0
    placed = [p for p in places if p.region_code and _point_of(p.region_code, points)]
    if len(placed) <= max_points:
        seen: dict[str, int] = {}
        for place in placed:
            code = place.region_code
            lon, lat = _point_of(code, points)  # type: ignore[misc]
            x, y = projection(lon, lat)
            index = seen.get(code, 0)
            seen[code] = index + 1
            dx, dy = _jitter(index, code)
            if projection.inside(x + dx, y + dy):
                dots.append(Dot(place.name, place.url, round(x + dx, 1), round(y + dy, 1)))
    else:
        left_out = len(placed)
    names = {area.code: area.name for area in (*countries, *regions)}
    rows = sorted(
        (
            (code, names.get(code, code), n, region_url(code))
            for code, n in (*country_counts.items(), *region_counts.items())
        ),
        key=lambda row: (row[0][:2], len(row[0]), row[0]),
    )
    return RegionMap(
        width=WIDTH,
        height=projection.height,
        countries=country_shapes,
        regions=region_shapes,
        dots=dots,
        rows=rows,
        placed=sum(country_counts.values()),
        unplaced=unplaced,
        dots_left_out=left_out,
    )


def _point_of(code: str, points: Mapping[str, tuple[float, float]]) -> tuple[float, float] | None:
    """The point of the region or, failing that, of its nearest enclosing region."""
    while len(code) > 2:
        if code in points:
            return points[code]
        code = code[:-1]
    return None
