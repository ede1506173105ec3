"""Names of the Horizon 2020 organisations (CORDIS), given to the organisations known by PIC.

`clusterbroker import cordis-organisations organisations.csv.gz` reads one row per PIC
(columns pic, name, short_name, activity_type, country, city, url) and:

- names the organisations the participations import (`import cordis-participations`) left
  with a placeholder name (`PIC 999991043`): legal name, short name (as acronym when it is
  at most 50 characters and differs from the name), type, country, city and website;
- completes the organisations already named (by a person or an earlier run): only their
  empty acronym, city and website are filled, nothing they hold is overwritten;
- creates the organisations of PICs the registry does not know yet (named organisations that
  took part in Horizon 2020, linked to their PIC so that the participations import finds
  them instead of creating them again);
- gives each its PIC (and its web domain when the website is given) as identifiers.

An organisation is found by its PIC: first among the identifiers people entered, then among
the PICs of the participations import. Characters mis-decoded in the source ("√º" for "ü",
"Ã" is then left as it is) are repaired: the source's UTF-8 bytes were read as Mac Roman,
so each run of non-ASCII characters that reads as UTF-8 once written back in Mac Roman is
replaced by what it reads.

A row without PIC (the source has one) cannot be matched nor found again: it is skipped and
counted. All or nothing otherwise (every malformed row is listed with its line, and nothing
is written) and idempotent: a second run of the same file changes nothing and says so.
"""

from __future__ import annotations

import csv
import gzip
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from clusterbroker.brokering.cordis import TYPES, CordisFileError, _open_text
from clusterbroker.brokering.importers.cordis import KIND_OF_TYPE
from clusterbroker.brokering.models import CordisOrganisation
from clusterbroker.registry.countries import normalise_country
from clusterbroker.registry.identifiers import IdentifierError, normalise_domain
from clusterbroker.registry.models import IdentifierScheme, Organisation, OrganisationIdentifier
from clusterbroker.registry.slugs import RESERVED_SLUGS
from clusterbroker.web.text_rules import normalise_name, validate_name

from .dih_catalogue import _website

COLUMNS = ("pic", "name", "short_name", "activity_type", "country", "city", "url")
BATCH = 2000
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")

Progress = Callable[[int, int], None]


def repair_text(text: str) -> str:
    """The text with its Mac Roman mojibake undone ("M√ºnster" → "Münster"); text without
    any is returned as it is."""

    def one(match: re.Match) -> str:
        run = match.group()
        try:
            return run.encode("mac_roman").decode("utf-8")
        except UnicodeError:
            return run

    return _NON_ASCII.sub(one, text)


@dataclass(frozen=True)
class OrganisationRow:
    line: int
    pic: int
    name: str
    acronym: str
    type: str
    country: str
    city: str
    website: str
    repaired: bool


@dataclass
class NamesReport:
    rows: int = 0
    named: int = 0  # placeholder names replaced
    updated: int = 0  # already named, empty fields filled
    unchanged: int = 0
    created: int = 0  # PICs the registry did not know
    repaired: int = 0  # rows with mis-decoded characters repaired
    identifiers: int = 0  # PIC and domain identifiers added
    without_pic: int = 0  # rows skipped: no PIC to find or keep the organisation by
    duplicates: int = 0  # pairs of organisations proposed as probably the same

    @property
    def changed(self) -> int:
        return self.named + self.updated + self.created + self.identifiers


def _row(number: int, record: dict[str, str]) -> OrganisationRow:
    pic_text = (record["pic"] or "").strip()
    if not re.fullmatch(r"[0-9]{9}", pic_text):
        raise ValueError(f"pic {pic_text!r} is not 9 digits")
    raw = {k: (record[k] or "").strip() for k in ("name", "short_name", "city")}
    fixed = {k: normalise_name(repair_text(v)) for k, v in raw.items()}
    name = fixed["name"]
    if not name:
        raise ValueError("empty name")
    if len(name) > 255:
        raise ValueError("name longer than 255 characters")
    try:
        validate_name(name)
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from error
    kind = (record["activity_type"] or "").strip()
    if kind not in TYPES:
        raise ValueError(f"activity_type {kind!r} is not one of PRC, HES, REC, PUB, OTH")
    country = (record["country"] or "").strip()
    if country:
        try:
            country = normalise_country(country)
        except ValidationError as error:
            raise ValueError(f"country {country!r} is not an ISO 3166 code") from error
    acronym = fixed["short_name"]
    try:
        validate_name(acronym)
    except ValidationError:
        acronym = ""  # a short name that mixes alphabets is not worth refusing the file
    if len(acronym) > 50 or acronym.casefold() == name.casefold():
        acronym = ""
    return OrganisationRow(
        line=number,
        pic=int(pic_text),
        name=name,
        acronym=acronym,
        type=kind,
        country=country,
        city=fixed["city"][:120],
        website=_website(record["url"] or ""),
        repaired=fixed != {k: normalise_name(v) for k, v in raw.items()},
    )


def read_organisations(path: Path, skipped: list[int] | None = None) -> list[OrganisationRow]:
    """All rows of the file with a PIC (the line numbers of those without one are added to
    `skipped`); raises `CordisFileError` listing every bad row."""
    skipped = [] if skipped is None else skipped
    problems: list[str] = []
    rows: list[OrganisationRow] = []
    seen: dict[int, int] = {}
    try:
        with _open_text(path) as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise CordisFileError([f"{path.name}: missing column(s) {', '.join(missing)}."])
            for number, record in enumerate(reader, start=2):
                if not (record["pic"] or "").strip():
                    skipped.append(number)  # nothing to match it to, nothing to key it by
                    continue
                try:
                    row = _row(number, record)
                except (ValueError, TypeError, AttributeError) as error:
                    problems.append(f"{path.name}, line {number}: {error}")
                    continue
                if row.pic in seen:
                    problems.append(
                        f"{path.name}, line {number}: PIC {row.pic} is also on line {seen[row.pic]}"
                    )
                seen[row.pic] = number
                rows.append(row)
    except (OSError, EOFError, gzip.BadGzipFile, UnicodeDecodeError, csv.Error) as error:
        raise CordisFileError([f"{path.name}: cannot be read ({error})."]) from error
    if problems:
        raise CordisFileError(problems)
    return rows


def import_cordis_organisations(path: Path, progress: Progress | None = None) -> NamesReport:
    """Read and check the file, then write everything in one transaction (or nothing)."""
    skipped: list[int] = []
    rows = read_organisations(path, skipped)
    with transaction.atomic():
        report = _write(rows, progress or (lambda done, total: None))
    report.without_pic = len(skipped)
    if report.changed:  # the named organisations may be the same as some entered by hand
        from clusterbroker.registry.dedup.services import propose_for

        report.duplicates = propose_for(None)
    return report


def _known_pics() -> dict[int, int]:
    """PIC → organisation id: the PIC identifiers first, then the participations' PICs."""
    by_pic = dict(CordisOrganisation.objects.values_list("pic", "organisation_id"))
    for value, organisation_id in OrganisationIdentifier.objects.filter(
        scheme=IdentifierScheme.PIC
    ).values_list("value", "organisation_id"):
        by_pic[int(value)] = organisation_id
    return by_pic


def _complete(organisation: Organisation, row: OrganisationRow) -> bool:
    """Fill the organisation from the row (see the module's docstring); True if it changed."""
    before = (
        organisation.name,
        organisation.acronym,
        organisation.kind,
        organisation.country,
        organisation.city,
        organisation.website,
    )
    if organisation.name == f"PIC {row.pic}":
        organisation.name = row.name
        organisation.acronym = row.acronym
        organisation.kind = KIND_OF_TYPE[row.type]
        organisation.country = row.country or organisation.country
        organisation.city = row.city or organisation.city
        organisation.website = row.website or organisation.website
    else:
        organisation.acronym = organisation.acronym or row.acronym
        organisation.city = organisation.city or row.city
        organisation.website = organisation.website or row.website
    after = (
        organisation.name,
        organisation.acronym,
        organisation.kind,
        organisation.country,
        organisation.city,
        organisation.website,
    )
    return after != before


def _write(rows: list[OrganisationRow], progress: Progress) -> NamesReport:
    report = NamesReport(rows=len(rows), repaired=sum(r.repaired for r in rows))
    by_pic = _known_pics()
    known = [row for row in rows if row.pic in by_pic]
    organisations = Organisation.objects.in_bulk([by_pic[row.pic] for row in known])
    changed: list[Organisation] = []
    now = timezone.now()
    for done, row in enumerate(known, start=1):
        organisation = organisations[by_pic[row.pic]]
        was_placeholder = organisation.name == f"PIC {row.pic}"
        if _complete(organisation, row):
            organisation.updated_at = now
            changed.append(organisation)
            if was_placeholder:
                report.named += 1
            else:
                report.updated += 1
        else:
            report.unchanged += 1
        if done % BATCH == 0:
            progress(done, len(rows))
    _save_changes(changed)
    created = _create([row for row in rows if row.pic not in by_pic], by_pic)
    report.created = len(created)
    organisations.update(created)
    report.identifiers = _identifiers(organisations)
    progress(len(rows), len(rows))
    return report


UPDATED_FIELDS = ("name", "acronym", "kind", "country", "city", "website", "updated_at")


def _save_changes(changed: list[Organisation]) -> None:
    """Write the changed fields, one prepared UPDATE per organisation sent in batches (much
    faster than `bulk_update`'s CASE expressions on 16,000 rows), and their history."""
    if not changed:
        return
    fields = [Organisation._meta.get_field(name) for name in UPDATED_FIELDS]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(Organisation._meta.db_table)} SET {assignments} WHERE id = %s"
    with connection.cursor() as cursor:
        for start in range(0, len(changed), BATCH):
            cursor.executemany(
                sql,
                [
                    [f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields] + [o.pk]
                    for o in changed[start : start + BATCH]
                ],
            )
    Organisation.history.bulk_history_create(
        changed, batch_size=BATCH, update=True, default_change_reason="CORDIS organisation names"
    )


def _free_slugs(rows: list[OrganisationRow]) -> list[str]:
    """A slug per row from its name, unused and distinct (`name`, `name-2` …)."""
    taken = set(Organisation.objects.values_list("slug", flat=True)) | RESERVED_SLUGS
    slugs = []
    for row in rows:
        base = slugify(row.name)[:100] or f"pic-{row.pic}"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _create(rows: list[OrganisationRow], by_pic: dict[int, int]) -> dict[int, Organisation]:
    """The organisations of PICs not known yet, created with their PIC link; by id."""
    created: dict[int, Organisation] = {}
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        organisations = Organisation.objects.bulk_create(
            [
                Organisation(
                    slug=slug,
                    name=row.name,
                    acronym=row.acronym,
                    kind=KIND_OF_TYPE[row.type],
                    country=row.country,
                    city=row.city,
                    website=row.website,
                )
                for row, slug in zip(batch, _free_slugs(batch), strict=True)
            ]
        )
        CordisOrganisation.objects.bulk_create(
            [
                CordisOrganisation(pic=row.pic, organisation=o, cordis_type=row.type)
                for row, o in zip(batch, organisations, strict=True)
            ]
        )
        for row, organisation in zip(batch, organisations, strict=True):
            by_pic[row.pic] = organisation.pk
            created[organisation.pk] = organisation
    return created


def _domain(website: str) -> str:
    try:
        return normalise_domain(website) if website else ""
    except IdentifierError:
        return ""


def _identifiers(organisations: dict[int, Organisation]) -> int:
    """Add its PIC to every organisation known by one (named by the file or not) and the
    website's domain to those of the file; how many were added. An organisation that already
    has a code of the scheme keeps it, and a code another organisation holds stays with it."""
    held = set(OrganisationIdentifier.objects.values_list("scheme", "value"))
    has = set(OrganisationIdentifier.objects.values_list("organisation_id", "scheme"))
    new: list[OrganisationIdentifier] = []

    def add(organisation_id: int, scheme: str, value: str) -> None:
        if value and (scheme, value) not in held and (organisation_id, scheme) not in has:
            held.add((scheme, value))
            has.add((organisation_id, scheme))
            new.append(
                OrganisationIdentifier(organisation_id=organisation_id, scheme=scheme, value=value)
            )

    for pic, organisation_id in CordisOrganisation.objects.values_list("pic", "organisation_id"):
        add(organisation_id, IdentifierScheme.PIC, f"{pic:09d}")
    for organisation in organisations.values():
        add(organisation.pk, IdentifierScheme.DOMAIN, _domain(organisation.website))
    OrganisationIdentifier.objects.bulk_create(new, batch_size=BATCH)
    return len(new)


__all__ = [
    "NamesReport",
    "OrganisationRow",
    "import_cordis_organisations",
    "read_organisations",
    "repair_text",
]
