"""Setting organisations' regions from their cities (see `city_regions.py`) in the database."""

from __future__ import annotations

from django.db import transaction

from .city_regions import CityIndex
from .models import Organisation, Region


def city_index() -> CityIndex:
    return CityIndex(Region.objects.filter(level=3).values_list("code", "name"))


def region_from_city(country: str, city: str, index: CityIndex | None = None) -> Region | None:
    """The region a city names, where the data allow."""
    code = (index or city_index()).region_of(country, city)
    return Region.objects.filter(code=code).first() if code else None


def fill_regions_from_cities(*, dry_run: bool = False) -> tuple[int, int]:
    """Give every organisation without a region the one its city names; returns (set,
    looked at). Nothing is changed with `dry_run`."""
    index = city_index()
    codes = dict(Region.objects.filter(level=3).values_list("code", "pk"))
    missing = Organisation.objects.filter(region__isnull=True).exclude(city="")
    updates: dict[int, list[int]] = {}
    looked = 0
    for pk, country, city in missing.values_list("pk", "country", "city").iterator():
        looked += 1
        code = index.region_of(country, city)
        if code:
            updates.setdefault(codes[code], []).append(pk)
    if not dry_run:
        with transaction.atomic():
            for region_id, pks in updates.items():
                for start in range(0, len(pks), 500):
                    Organisation.objects.filter(pk__in=pks[start : start + 500]).update(
                        region_id=region_id
                    )
    return sum(len(pks) for pks in updates.values()), looked
