"""Reading the CORDIS Horizon 2020 participation files: plain rows, checked, with line numbers.

No database here: the import (`importers/cordis.py`) and the benchmark both read
the files through these functions.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
from dataclasses import dataclass
from pathlib import Path

from clusterbroker.registry.countries import EU_ALIASES  # CORDIS writes GR and GB as EL, UK

PARTICIPATION_COLUMNS = ("rcn", "role", "pic", "type", "country", "start_date", "end_date")
ROLES = {"coordinator", "participant", "partner"}
TYPES = {"PRC", "HES", "REC", "PUB", "OTH", ""}


class CordisFileError(ValueError):
    """A file that cannot be read, or rows that are malformed (all of them are listed)."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ParticipationRow:
    line: int
    rcn: int
    role: str
    pic: int
    type: str
    country: str
    start: dt.date | None
    end: dt.date | None


def _open_text(path: Path) -> io.TextIOBase:
    raw = path.open("rb")
    if raw.read(2) == b"\x1f\x8b":
        raw.seek(0)
        return io.TextIOWrapper(gzip.GzipFile(fileobj=raw), encoding="utf-8", newline="")
    raw.seek(0)
    return io.TextIOWrapper(raw, encoding="utf-8", newline="")


MISSING = {"", "NA"}


def _date(value: str) -> dt.date | None:
    value = (value or "").strip()
    return None if value in MISSING else dt.date.fromisoformat(value)


def read_participations(
    path: Path, valid_countries: set[str] | None = None
) -> list[ParticipationRow]:
    """All rows of a participations file; raises `CordisFileError` listing every bad row."""
    problems: list[str] = []
    rows: list[ParticipationRow] = []
    try:
        with _open_text(path) as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in PARTICIPATION_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise CordisFileError([f"{path.name}: missing column(s) {', '.join(missing)}."])
            for number, record in enumerate(reader, start=2):
                try:
                    role = record["role"].strip()
                    if role not in ROLES:
                        raise ValueError(f"role {role!r} is not one of {', '.join(sorted(ROLES))}")
                    kind = (record["type"] or "").strip()
                    if kind not in TYPES:
                        raise ValueError(f"type {kind!r} is not one of PRC, HES, REC, PUB, OTH")
                    country = (record["country"] or "").strip().upper()
                    country = "" if country in MISSING else EU_ALIASES.get(country, country)
                    if country and valid_countries is not None and country not in valid_countries:
                        raise ValueError(f"country {record['country']!r} is not an ISO 3166 code")
                    rows.append(
                        ParticipationRow(
                            line=number,
                            rcn=int(record["rcn"]),
                            role=role,
                            pic=int(record["pic"]),
                            type=kind,
                            country=country,
                            start=_date(record["start_date"]),
                            end=_date(record["end_date"]),
                        )
                    )
                except (ValueError, TypeError, AttributeError) as error:
                    problems.append(f"{path.name}, line {number}: {error}")
    except (OSError, EOFError, gzip.BadGzipFile, UnicodeDecodeError, csv.Error) as error:
        raise CordisFileError([f"{path.name}: cannot be read ({error})."]) from error
    if problems:
        raise CordisFileError(problems)
    return rows


def read_programme_parts(path: Path) -> dict[int, str]:
    """rcn → programme part; raises `CordisFileError` listing every bad row."""
    problems: list[str] = []
    parts: dict[int, str] = {}
    try:
        with _open_text(path) as handle:
            reader = csv.DictReader(handle)
            if not {"rcn", "programme_part"} <= set(reader.fieldnames or []):
                raise CordisFileError([f"{path.name}: needs the columns rcn and programme_part."])
            for number, record in enumerate(reader, start=2):
                try:
                    part = (record["programme_part"] or "").strip()
                    if not part:
                        raise ValueError("empty programme_part")
                    parts[int(record["rcn"])] = part
                except (ValueError, TypeError) as error:
                    problems.append(f"{path.name}, line {number}: {error}")
    except (OSError, EOFError, gzip.BadGzipFile, UnicodeDecodeError, csv.Error) as error:
        raise CordisFileError([f"{path.name}: cannot be read ({error})."]) from error
    if problems:
        raise CordisFileError(problems)
    return parts
