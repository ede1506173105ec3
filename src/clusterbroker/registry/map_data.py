"""The data of the maps: boundaries and points of the NUTS regions (loaded by `import nuts`),
kept per process once read, and the organisations of a page turned into places."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Count, Max, QuerySet
from django.urls import reverse

from .countries import EU_ALIASES
from .maps import Area, Place, RegionMap, build_map
from .models import Organisation, Region

_cache: dict[str, tuple[int, object]] = {}


def _version() -> int:
    """Changes when regions are imported: the cached shapes are then read again."""
    found = Region.objects.aggregate(last=Max("pk"), n=Count("pk"))
    return (found["last"] or 0) * 100_000 + found["n"]


def _cached(key: str, load: Callable[[], object], version: int | None = None) -> object:
    """What `load` gave for `key`, read again when the regions changed (`version`, asked of
    the database when not given)."""
    version = _version() if version is None else version
    hit = _cache.get(key)
    if hit is None or hit[0] != version:
        hit = (version, load())
        _cache[key] = hit
    return hit[1]


def areas(level: int, version: int | None = None) -> list[Area]:
    """The regions of `level` that have a boundary."""

    def load() -> list[Area]:
        rows = Region.objects.filter(level=level, boundary__isnull=False).values_list(
            "code", "name", "boundary", "longitude", "latitude"
        )
        return [
            Area(code, name, boundary, (lon, lat) if lon is not None else None).with_path()
            for code, name, boundary, lon, lat in rows
        ]

    return _cached(f"areas-{level}", load, version)  # type: ignore[return-value]


def points(version: int | None = None) -> dict[str, tuple[float, float]]:
    """The point of every region, by code."""

    def load() -> dict[str, tuple[float, float]]:
        rows = Region.objects.filter(longitude__isnull=False, latitude__isnull=False)
        return {c: (lon, lat) for c, lon, lat in rows.values_list("code", "longitude", "latitude")}

    return _cached("points", load, version)  # type: ignore[return-value]


def places_of(organisations: QuerySet[Organisation] | Iterable[Organisation]) -> list[Place]:
    """The places of organisations: a query is read with only the columns a map needs."""
    if isinstance(organisations, QuerySet):
        rows = organisations.order_by().values_list("name", "slug", "country", "region__code")
        return [
            Place(name, reverse("registry:organisation", args=[slug]), country or "", code or "")
            for name, slug, country, code in rows
        ]
    return [
        Place(
            o.name,
            o.get_absolute_url(),
            o.country or "",
            o.region.code if o.region_id and o.region else "",
        )
        for o in organisations
    ]


def list_url(code: str, base: str = "") -> str:
    """The organisation list narrowed to a country (2 letters) or a region."""
    if len(code) == 2:  # Eurostat's EL and UK are ISO's GR and GB
        query = f"country={ {'EL': 'GR', 'UK': 'GB'}.get(code, code) }"
    else:
        query = f"region={code}"
    return f"{reverse('registry:organisations')}?{query}{'&' + base if base else ''}"


def places_map(
    places: list[Place],
    *,
    region_url: Callable[[str], str],
    level: int = 2,
    highlight: Iterable[str] = (),
) -> RegionMap | None:
    """The map of these places, or None before the NUTS regions are imported."""
    version = _version()  # once for the three reads of the map
    countries = areas(0, version)
    if not countries:
        return None
    return build_map(
        places,
        countries=countries,
        regions=areas(level, version),
        points=points(version),
        level=level,
        region_url=region_url,
        highlight=highlight,
    )


def organisations_map(
    organisations: QuerySet[Organisation] | Iterable[Organisation],
    *,
    level: int = 2,
    highlight: Iterable[str] = (),
    link_query: str = "",
) -> RegionMap | None:
    """The map of these organisations (a click lists a country's or region's organisations
    with `link_query` kept), or None before the NUTS regions are imported."""
    return places_map(
        places_of(organisations),
        region_url=lambda code: list_url(code, link_query),
        level=level,
        highlight=highlight,
    )


def iso_country(code: str) -> str:
    """The ISO country of a NUTS code (Eurostat's EL and UK are GR and GB)."""
    return EU_ALIASES.get(code[:2], code[:2])
