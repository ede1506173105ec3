"""Import an event's participants from a CSV or XLSX file, all or nothing.

Columns (first row): `organisation` (identifier or name; a name not in the registry adds the
organisation, which then needs `country`), `contact_name`, `email` (both required),
`country`, `kind`, `sessions` (names or numbers separated by `;`, empty for every session),
`offers`, `needs`. Every row is checked before anything is written; each problem names the
file, the row, the column and the reason.
"""

from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusterbroker.importers.organisations import RowError
from clusterbroker.importers.tabular import Table
from clusterbroker.invitations.services import normalise_email
from clusterbroker.registry.countries import normalise_country
from clusterbroker.registry.models import Organisation, OrganisationKind

from .models import Event, Session
from .organising import (
    OnBehalf,
    RegisteredOnBehalf,
    account_with_address,
    new_organisation,
    register_on_behalf,
    tell_registered,
)
from .services import NewOrganisation

COLUMNS = [
    "organisation",
    "contact_name",
    "email",
    "country",
    "kind",
    "sessions",
    "offers",
    "needs",
]
ALIASES = {
    "organization": "organisation",
    "contact name": "contact_name",
    "contact": "contact_name",
    "name": "contact_name",
    "e-mail": "email",
    "mail": "email",
    "type": "kind",
    "session": "sessions",
}
REQUIRED = ("organisation", "contact_name", "email")


@dataclass(frozen=True)
class PlannedRow:
    """One row checked: whom it registers, for which organisation (an existing one, or one
    the import adds), and whether it updates a registration already there."""

    number: int
    organisation_name: str
    existing: Organisation | None
    new: NewOrganisation | None
    person: OnBehalf
    session_names: tuple[str, ...]
    updates: bool


@dataclass
class ImportPlan:
    source: str
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def messages(self) -> list[str]:
        """Each problem as a sentence that names the file, the row and the column."""
        return [f"{self.source}, {error}" for error in self.errors]


@dataclass
class ImportReport:
    source: str
    created: int = 0
    updated: int = 0
    organisations_added: int = 0
    invited: int = 0
    notified: int = 0


def _kind(raw: str) -> str:
    wanted = raw.strip().lower()
    if not wanted:
        return OrganisationKind.COMPANY
    for value, label in OrganisationKind.choices:
        if wanted in (value, str(label).lower()):
            return value
    raise ValidationError(
        _("unknown type “%(kind)s”; use one of %(kinds)s")
        % {"kind": raw[:40], "kinds": ", ".join(OrganisationKind.values)}
    )


def _sessions(event_sessions: list[Session], raw: str) -> list[Session]:
    """Sessions named by name or number (1 is the first), `;`-separated; empty: all."""
    wanted = [part.strip() for part in raw.replace(",", ";").split(";") if part.strip()]
    if not wanted:
        return list(event_sessions)
    chosen = []
    for part in wanted:
        by_name = [s for s in event_sessions if s.name.casefold() == part.casefold()]
        if part.isdigit() and 1 <= int(part) <= len(event_sessions):
            chosen.append(event_sessions[int(part) - 1])
        elif len(by_name) == 1:
            chosen.append(by_name[0])
        else:
            names = ", ".join(s.name or str(n) for n, s in enumerate(event_sessions, 1))
            raise ValidationError(
                _("no session “%(part)s” at this event; the sessions are %(names)s")
                % {"part": part[:40], "names": names}
            )
    return chosen


def find_organisation(key: str) -> tuple[Organisation | None, str]:
    """The organisation named by identifier or name; None and '' when none is (a new one);
    None and a reason when the name is ambiguous."""
    found = Organisation.objects.filter(slug=key).first()
    if found is not None:
        return found, ""
    named = list(Organisation.objects.filter(name__iexact=key)[:2])
    if len(named) > 1:
        return None, _(
            "several organisations are named “%(name)s”: write its identifier (%(slugs)s)"
        ) % {"name": key, "slugs": ", ".join(o.slug for o in named)}
    return (named[0] if named else None), ""


def _already_registered(event: Event, organisation: Organisation | None, email: str) -> bool:
    if organisation is None:
        return False
    account = account_with_address(email)
    mine = event.participants.filter(organisation=organisation)
    if account is not None:
        return mine.filter(user=account).exists()
    return mine.filter(user=None, email__iexact=email).exists()


def _header_errors(header: list[str]) -> list[RowError]:
    errors = [
        RowError(1, column, _("required column is missing from the header"))
        for column in REQUIRED
        if column not in header
    ]
    known = _("unknown column; the columns are %(columns)s") % {"columns": ", ".join(COLUMNS)}
    errors += [RowError(1, column, known) for column in header if column and column not in COLUMNS]
    return errors


def check_participants(event: Event, table: Table) -> ImportPlan:
    """Check every row of `table` for `event`; nothing is written."""
    header = [ALIASES.get(h, h) for h in table.header]
    plan = ImportPlan(source=table.source, errors=_header_errors(header))
    if any(e.row == 1 and e.column in REQUIRED for e in plan.errors):
        return plan
    if not table.rows:
        plan.errors.append(RowError(2, "organisation", _("the file has no rows below its header")))
    event_sessions = list(event.sessions.order_by("start"))
    seen: dict[tuple[str, str], int] = {}
    for number, raw_row in table.rows:
        row = {ALIASES.get(k, k): v.strip() for k, v in raw_row.items()}
        errors: list[RowError] = []

        def fail(column: str, reason: str, errors: list = errors, number: int = number) -> None:
            errors.append(RowError(number, column, reason))

        email = ""
        try:
            email = normalise_email(row.get("email", ""))
        except ValidationError as error:
            fail("email", error.messages[0] if row.get("email") else _("an e-mail is required"))
        contact_name = " ".join(row.get("contact_name", "").split())
        if not contact_name:
            fail("contact_name", _("the contact person's name is required"))
        elif len(contact_name) > 200:
            fail("contact_name", _("the name is longer than 200 characters"))
        sessions: list[Session] = []
        try:
            sessions = _sessions(event_sessions, row.get("sessions", ""))
        except ValidationError as error:
            fail("sessions", error.messages[0])
        if not sessions and not errors:
            fail("sessions", _("the event has no session yet: add its sessions first"))
        key = " ".join(row.get("organisation", "").split())
        existing, new, reason = None, None, ""
        if not key:
            fail("organisation", _("the organisation is required"))
        else:
            existing, reason = find_organisation(key)
            if reason:
                fail("organisation", reason)
        if key and existing is None and not reason:
            country = kind = ""
            try:
                country = normalise_country(row.get("country", ""))
            except ValidationError as error:
                fail(
                    "country",
                    _("“%(name)s” is not in the registry yet; %(reason)s")
                    % {"name": key[:80], "reason": error.messages[0]},
                )
            try:
                kind = _kind(row.get("kind", ""))
            except ValidationError as error:
                fail("kind", error.messages[0])
            new = NewOrganisation(name=key, kind=kind, country=country)
        if key and email:
            pair = (key.casefold(), email.lower())
            if pair in seen:
                fail(
                    "email",
                    _("same person and organisation as row %(row)s") % {"row": seen[pair]},
                )
            seen.setdefault(pair, number)
        plan.errors += errors
        if not errors:
            plan.rows.append(
                PlannedRow(
                    number=number,
                    organisation_name=existing.name if existing else key,
                    existing=existing,
                    new=new,
                    person=OnBehalf(
                        contact_name=contact_name,
                        email=email,
                        session_ids=tuple(s.pk for s in sessions),
                        offers=row.get("offers", ""),
                        needs=row.get("needs", ""),
                    ),
                    session_names=tuple(s.name or str(s) for s in sessions),
                    updates=_already_registered(event, existing, email),
                )
            )
    return plan


def import_participants(
    event: Event, organiser: AbstractBaseUser, table: Table, *, base_url: str | None = None
) -> tuple[ImportPlan, ImportReport | None]:
    """Check `table`, then register every row or none; people are told once all is saved
    (those without an account are invited). The report is None when the file has problems."""
    plan = check_participants(event, table)
    if not plan.ok:
        return plan, None
    report = ImportReport(source=table.source)
    done: list[tuple[RegisteredOnBehalf, bool]] = []
    added: dict[str, Organisation] = {}
    with transaction.atomic():
        for row in plan.rows:
            organisation, is_new = row.existing, False
            if organisation is None:
                name = row.new.name.casefold()
                is_new = True
                if name not in added:
                    added[name] = new_organisation(row.new)
                organisation = added[name]
            registered = register_on_behalf(event, organisation, row.person)
            done.append((registered, is_new))
            report.created += registered.created
            report.updated += not registered.created
    report.organisations_added = len(added)
    for registered, is_new in done:
        told = tell_registered(registered, organiser, new_organisation=is_new, base_url=base_url)
        report.invited += told.invited
        report.notified += told.notified
    return plan, report
