"""Import EU call topics (Funding & Tenders portal) into Open calls, idempotently.

The file holds concatenated JSON objects (optionally gzip-compressed, with a byte-order
mark). Every record is checked first; if one is wrong nothing is imported. A topic is
identified by its `topicId`: importing the same file again changes nothing.
"""

import datetime as dt
import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import OpenCall, Status
from .mojibake import repair

SOURCE = "eu-calls"
FUNDER = "European Commission"
TEXT_FIELDS = ("title", "programme", "description", "keywords", "cluster", "callTitle")


@dataclass
class ImportReport:
    records: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    repaired: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_records(data: bytes) -> list[dict]:
    """The JSON objects of the file, in order; raises ValueError naming the position."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    text = data.decode("utf-8-sig")
    decoder = json.JSONDecoder()
    records: list[dict] = []
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            return records
        try:
            record, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise ValueError(
                _("record %(n)s: not valid JSON (%(reason)s).")
                % {"n": len(records) + 1, "reason": error.msg}
            ) from error
        if not isinstance(record, dict):
            raise ValueError(_("record %(n)s: not a JSON object.") % {"n": len(records) + 1})
        records.append(record)


def _amount(value, name: str, errors: list[str]) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        errors.append(
            _("%(field)s: “%(value)s” is not an amount.") % {"field": name, "value": value}
        )
        return None
    return Decimal(int(value))


def _fields(record: dict) -> tuple[dict, list[str], int]:
    """The OpenCall fields of a record, its problems, and how many texts were repaired."""
    errors: list[str] = []
    reference = str(record.get("topicId") or "").strip()
    if not reference:
        errors.append(_("topicId: missing."))
    texts = {}
    repaired = 0
    for name in TEXT_FIELDS:
        value = record.get(name) or ""
        if not isinstance(value, str):
            errors.append(_("%(field)s: not a text.") % {"field": name})
            value = ""
        fixed = repair(value)
        repaired += fixed != value
        texts[name] = fixed.strip()
    if not texts["title"]:
        errors.append(_("title: missing."))
    deadline = None
    if record.get("deadline"):
        try:
            deadline = dt.date.fromisoformat(str(record["deadline"])[:10])
        except ValueError:
            errors.append(
                _("deadline: “%(value)s” is not a date (YYYY-MM-DD).")
                % {"value": record["deadline"]}
            )
    per_grant = _amount(record.get("budgetMax"), "budgetMax", errors)
    grants = record.get("expectedGrants")
    budget = per_grant * grants if per_grant is not None and isinstance(grants, int) else None
    programme = texts["programme"]
    if texts["cluster"]:
        programme = f"{programme} · {texts['cluster']}"
    description = texts["description"]
    if texts["callTitle"] and texts["callTitle"] not in description:
        description = f"{texts['callTitle']}\n\n{description}"
    fields = {
        "reference": reference,
        "funder": FUNDER,
        "programme": programme[:200],
        "title": texts["title"][:500],
        "description": description,
        "keywords": texts["keywords"][:1000],
        "budget": budget,
        "funding_per_beneficiary": per_grant,
        "deadline": deadline,
        "url": str(record.get("portalUrl") or "")[:500],
        "source": SOURCE,
    }
    return fields, errors, repaired


def import_eu_calls(path: Path, progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Check every record of the file, then create or update the calls in one transaction."""
    report = ImportReport()
    try:
        records = read_records(Path(path).read_bytes())
    except (OSError, ValueError, UnicodeDecodeError) as error:
        report.errors.append(f"{Path(path).name}: {error}")
        return report
    report.records = len(records)
    prepared: list[dict] = []
    seen: dict[str, int] = {}
    for number, record in enumerate(records, start=1):
        fields, errors, repaired = _fields(record)
        report.repaired += repaired
        if fields["reference"] in seen:
            errors.append(
                _("topicId: “%(ref)s” repeats record %(first)s.")
                % {"ref": fields["reference"], "first": seen[fields["reference"]]}
            )
        seen.setdefault(fields["reference"], number)
        report.errors += [
            _("record %(n)s (%(ref)s): %(error)s")
            % {"n": number, "ref": fields["reference"] or "?", "error": error}
            for error in errors
        ]
        prepared.append(fields)
    if report.errors:
        return report
    existing = {c.reference: c for c in OpenCall.objects.filter(reference__in=list(seen))}
    with transaction.atomic():
        for done, fields in enumerate(prepared, start=1):
            call = existing.get(fields["reference"])
            if call is None:
                call = OpenCall(**fields, status=Status.PUBLISHED, published_at=timezone.now())
                call.save()
                report.created += 1
            elif any(getattr(call, name) != value for name, value in fields.items()):
                for name, value in fields.items():
                    setattr(call, name, value)
                call.save()
                report.updated += 1
            else:
                report.unchanged += 1
            if progress:
                progress(done, len(prepared))
    return report


__all__ = ["ImportReport", "import_eu_calls", "read_records"]
