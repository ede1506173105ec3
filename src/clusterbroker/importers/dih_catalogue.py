"""The JRC catalogue of Digital Innovation Hubs, loaded as organisations of type DIH.

`clusterbroker import dih-catalogue dihs.jsonl.gz` reads one JSON object per line (id, title,
website, description, country, city, sectors) and creates, for each hub not loaded before, an
organisation of type "Digital Innovation Hub" with its description, website, country and city,
and one competence per sector it serves in the taxonomy `dih-sectors` (the catalogue's sector
list, below). The catalogue's sector field also carries a few programme names ("Erasmus+
programme: …"): those are not sectors and are skipped and counted.

The import is idempotent (each hub is remembered by its catalogue id: a second run adds
nothing) and all-or-nothing: a file with a problem (a line that is not JSON, a hub without
title, an unknown country) names the line and the reason, and nothing is imported. A hub whose
name and country match an organisation already in the registry (the same name, or one that
looks the same) is linked to it instead of being created twice; its own fields are kept.

Each hub's organisation keeps the catalogue id (identifier `dih`) and its website's domain
(identifier `domain`) unless it has one of that kind already or another organisation holds
that code (a hub whose website is its host university's keeps no domain of its own).
"""

from __future__ import annotations

import gzip
import html
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from clusterbroker.registry.countries import normalise_country
from clusterbroker.registry.identifiers import domain_of
from clusterbroker.registry.models import (
    Competence,
    CompetenceLevel,
    HubCatalogueEntry,
    IdentifierScheme,
    Organisation,
    OrganisationKind,
    Taxonomy,
    Term,
    attach_identifier,
)
from clusterbroker.registry.models.organisations import lookalike_of
from clusterbroker.registry.slugs import unique_slug
from clusterbroker.web.text_rules import normalise_name

TAXONOMY_CODE = "dih-sectors"
TAXONOMY_NAME = "Sectors served (JRC DIH catalogue)"
TAXONOMY_SOURCE = "European Commission, JRC, Digital Innovation Hubs catalogue"
EVIDENCE = "Sector served, as listed in the JRC catalogue of Digital Innovation Hubs."

# The catalogue's sector names (as written there) and the term each becomes. The
# manufacturing sectors follow the NACE Rev. 1.1 subsections (DA–DN) the catalogue took
# them from; the others are the catalogue's own groupings. docs/matching.md shows the table.
SECTORS: dict[str, tuple[str, str]] = {
    "Agriculture and food": ("agri-food", "Agriculture and food"),
    "Manufacture of food products, beverages and tobacco": (
        "DA-food",
        "Manufacture of food products, beverages and tobacco",
    ),
    "Manufacture of textiles and textile products": (
        "DB-textiles",
        "Manufacture of textiles and textile products",
    ),
    "Manufacture of leather and leather products": (
        "DC-leather",
        "Manufacture of leather and leather products",
    ),
    "Manufacture of wood and wood products": ("DD-wood", "Manufacture of wood and wood products"),
    "Manufacture of pulp, paper and paper products; publishing and printing": (
        "DE-paper",
        "Manufacture of pulp, paper and paper products; publishing and printing",
    ),
    "Manufacture of coke, refined petroleum products and nuclear fuel": (
        "DF-petroleum",
        "Manufacture of coke, refined petroleum products and nuclear fuel",
    ),
    "Manufacture of chemicals, chemical products and man-made fibres": (
        "DG-chemicals",
        "Manufacture of chemicals, chemical products and man-made fibres",
    ),
    "Manufacture of rubber and plastic products": (
        "DH-rubber-plastics",
        "Manufacture of rubber and plastic products",
    ),
    "Manufacture of other non-metallic mineral products": (
        "DI-minerals",
        "Manufacture of other non-metallic mineral products",
    ),
    "Manufacture of basic metals and fabricated metal products": (
        "DJ-metals",
        "Manufacture of basic metals and fabricated metal products",
    ),
    "Manufacture of machinery and equipment": (
        "DK-machinery",
        "Manufacture of machinery and equipment",
    ),
    "Manufacture of electrical and optical equipment": (
        "DL-electrical-optical",
        "Manufacture of electrical and optical equipment",
    ),
    "Manufacture of transport equipment": ("DM-transport-eq", "Manufacture of transport equipment"),
    "Other Manufacturing": ("DN-other-manufacturing", "Other manufacturing"),
    "Mining and quarrying": ("mining", "Mining and quarrying"),
    "Energy and utilities": ("energy", "Energy and utilities"),
    "Construction": ("construction", "Construction"),
    "Wholesale and retail": ("retail", "Wholesale and retail"),
    "Transport and logistics": ("logistics", "Transport and logistics"),
    "Mobility (incl. Automotive)": ("mobility", "Mobility (incl. automotive)"),
    "Aeronautics and Space": ("aerospace", "Aeronautics and space"),
    "Maritime and fishery": ("maritime", "Maritime and fishery"),
    "Life sciences & healthcare": ("health", "Life sciences and healthcare"),
    "Education": ("education", "Education"),
    "Public administration": ("public-admin", "Public administration"),
    "Defence and security": ("defence", "Defence and security"),
    "Financial services": ("finance", "Financial services"),
    "Real estate, renting and business activities": (
        "business-services",
        "Real estate, renting and business activities",
    ),
    "Professional, Scientific and Technical Activities": (
        "professional",
        "Professional, scientific and technical activities",
    ),
    "Telecommunications, Information and Communication": ("ict", "Telecommunications and ICT"),
    "Tourism (incl. restaurants and hospitality)": ("tourism", "Tourism and hospitality"),
    "Culture and Creative industries": ("creative", "Culture and creative industries"),
    "Consumer goods/products": ("consumer-goods", "Consumer goods"),
    "Community, social and personal service activities": (
        "social-services",
        "Community, social and personal services",
    ),
    "Environment": ("environment", "Environment"),
}


class HubCatalogueError(ValueError):
    """The file has problems; nothing was imported. Each problem names its line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class HubRecord:
    line: int
    catalogue_id: str
    title: str
    website: str
    description: str
    country: str
    city: str
    sectors: list[str]
    not_sectors: int


@dataclass
class HubImportReport:
    hubs: int = 0
    created: int = 0
    linked: int = 0
    already_loaded: int = 0
    competences: int = 0
    sectors_skipped: int = 0
    websites_dropped: int = 0
    identifiers: int = 0  # catalogue ids and web domains added as identifiers
    countries: set[str] = field(default_factory=set)
    duplicates: int = 0  # pairs of organisations proposed as probably the same


def _open_text(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return path.open(encoding="utf-8")


def _website(value: str) -> str:
    """The website as a URL with a scheme, or "" when it is not one."""
    text = (value or "").strip()
    if not text:
        return ""
    if "://" not in text:
        text = "http://" + text
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        return ""
    return text[:200]


def read_hubs(path: Path) -> list[HubRecord]:
    """Read and check every line; raise HubCatalogueError naming every bad line."""
    records: list[HubRecord] = []
    problems: list[str] = []
    seen: set[str] = set()
    with _open_text(path) as stream:
        for number, raw in enumerate(stream, start=1):
            if not raw.strip():
                continue
            where = f"{path.name}, line {number}"
            try:
                data = json.loads(raw)
            except json.JSONDecodeError as error:
                problems.append(f"{where}: not a JSON object ({error.msg}).")
                continue
            if not isinstance(data, dict):
                problems.append(f"{where}: not a JSON object.")
                continue
            catalogue_id = str(data.get("id") or "").strip()
            title = normalise_name(html.unescape(str(data.get("title") or "")).strip())
            if not catalogue_id:
                problems.append(f"{where}, field id: missing.")
            elif catalogue_id in seen:
                problems.append(f"{where}, field id: hub {catalogue_id} appears twice.")
            seen.add(catalogue_id)
            if not title:
                problems.append(f"{where}, field title: missing.")
            try:
                country = normalise_country(str(data.get("country") or ""))
            except ValidationError as error:
                problems.append(f"{where}, field country: {' '.join(error.messages)}")
                country = ""
            sectors_raw = data.get("sectors") or []
            if not isinstance(sectors_raw, list):
                problems.append(f"{where}, field sectors: not a list.")
                sectors_raw = []
            sectors = [s for s in sectors_raw if isinstance(s, str) and s in SECTORS]
            records.append(
                HubRecord(
                    line=number,
                    catalogue_id=catalogue_id,
                    title=title[:255],
                    website=str(data.get("website") or ""),
                    description=html.unescape(str(data.get("description") or "")).strip(),
                    country=country,
                    city=html.unescape(str(data.get("city") or "")).strip()[:120],
                    sectors=list(dict.fromkeys(sectors)),
                    not_sectors=len(sectors_raw) - len(sectors),
                )
            )
    if problems:
        raise HubCatalogueError(problems)
    return records


def sector_terms() -> dict[str, Term]:
    """The taxonomy of the catalogue's sectors, created or completed; by catalogue name."""
    taxonomy, _ = Taxonomy.objects.get_or_create(
        code=TAXONOMY_CODE, defaults={"name": TAXONOMY_NAME, "source": TAXONOMY_SOURCE}
    )
    terms: dict[str, Term] = {}
    for position, (name, (code, label)) in enumerate(SECTORS.items()):
        term, _ = Term.objects.get_or_create(
            taxonomy=taxonomy, code=code, defaults={"label": label, "position": position}
        )
        terms[name] = term
    return terms


def import_hub_catalogue(
    path: Path, progress: Callable[[int, int], None] | None = None
) -> HubImportReport:
    """Load the catalogue (see the module's docstring); all or nothing."""
    records = read_hubs(path)
    report = HubImportReport(hubs=len(records))
    known = set(
        HubCatalogueEntry.objects.filter(
            catalogue_id__in=[r.catalogue_id for r in records]
        ).values_list("catalogue_id", flat=True)
    )
    with transaction.atomic():
        terms = sector_terms()
        for done, record in enumerate(records, start=1):
            report.sectors_skipped += record.not_sectors
            report.countries.add(record.country)
            if record.catalogue_id in known:
                report.already_loaded += 1
            else:
                _load(record, terms, report)
            report.identifiers += _identify(record)
            if progress is not None and (done % 50 == 0 or done == len(records)):
                progress(done, len(records))
    if report.created or report.linked:
        from clusterbroker.registry.dedup.services import propose_for

        hubs = HubCatalogueEntry.objects.filter(
            catalogue_id__in=[r.catalogue_id for r in records]
        ).values_list("organisation_id", flat=True)
        report.duplicates = propose_for(hubs)
    return report


def _identify(record: HubRecord) -> int:
    """Keep the hub's catalogue id and its website's domain as identifiers of its organisation
    (also for hubs loaded before identifiers existed), where free; how many were added."""
    entry = HubCatalogueEntry.objects.select_related("organisation").get(
        catalogue_id=record.catalogue_id
    )
    organisation = entry.organisation
    added = attach_identifier(organisation, IdentifierScheme.DIH, record.catalogue_id)
    domain = domain_of(organisation.website or _website(record.website))
    if domain:
        added += attach_identifier(organisation, IdentifierScheme.DOMAIN, domain)
    return int(added)


def _load(record: HubRecord, terms: dict[str, Term], report: HubImportReport) -> None:
    candidate = Organisation(name=record.title, country=record.country)
    twin = Organisation.objects.filter(name=record.title, country=record.country).first()
    twin = twin or lookalike_of(candidate)
    if twin is not None:
        organisation = twin
        report.linked += 1
    else:
        website = _website(record.website)
        if record.website.strip() and not website:
            report.websites_dropped += 1
        organisation = Organisation(
            slug=unique_slug(Organisation, record.title, max_length=100),
            name=record.title,
            kind=OrganisationKind.DIH,
            country=record.country,
            city=record.city,
            website=website,
            description=record.description,
        )
        organisation.save()
        report.created += 1
    HubCatalogueEntry.objects.create(catalogue_id=record.catalogue_id, organisation=organisation)
    for name in record.sectors:
        _, created = Competence.objects.get_or_create(
            organisation=organisation,
            term=terms[name],
            defaults={"level": CompetenceLevel.LISTED, "evidence": EVIDENCE},
        )
        report.competences += created


__all__ = [
    "SECTORS",
    "TAXONOMY_CODE",
    "HubCatalogueError",
    "HubImportReport",
    "import_hub_catalogue",
    "read_hubs",
]
