"""Import Horizon 2020 participations (CORDIS) into projects, organisations and participations.

All or nothing: both files are read and checked first (every malformed row is
reported with its line number), then everything is written in one transaction
with bulk inserts and updates in batches. Idempotent: organisations are known by
their PIC, projects by their CORDIS record number (rcn), participations by the
pair; a second run finds everything in place and changes nothing.

Organisations get a placeholder name (`PIC 999991043`): the files carry no
names. Their type maps PRC → company, HES → university, REC → research /
technology organisation, PUB → public body, OTH → other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pycountry
from django.db import transaction

from clusterbroker.registry.models import Organisation, OrganisationKind, Participation, Project

from ..cordis import ParticipationRow, read_participations, read_programme_parts
from ..models import CordisOrganisation, CordisProject

BATCH = 2000
KIND_OF_TYPE = {
    "PRC": OrganisationKind.COMPANY,
    "HES": OrganisationKind.UNIVERSITY,
    "REC": OrganisationKind.RTO,
    "PUB": OrganisationKind.PUBLIC_BODY,
    "OTH": OrganisationKind.OTHER,
    "": OrganisationKind.OTHER,
}
ROLE = {
    "coordinator": Participation.Role.COORDINATOR,
    "participant": Participation.Role.PARTICIPANT,
    "partner": Participation.Role.PARTICIPANT,
}

Progress = Callable[[str, int, int], None]


@dataclass
class CordisReport:
    rows: int = 0
    organisations_created: int = 0
    projects_created: int = 0
    projects_updated: int = 0
    participations_created: int = 0
    participations_updated: int = 0

    @property
    def changed(self) -> int:
        return (
            self.organisations_created
            + self.projects_created
            + self.projects_updated
            + self.participations_created
            + self.participations_updated
        )


def _batches(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def import_cordis(
    participations: Path, programme_parts: Path, progress: Progress = _no_progress
) -> CordisReport:
    """Read, check, then write everything (or nothing); raises `CordisFileError` on bad rows."""
    # XK: Kosovo, as the European Commission writes it (user-assigned in ISO 3166).
    countries = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    rows = read_participations(participations, valid_countries=countries)
    parts = read_programme_parts(programme_parts)
    with transaction.atomic():
        return _write(rows, parts, progress)


def _organisations(
    rows: list[ParticipationRow], report: CordisReport, progress: Progress
) -> dict[int, int]:
    """PIC → organisation id, creating the organisations not known yet."""
    latest: dict[int, ParticipationRow] = {}
    for row in rows:
        known = latest.get(row.pic)
        if known is None or (row.start and (known.start is None or row.start >= known.start)):
            if row.country or known is None:
                latest[row.pic] = row
    by_pic = dict(CordisOrganisation.objects.values_list("pic", "organisation_id"))
    missing = [pic for pic in latest if pic not in by_pic]
    for done, batch in enumerate(_batches(missing), start=1):
        organisations = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"PIC {pic}",
                    slug=f"pic-{pic}",
                    kind=KIND_OF_TYPE[latest[pic].type],
                    country=latest[pic].country,
                )
                for pic in batch
            ]
        )
        CordisOrganisation.objects.bulk_create(
            [
                CordisOrganisation(pic=pic, organisation=o, cordis_type=latest[pic].type)
                for pic, o in zip(batch, organisations, strict=True)
            ]
        )
        by_pic.update({pic: o.pk for pic, o in zip(batch, organisations, strict=True)})
        progress("organisations", min(done * BATCH, len(missing)), len(missing))
    report.organisations_created = len(missing)
    return by_pic


def _projects(
    rows: list[ParticipationRow], parts: dict[int, str], report: CordisReport, progress: Progress
) -> dict[int, int]:
    """rcn → project id, creating missing projects and updating changed dates or parts."""
    first: dict[int, ParticipationRow] = {}
    for row in rows:
        first.setdefault(row.rcn, row)
    existing = {
        cp.rcn: cp
        for cp in CordisProject.objects.select_related("project").iterator(chunk_size=5000)
    }
    changed_projects, changed_links = [], []
    for rcn, cp in existing.items():
        if rcn not in first:
            continue
        row, project = first[rcn], cp.project
        if (project.start, project.end) != (row.start, row.end):
            project.start, project.end = row.start, row.end
            changed_projects.append(project)
        if cp.programme_part != parts.get(rcn, ""):
            cp.programme_part = parts.get(rcn, "")
            changed_links.append(cp)
    Project.objects.bulk_update(changed_projects, ["start", "end"], batch_size=BATCH)
    CordisProject.objects.bulk_update(changed_links, ["programme_part"], batch_size=BATCH)
    report.projects_updated = len(
        {p.pk for p in changed_projects} | {c.project_id for c in changed_links}
    )
    by_rcn = {rcn: cp.project_id for rcn, cp in existing.items()}
    missing = [rcn for rcn in first if rcn not in existing]
    for done, batch in enumerate(_batches(missing), start=1):
        projects = Project.objects.bulk_create(
            [
                Project(
                    acronym=f"H2020-{rcn}",
                    programme="Horizon 2020",
                    funding_scheme=parts.get(rcn, ""),
                    start=first[rcn].start,
                    end=first[rcn].end,
                )
                for rcn in batch
            ]
        )
        CordisProject.objects.bulk_create(
            [
                CordisProject(rcn=rcn, project=p, programme_part=parts.get(rcn, ""))
                for rcn, p in zip(batch, projects, strict=True)
            ]
        )
        by_rcn.update({rcn: p.pk for rcn, p in zip(batch, projects, strict=True)})
        progress("projects", min(done * BATCH, len(missing)), len(missing))
    report.projects_created = len(missing)
    return by_rcn


def _participations(
    rows: list[ParticipationRow],
    organisations: dict[int, int],
    projects: dict[int, int],
    report: CordisReport,
    progress: Progress,
) -> None:
    wanted: dict[tuple[int, int], str] = {}
    for row in rows:
        key = (projects[row.rcn], organisations[row.pic])
        role = ROLE[row.role]
        if wanted.get(key) != Participation.Role.COORDINATOR:
            wanted[key] = role
    existing = {
        (p.project_id, p.organisation_id): p
        for p in Participation.objects.filter(project__cordis__isnull=False)
        .only("id", "project_id", "organisation_id", "role")
        .iterator(chunk_size=20000)
    }
    changed = []
    for key, participation in existing.items():
        if key in wanted and participation.role != wanted[key]:
            participation.role = wanted[key]
            changed.append(participation)
    Participation.objects.bulk_update(changed, ["role"], batch_size=BATCH)
    report.participations_updated = len(changed)
    missing = [key for key in wanted if key not in existing]
    for done, batch in enumerate(_batches(missing, 5000), start=1):
        Participation.objects.bulk_create(
            [Participation(project_id=p, organisation_id=o, role=wanted[(p, o)]) for p, o in batch]
        )
        progress("participations", min(done * 5000, len(missing)), len(missing))
    report.participations_created = len(missing)


def _write(rows: list[ParticipationRow], parts: dict[int, str], progress: Progress) -> CordisReport:
    report = CordisReport(rows=len(rows))
    organisations = _organisations(rows, report, progress)
    projects = _projects(rows, parts, report, progress)
    _participations(rows, organisations, projects, report, progress)
    return report
