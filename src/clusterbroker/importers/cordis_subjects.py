"""The CORDIS subject index codes (ROB "Robotics", MAT "Materials Technology" …) as a taxonomy.

`clusterbroker import cordis-subjects FILE.csv` reads the CORDIS reference file of subject
codes: semicolon-separated, UTF-8 (a byte-order mark is allowed), columns
`code;title;description;language`, one row per code and language. It creates or updates the
taxonomy `cordis-subjects` with one term per code: the English title and description are the
term's `label` and `description`, the other languages go to `labels` and `descriptions`
({language code: text}), so that pages show the official title in the reader's language.

All or nothing: a missing column, an empty code or title, a code without an English title or
a code given twice in one language names the row and nothing is written. Idempotent: a
second run changes nothing and says so. Terms already there and absent from the file are
kept (competences may refer to them).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from clusterbroker.registry.models import Taxonomy, Term

TAXONOMY_CODE = "cordis-subjects"
TAXONOMY_NAME = "CORDIS subject index codes"
TAXONOMY_SOURCE = "CORDIS reference data (European Commission), subject index codes"
# The taxonomy's name in the site's other languages (the terms' come from the file).
TAXONOMY_NAMES = {
    "fr": "Codes thématiques CORDIS",
    "de": "CORDIS-Themencodes",
    "it": "Codici tematici CORDIS",
    "es": "Códigos temáticos de CORDIS",
    "ca": "Codis temàtics de CORDIS",
    "pt": "Códigos temáticos do CORDIS",
    "ro": "Coduri tematice CORDIS",
    "nl": "CORDIS-onderwerpcodes",
    "fi": "CORDIS-aihekoodit",
    "et": "CORDISe teemakoodid",
}
COLUMNS = ("code", "title", "description", "language")
ENGLISH = "en"
_CODE = re.compile(r"^[A-Z0-9]{2,10}$")
_LANGUAGE = re.compile(r"^[a-z]{2}(-[a-z0-9]{2,8})?$")


class CordisSubjectsError(ValueError):
    """The file has problems; nothing was imported."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Subject:
    code: str
    label: str = ""
    description: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)


@dataclass
class SubjectsReport:
    subjects: int = 0
    languages: tuple[str, ...] = ()
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())


def read_subjects(content: bytes | str) -> list[Subject]:
    """The subjects of a CORDIS subject-code file, in file order; raises
    `CordisSubjectsError` naming each problem."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise CordisSubjectsError([f"not UTF-8 text ({error})."]) from error
    content = content.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(content, newline=""), delimiter=";")
    header = [_clean(name).lower() for name in reader.fieldnames or []]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise CordisSubjectsError([f"missing column(s): {', '.join(missing)}."])
    reader.fieldnames = header
    problems: list[str] = []
    subjects: dict[str, Subject] = {}
    seen: set[tuple[str, str]] = set()
    for number, row in enumerate(reader, start=2):
        code = _clean(row.get("code")).upper()
        language = _clean(row.get("language")).lower()
        title = _clean(row.get("title"))
        description = _clean(row.get("description"))
        where = f"row {number}"
        if not _CODE.match(code):
            problems.append(f"{where}: {code!r} is not a subject code.")
            continue
        if not _LANGUAGE.match(language):
            problems.append(f"{where} ({code}): {language!r} is not a language code.")
            continue
        if not title:
            problems.append(f"{where} ({code}, {language}): no title.")
            continue
        if (code, language) in seen:
            problems.append(f"{where}: {code} is given twice in {language}.")
            continue
        seen.add((code, language))
        subject = subjects.setdefault(code, Subject(code))
        if description == title:
            description = ""  # some rows repeat the title as description
        if language == ENGLISH:
            subject.label, subject.description = title[:200], description
        else:
            subject.labels[language] = title[:200]
            if description:
                subject.descriptions[language] = description
    for subject in subjects.values():
        if not subject.label:
            problems.append(f"{subject.code}: no English title.")
    if not subjects and not problems:
        problems.append("no subjects in the file.")
    if problems:
        raise CordisSubjectsError(problems)
    return list(subjects.values())


FIELDS = ("label", "description", "labels", "descriptions", "position")


def import_cordis_subjects(path: Path) -> SubjectsReport:
    """Load the subjects of `path` (see the module's docstring); all or nothing."""
    subjects = read_subjects(path.read_bytes())
    languages = sorted({code for s in subjects for code in s.labels})
    report = SubjectsReport(subjects=len(subjects), languages=(ENGLISH, *languages))
    ordered = sorted(subjects, key=lambda s: s.code)
    with transaction.atomic():
        taxonomy, created = Taxonomy.objects.get_or_create(
            code=TAXONOMY_CODE,
            defaults={"name": TAXONOMY_NAME, "source": TAXONOMY_SOURCE, "names": TAXONOMY_NAMES},
        )
        if not created and not taxonomy.names:
            taxonomy.names = TAXONOMY_NAMES
            taxonomy.save(update_fields=["names"])
        existing = {t.code: t for t in Term.objects.filter(taxonomy=taxonomy)}
        for position, subject in enumerate(ordered):
            values = {
                "label": subject.label,
                "description": subject.description,
                "labels": subject.labels,
                "descriptions": subject.descriptions,
                "position": position,
            }
            term = existing.get(subject.code)
            if term is None:
                Term.objects.create(taxonomy=taxonomy, code=subject.code, **values)
                report.created += 1
            elif any(getattr(term, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(term, name, value)
                term.save()
                report.updated += 1
            else:
                report.unchanged += 1
    return report


__all__ = [
    "CordisSubjectsError",
    "Subject",
    "SubjectsReport",
    "import_cordis_subjects",
    "read_subjects",
]
