"""What a confidential need's anonymised summary says about its owner: never enough to single
it out.

The summary names the owner's sector and place only as precisely as at least
`MIN_PROFILES` profiles share it. Every profile is given a disclosure by one fixed
ladder, from the most precise to nothing:

1. sector and country;
2. sector and part of Europe (Northern, Western, Southern, Eastern Europe, or
   "outside Europe");
3. sector and "Europe" / "outside Europe";
4. part of Europe only;
5. "Europe" / "outside Europe" only;
6. nothing.

At each step the profiles not placed yet are grouped by what the step would show; a
group of at least `MIN_PROFILES` profiles is placed there, the others go down one step.
When fewer than `MIN_PROFILES` profiles reach the last step, a group placed earlier
that can spare them gives its newest profiles (it keeps `MIN_PROFILES`), or else a whole
group joins them (the smallest of the most general first). Sector and country of a
profile are public, so anyone can compute this partition: what matters is that every
summary is shown for at least `MIN_PROFILES` profiles, and it is (when the platform has
that many profiles at all).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from clusterbroker.registry.countries import country_name

from .models import Profile

MIN_PROFILES = 5

NORTHERN = {"AX", "DK", "EE", "FI", "FO", "GB", "GG", "IE", "IM", "IS", "JE", "LT", "LV"}
NORTHERN |= {"NO", "SE", "SJ"}
WESTERN = {"AT", "BE", "CH", "DE", "FR", "LI", "LU", "MC", "NL"}
SOUTHERN = {"AD", "AL", "BA", "CY", "ES", "GI", "GR", "HR", "IT", "ME", "MK", "MT", "PT"}
SOUTHERN |= {"RS", "SI", "SM", "VA"}
EASTERN = {"BG", "BY", "CZ", "HU", "MD", "PL", "RO", "RU", "SK", "UA"}
PARTS_OF_EUROPE = {"north": NORTHERN, "west": WESTERN, "south": SOUTHERN, "east": EASTERN}


def part_of_europe(country: str) -> str:
    """`north`, `west`, `south`, `east` or `outside` (also for an unknown code)."""
    for part, countries in PARTS_OF_EUROPE.items():
        if country in countries:
            return part
    return "outside"


def continent(country: str) -> str:
    return "outside" if part_of_europe(country) == "outside" else "europe"


def area_label(level: str, value: str) -> str:
    """The words shown for a place at `level` (country, part or continent)."""
    if level == "country":
        return country_name(value)
    labels = {
        "north": _("Northern Europe"),
        "west": _("Western Europe"),
        "south": _("Southern Europe"),
        "east": _("Eastern Europe"),
        "europe": _("Europe"),
        "outside": _("outside Europe"),
    }
    return labels.get(value, "")


@dataclass(frozen=True)
class Disclosure:
    """What a non-keeper learns about a confidential need's owner."""

    sector: str = ""  # "" when the sector is not shown
    country: str = ""  # the ISO code, only when the country itself is shown
    area: str = ""  # the place in words: a country, a part of Europe, Europe, or nothing


NOTHING = Disclosure()


@dataclass(frozen=True)
class _Row:
    pk: int
    sector: str  # as written
    country: str

    @property
    def sector_key(self) -> str:
        return " ".join(self.sector.split()).casefold()


# A step: the key that groups profiles, or None when the step cannot show this profile.
_Step = Callable[[_Row], tuple | None]
STEPS: list[tuple[str, _Step]] = [
    ("sector+country", lambda r: (r.sector_key, "country", r.country)),
    ("sector+part", lambda r: (r.sector_key, "part", part_of_europe(r.country))),
    ("sector+continent", lambda r: (r.sector_key, "continent", continent(r.country))),
    ("part", lambda r: ("", "part", part_of_europe(r.country))),
    ("continent", lambda r: ("", "continent", continent(r.country))),
]


def partition(rows: Iterable[tuple[int, str, str]], k: int = MIN_PROFILES) -> dict[int, tuple]:
    """The group key of every profile `(pk, sector, country)`; each group has at least `k`
    profiles unless there are fewer than `k` profiles in all. The last group's key is ()."""
    remaining = [_Row(pk, sector or "", country or "") for pk, sector, country in rows]
    placed: list[tuple[int, tuple, list[_Row]]] = []  # (step, key, members)
    for number, (_name, step) in enumerate(STEPS):
        groups: dict[tuple, list[_Row]] = defaultdict(list)
        for row in remaining:
            groups[step(row)].append(row)
        remaining = []
        for key, members in groups.items():
            if len(members) >= k:
                placed.append((number, key, members))
            else:
                remaining.extend(members)
    while remaining and len(remaining) < k and placed:
        missing = k - len(remaining)
        spare = [i for i, (_n, _k, members) in enumerate(placed) if len(members) - missing >= k]
        if spare:
            # A group large enough gives its newest profiles and keeps `k` itself.
            index = max(spare, key=lambda i: (placed[i][0], len(placed[i][2])))
            number, key, members = placed[index]
            members = sorted(members, key=lambda row: row.pk)
            placed[index] = (number, key, members[:-missing])
            remaining.extend(members[-missing:])
        else:
            # The smallest of the most general groups joins the last one whole.
            index = min(range(len(placed)), key=lambda i: (-placed[i][0], len(placed[i][2])))
            remaining.extend(placed.pop(index)[2])
    out = {row.pk: key for _number, key, members in placed for row in members}
    out.update({row.pk: () for row in remaining})
    return out


def disclosures(
    rows: Iterable[tuple[int, str, str]], k: int = MIN_PROFILES
) -> dict[int, Disclosure]:
    """What the anonymised summary shows of each profile `(pk, sector, country)`."""
    rows = list(rows)
    keys = partition(rows, k)
    spellings: dict[tuple, Counter] = defaultdict(Counter)
    for pk, sector, _country in rows:
        spellings[keys[pk]][" ".join((sector or "").split())] += 1
    out = {}
    for pk, _sector, _country in rows:
        key = keys[pk]
        if not key:
            out[pk] = NOTHING
            continue
        sector_key, level, place = key
        # The group's most common spelling: the owner's own capitals would single it out.
        sector = ""
        if sector_key:
            counts = spellings[key]
            sector = min(counts, key=lambda s: (-counts[s], s))
        out[pk] = Disclosure(
            sector=sector,
            country=place if level == "country" else "",
            area=area_label(level, place),
        )
    return out


def profile_disclosures() -> dict[int, Disclosure]:
    """The disclosure of every profile, by profile id (one query; call once per request)."""
    return disclosures(Profile.objects.values_list("pk", "sector", "organisation__country"))
