"""An organisation's NUTS region from its city, where the data allow: the level-3 regions of
NUTS 2021 are mostly provinces, districts and large cities named after their seat ("Torino",
"Arr. Gent", "Städteregion Aachen", "Stuttgart, Stadtkreis"), so a city whose name appears as
whole words in exactly one level-3 region of its country is placed there. Other cities
("Eindhoven", "Lyon", "Tampere") name no region: the region is then chosen by hand."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from .maps import EUROSTAT_CODES


def words(text: str) -> tuple[str, ...]:
    """Lower case, accents removed, split on anything but letters and digits."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return tuple(re.findall(r"[a-z0-9]+", plain.lower()))


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


class CityIndex:
    """The level-3 regions of each country by the words of their names."""

    def __init__(self, regions: Iterable[tuple[str, str]]) -> None:
        """`regions`: (code, name) of level-3 regions."""
        self._by_country: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
        for code, name in regions:
            self._by_country[code[:2]].append((code, words(name)))

    def region_of(self, country: str, city: str) -> str | None:
        """The code of the one level-3 region whose name holds the city's name; None when
        there is none, or more than one."""
        needle = words(city)
        if not needle or not country:
            return None
        country = EUROSTAT_CODES.get(country.upper(), country.upper())
        found = [
            code for code, name in self._by_country.get(country, ()) if _contains(name, needle)
        ]
        return found[0] if len(found) == 1 else None
