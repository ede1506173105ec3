"""Import EU call topics (Funding & Tenders portal) into Open calls, idempotently.

The file holds concatenated JSON objects (optionally gzip-compressed, with a byte-order
mark). Every record is checked first; if one is wrong nothing is imported. A topic is
identified by its `topicId`: importing the same file again changes nothing.
"""

import datetime as dt
import gzip
import json
import re
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


# The portal's texts are HTML with the tags stripped: paragraphs run into each other
# ("science.In this topic"), headings stick to their text ("Scope:The"), and an empty
# paragraph left the word "null" ("nullActivities are expected").
HEADINGS = (
    "Expected Outcomes",
    "Expected Outcome",
    "Expected Impact",
    "Specific objectives",
    "Entrusted tasks",
    "Objective",
    "Scope",
)
_NULL = re.compile(r"(?<![A-Za-z])null(?=[A-Z])")
_HEADING = re.compile(r"\s*(?<![a-z])(" + "|".join(HEADINGS) + r"):\s*")
_RUN_ON = re.compile(r"([a-z)]{2})\.(?=[A-Z][a-z])")
STATUSES = {"open": "open", "forthcoming": "forthcoming", "closed": "closed"}


def tidy_text(text: str) -> str:
    """The portal's stripped HTML as readable paragraphs (see the patterns above)."""
    text = _NULL.sub("\n\n", text)
    text = _HEADING.sub(lambda m: f"\n\n{m.group(1)}: ", text)
    text = _RUN_ON.sub("\\1.\n\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


@dataclass
class ImportReport:
    records: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    repaired: int = 0
    # Topics of different calls with the same title, told apart by their call.
    disambiguated: int = 0
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
    description = tidy_text(texts["description"])
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
        "source_status": STATUSES.get(str(record.get("callStatus") or "").strip().lower(), ""),
    }
    return fields, errors, repaired


def _disambiguate(prepared: list[dict], records: list[dict]) -> int:
    """Topics that share a title (a topic run again in next year's call, the same topic
    under two programmes) get their call's identifier after the title, or their own topic
    id where that is shared too, so that lists tell them apart. Returns how many titles
    were changed."""
    changed: set[int] = set()
    for suffix in (
        lambda i: str(records[i].get("callIdentifier") or "").strip(),
        lambda i: prepared[i]["reference"],
    ):
        by_title: dict[str, list[int]] = {}
        for i, fields in enumerate(prepared):
            by_title.setdefault(fields["title"].casefold(), []).append(i)
        for indices in by_title.values():
            if len(indices) < 2:
                continue
            for i in indices:
                original = records[i].get("title", "").strip() or prepared[i]["title"]
                extra = suffix(i) or prepared[i]["reference"]
                changed.add(i)
                prepared[i]["title"] = f"{repair(original)} ({extra})"[:500]
    return len(changed)


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
    report.disambiguated = _disambiguate(prepared, records)
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
