"""Import organisations from a CSV or XLSX table: validate every row, then write all or nothing.

Columns (header names, case-insensitive; only `name` and `country` are required):
name, acronym, type, size_class, country, nuts_code, region_name, city, website,
description, year_founded, member_count, sme_member_count, main_thematic, competences.

`competences` lists terms as `taxonomy:code`, separated by `;`, each optionally
with a level: `effra:D1=leading; effra:D3`. `contact_email` (with `contact_name`) invites
that person to become the organisation's editor, when the importer may invite there (an
organisation the import creates, or one they may invite to: see invitations/rules.py); a
contact who is already an editor is left alone. An existing organisation with the same
name and country (or the same `slug`, when that column is given) is updated, but only
if the importer may change it (a row matching anyone else's organisation is refused with
the reason); a column the file leaves out leaves that field as it is. Every problem of the
file is reported in one round, and nothing is written unless there is none.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusterbroker.registry import permissions
from clusterbroker.registry.countries import normalise_country
from clusterbroker.registry.models import (
    NUMBER_FIELDS,
    Competence,
    CompetenceLevel,
    Organisation,
    OrganisationKind,
    Region,
    SizeClass,
    Term,
)
from clusterbroker.registry.slugs import unique_slug

from .tabular import Table

COLUMNS = [
    "slug",
    "name",
    "acronym",
    "type",
    "size_class",
    "country",
    "nuts_code",
    "region_name",
    "city",
    "website",
    "description",
    "year_founded",
    "member_count",
    "sme_member_count",
    "main_thematic",
    "competences",
]
# Import only (an export leaves them out): a contact to invite as the organisation's editor.
CONTACT_COLUMNS = ["contact_email", "contact_name"]
TEXT_FIELDS = ["acronym", "city", "website", "description", "main_thematic"]
# Model field → the column that carries it, so that model errors name the column.
FIELD_COLUMNS = {"kind": "type", "region": "nuts_code"}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return _("row %(row)s, column “%(column)s”: %(reason)s") % {
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
        }


@dataclass
class ImportReport:
    source: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    invitations: int = 0  # contacts invited (or invited again) to be editors
    duplicates: int = 0  # pairs of organisations proposed as probably the same
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _ValidRow:
    number: int
    organisation: Organisation
    region: tuple[str, str, str] | None  # code, name, country
    competences: list[tuple[Term, str]]
    contact: tuple[str, str] | None = None  # e-mail, name: to invite as editor


ProgressCallback = Callable[[int, int], None]
# Counts held in the database's integer column (and far above any real organisation).
MAX_COUNT = 2_147_483_647


def _whole_number(raw: str) -> int:
    """A count written as 120, 1 200, 120.0 or 1.2e2; refuses fractions, infinities and
    numbers beyond the column's range."""
    try:
        number = Decimal(raw)
    except InvalidOperation as error:
        raise ValueError(_("“%(value)s” is not a whole number") % {"value": raw}) from error
    if not number.is_finite() or number != number.to_integral_value():
        raise ValueError(_("“%(value)s” is not a whole number") % {"value": raw})
    if not 0 <= number <= MAX_COUNT:
        raise ValueError(
            _("“%(value)s” is out of range (0 to %(max)s)") % {"value": raw, "max": MAX_COUNT}
        )
    return int(number)


def _choice(value: str, choices: type) -> str:
    wanted = value.strip().lower()
    for code, label in choices.choices:
        if wanted in (code, str(label).lower()) or str(label).lower().startswith(wanted + " ("):
            return code
    allowed = ", ".join(code for code, _ in choices.choices)
    raise ValidationError(
        _("unknown value “%(value)s”; use one of: %(allowed)s")
        % {"value": value, "allowed": allowed}
    )


def _competences(value: str, terms: dict[str, Term]) -> list[tuple[Term, str]]:
    result = []
    for item in filter(None, (part.strip() for part in value.split(";"))):
        key, _sep, level = item.partition("=")
        term = terms.get(key.strip())
        if term is None:
            raise ValidationError(
                _("unknown term “%(term)s”; write taxonomy:code, e.g. effra:D1")
                % {"term": key.strip()}
            )
        level = level.strip().lower() or CompetenceLevel.LISTED
        if level not in CompetenceLevel.values:
            raise ValidationError(
                _("unknown level “%(level)s” for %(term)s") % {"level": level, "term": key.strip()}
            )
        result.append((term, level))
    return result


def _validate_row(
    number: int,
    row: dict[str, str],
    header: set[str],
    terms: dict[str, Term],
    errors: list[RowError],
    user=None,
) -> _ValidRow | None:
    """Check one row; every problem of the row is reported. `user` None is the operator
    running the command line, who may change every organisation."""
    before = len(errors)

    def fail(column: str, reason: str) -> None:
        errors.append(RowError(number, column, reason))

    name = row.get("name", "")
    if not name:
        fail("name", _("a name is required"))
    country = ""
    try:
        country = normalise_country(row.get("country", ""))
    except ValidationError as error:
        fail("country", " ".join(error.messages))
    values: dict = {name_: row.get(name_, "") for name_ in TEXT_FIELDS if name_ in header}
    for column in NUMBER_FIELDS:
        if column not in header:
            continue
        raw = row.get(column, "").replace(" ", "")
        try:
            values[column] = _whole_number(raw) if raw else None
        except ValueError as error:
            fail(column, str(error))
    existing = _existing(row, name, country)
    if existing is not None and user is not None:
        if not permissions.can_edit_organisation(user, existing):
            fail(
                "slug" if row.get("slug") else "name",
                _(
                    "matches the existing organisation “%(name)s” (%(slug)s), which you may "
                    "not change; leave this row out, or ask its editors to change it"
                )
                % {"name": existing.name, "slug": existing.slug},
            )
    if "type" in header or existing is None:
        try:
            values["kind"] = _choice(row.get("type", "") or "other", OrganisationKind)
        except ValidationError as error:
            fail("type", error.messages[0])
    if "size_class" in header:
        values["size_class"] = ""
        if row.get("size_class"):
            try:
                values["size_class"] = _choice(row["size_class"], SizeClass)
            except ValidationError as error:
                fail("size_class", error.messages[0])
    competences: list[tuple[Term, str]] = []
    try:
        competences = _competences(row.get("competences", ""), terms)
    except ValidationError as error:
        fail("competences", error.messages[0])
    region = None
    if row.get("nuts_code"):
        region = (row["nuts_code"].upper(), row.get("region_name") or row["nuts_code"], country)
    organisation = existing or Organisation()
    for key, value in values.items():
        setattr(organisation, key, value)
    organisation.name, organisation.country = name, country
    failed = {e.column for e in errors[before:]}
    try:
        organisation.full_clean(exclude=["slug", "region"])
    except ValidationError as error:
        for field_name, messages in error.message_dict.items():
            column = FIELD_COLUMNS.get(field_name, field_name)
            if column not in failed:
                fail(column, " ".join(messages))
    contact = _contact(row, existing, user, fail)
    if len(errors) > before:
        return None
    return _ValidRow(number, organisation, region, competences, contact)


def _contact(row: dict[str, str], existing: Organisation | None, user, fail):
    """The contact to invite as the organisation's editor, or None; a problem is a row error
    (a bad address, an organisation the importer may not invite to)."""
    from clusterbroker.invitations import rules as invitation_rules
    from clusterbroker.invitations import services as invitations

    raw = row.get("contact_email", "")
    if not raw:
        return None
    try:
        email = invitations.normalise_email(raw)
        name = invitations.clean_name(row.get("contact_name", ""))
    except ValidationError as error:
        fail("contact_email", error.messages[0])
        return None
    if existing is None:
        return (email, name)  # the importer creates it, and may name its first editor
    if invitations.holds_role(email, existing):
        return None
    try:
        invitation_rules.check_invite(user, existing)
    except invitation_rules.Refused as error:
        fail("contact_email", error.reason)
        return None
    return (email, name)


def _existing(row: dict[str, str], name: str, country: str) -> Organisation | None:
    """The organisation a row is about: by identifier when the row has a known one, else by
    name and country (an unknown identifier does not make a twin of a known organisation)."""
    if row.get("slug"):
        found = Organisation.objects.filter(slug=row["slug"]).first()
        if found is not None:
            return found
    if not name or not country:
        return None
    return Organisation.objects.filter(name__iexact=name, country=country).first()


def validate_table(
    table: Table, progress: ProgressCallback | None = None, user=None
) -> tuple[list[_ValidRow], list[RowError]]:
    """Check every row; nothing is written."""
    errors: list[RowError] = []
    if "name" not in table.header or "country" not in table.header:
        missing = [c for c in ("name", "country") if c not in table.header]
        return [], [
            RowError(1, c, _("required column is missing from the header")) for c in missing
        ]
    unknown = [h for h in table.header if h and h not in COLUMNS + CONTACT_COLUMNS]
    errors += [RowError(1, h, _("unknown column; see the list of columns")) for h in unknown]
    terms = {t.key: t for t in Term.objects.select_related("taxonomy")}
    header = set(table.header)
    valid, seen = [], {}
    for index, (number, row) in enumerate(table.rows, start=1):
        result = _validate_row(number, row, header, terms, errors, user)
        if result is not None:
            identity = (result.organisation.name.lower(), result.organisation.country)
            if identity in seen:
                errors.append(
                    RowError(
                        number,
                        "name",
                        _("same organisation as row %(row)s") % {"row": seen[identity]},
                    )
                )
            seen[identity] = number
            valid.append(result)
        if progress:
            progress(index, len(table.rows))
    return valid, errors


def import_organisations(
    table: Table, progress: ProgressCallback | None = None, user=None, base_url: str | None = None
) -> ImportReport:
    """Validate `table`; if every row is valid, create or update all its organisations, and
    invite the contacts of the `contact_email` column to be their editors.

    `user` is the person importing through a page: rows matching organisations they may not
    change are refused. The command line (`user` None) is run by the operator. `base_url`
    is the site's address for the links of the invitations."""
    report = ImportReport(source=table.source, rows=len(table.rows))
    valid, report.errors = validate_table(table, progress, user)
    if report.errors:
        return report
    with transaction.atomic():
        for item in valid:
            created = _write(item, report)
            if item.contact is not None:
                _invite_contact(item, created, user, base_url)
                report.invitations += 1
    from clusterbroker.registry.dedup.services import propose_for

    report.duplicates = propose_for(item.organisation.pk for item in valid)
    return report


def _invite_contact(item: _ValidRow, created: bool, user, base_url: str | None) -> None:
    from clusterbroker.invitations import services as invitations

    email, name = item.contact
    invitations.invite(
        user, email, name, item.organisation, base_url=base_url, new_organisation=created
    )


def _write(item: _ValidRow, report: ImportReport) -> bool:
    """Write one row; True when it created the organisation."""
    organisation = item.organisation
    is_new = organisation.pk is None
    if item.region:
        code, name, country = item.region
        organisation.region, _created = Region.objects.get_or_create(
            code=code, defaults={"name": name, "country": country}
        )
    if is_new:
        organisation.slug = unique_slug(Organisation, organisation.name)
    organisation.save()
    for term, level in item.competences:
        Competence.objects.update_or_create(
            organisation=organisation, term=term, defaults={"level": level}
        )
    if is_new:
        report.created += 1
    else:
        report.updated += 1
    return is_new
