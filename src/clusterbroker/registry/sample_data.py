"""Load the sample data extracted from the seed documents (see docs/sample-data.md).

`load_sample_data()` reads every YAML file in `sample_data/`, checks that all
references resolve, and writes everything in one transaction. Running it again
updates the same records and creates no duplicates.
"""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from .countries import validate_country_code
from .models import (
    NUMBER_FIELDS,
    PROFILE_FIELDS,
    Competence,
    Label,
    Membership,
    Organisation,
    Participation,
    Partnership,
    PartnershipMember,
    Project,
    Region,
    Taxonomy,
    Term,
)

SAMPLE_DATA_DIR = Path(__file__).resolve().parent / "sample_data"
# `translations/<taxonomy code>.yaml`: a taxonomy's name (`names`), its terms' labels and
# descriptions (`labels`, `descriptions`, by term code) in the other languages,
# {language code: text}.
TRANSLATIONS_DIR = "translations"


class SampleDataError(ValueError):
    """The sample data files contradict themselves or reference something unknown."""


@dataclass
class SampleData:
    """The merged content of all sample data files, before it is written."""

    taxonomies: list[dict] = field(default_factory=list)
    regions: dict[str, dict] = field(default_factory=dict)
    organisations: dict[str, dict] = field(default_factory=dict)
    organisation_sources: dict[str, str] = field(default_factory=dict)
    memberships: list[dict] = field(default_factory=list)
    partnerships: list[dict] = field(default_factory=list)
    projects: list[dict] = field(default_factory=list)
    labels: list[dict] = field(default_factory=list)


@dataclass
class LoadReport:
    counts: dict[str, int]


def read_sample_data(directory: Path = SAMPLE_DATA_DIR) -> SampleData:
    """Read and merge every `*.yaml` file of `directory`, in name order."""
    data = SampleData()
    for path in sorted(directory.glob("*.yaml")):
        try:
            content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise SampleDataError(f"{path.name}: not valid YAML: {error}") from error
        data.taxonomies += content.get("taxonomies", [])
        for region in content.get("regions", []):
            data.regions.setdefault(region["code"], region)
        for organisation in content.get("organisations", []):
            _merge_organisation(data, organisation, path.name)
        data.memberships += content.get("memberships", [])
        data.partnerships += content.get("partnerships", [])
        data.projects += content.get("projects", [])
        data.labels += content.get("labels", [])
    _merge_translations(data, directory / TRANSLATIONS_DIR)
    _check_references(data)
    return data


def _merge_translations(data: SampleData, directory: Path) -> None:
    """Put each `translations/<code>.yaml` into its taxonomy: `names`, and per term `labels`
    and `descriptions`."""
    taxonomies = {t["code"]: t for t in data.taxonomies}
    for path in sorted(directory.glob("*.yaml")):
        try:
            content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise SampleDataError(f"{path.name}: not valid YAML: {error}") from error
        taxonomy = taxonomies.get(content.get("taxonomy"))
        if taxonomy is None:
            raise SampleDataError(f"{path.name}: unknown taxonomy '{content.get('taxonomy')}'")
        taxonomy["names"] = {**taxonomy.get("names", {}), **(content.get("names") or {})}
        terms = {term["code"]: term for term in _walk(taxonomy.get("terms", []))}
        for kind in ("labels", "descriptions"):
            for code, texts in (content.get(kind) or {}).items():
                if code not in terms:
                    raise SampleDataError(f"{path.name}: unknown term '{taxonomy['code']}:{code}'")
                terms[code][kind] = {**terms[code].get(kind, {}), **texts}


def _merge_organisation(data: SampleData, entry: dict, source: str) -> None:
    key = entry["key"]
    known = data.organisations.get(key)
    if known is None:
        data.organisations[key] = {**entry, "competences": list(entry.get("competences", []))}
        data.organisation_sources[key] = source
        return
    for name in PROFILE_FIELDS:
        new, old = entry.get(name), known.get(name)
        if new in (None, "") or new == old:
            continue
        if old in (None, ""):
            known[name] = new
        else:
            raise SampleDataError(
                f"Organisation '{key}': field '{name}' is '{old}' in "
                f"{data.organisation_sources[key]} but '{new}' in {source}."
            )
    seen = {c["term"] for c in known["competences"]}
    known["competences"] += [c for c in entry.get("competences", []) if c["term"] not in seen]


def _check_references(data: SampleData) -> None:
    terms = {
        f"{t['code']}:{term['code']}" for t in data.taxonomies for term in _walk(t.get("terms", []))
    }
    partnership_keys = {p["key"] for p in data.partnerships}
    problems = []

    def need_org(key: str, where: str) -> None:
        if key not in data.organisations:
            problems.append(f"{where}: unknown organisation '{key}'")

    for key, org in data.organisations.items():
        try:
            validate_country_code(org.get("country", ""))
        except Exception:
            problems.append(f"organisation '{key}': bad country '{org.get('country')}'")
        if org.get("region") and org["region"] not in data.regions:
            problems.append(f"organisation '{key}': unknown region '{org['region']}'")
        for competence in org["competences"]:
            if competence["term"] not in terms:
                problems.append(f"organisation '{key}': unknown term '{competence['term']}'")
    for m in data.memberships:
        need_org(m["organisation"], "membership")
        need_org(m["cluster"], "membership")
    for p in data.partnerships:
        for member in p.get("members", []):
            need_org(member["organisation"], f"partnership '{p['key']}'")
        if p.get("coordinator"):
            need_org(p["coordinator"], f"partnership '{p['key']}' coordinator")
        if p.get("parent") and p["parent"] not in partnership_keys:
            problems.append(f"partnership '{p['key']}': unknown parent '{p['parent']}'")
        for code in p.get("regions", []):
            if code not in data.regions:
                problems.append(f"partnership '{p['key']}': unknown region '{code}'")
    for project in data.projects:
        for participant in project.get("participants", []):
            need_org(participant["organisation"], f"project '{project['acronym']}'")
    for label in data.labels:
        need_org(label["organisation"], "label")
    if problems:
        raise SampleDataError("; ".join(problems))


def _walk(terms: list[dict]):
    for term in terms:
        yield term
        yield from _walk(term.get("children", []))


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


@transaction.atomic
def load_sample_data(directory: Path = SAMPLE_DATA_DIR) -> LoadReport:
    """Write the sample data into the database; idempotent."""
    data = read_sample_data(directory)
    terms = _load_taxonomies(data.taxonomies)
    regions = {
        code: Region.objects.update_or_create(
            code=code, defaults={"name": r["name"], "country": r["country"]}
        )[0]
        for code, r in data.regions.items()
    }
    organisations = _load_organisations(data, regions, terms)
    for m in data.memberships:
        Membership.objects.update_or_create(
            organisation=organisations[m["organisation"]],
            cluster=organisations[m["cluster"]],
            defaults={"role": m.get("role", "member"), "since": _date(m.get("since"))},
        )
    _load_partnerships(data, regions, organisations)
    _load_projects(data, organisations)
    for label in data.labels:
        Label.objects.update_or_create(
            organisation=organisations[label["organisation"]],
            label=label["label"],
            defaults={"year": label.get("year"), "note": label.get("note", "")},
        )
    return LoadReport(
        counts={
            "taxonomies": len(data.taxonomies),
            "terms": len(terms),
            "regions": len(regions),
            "organisations": len(organisations),
            "partnerships": len(data.partnerships),
            "projects": len(data.projects),
            "labels": len(data.labels),
        }
    )


def _load_taxonomies(taxonomies: list[dict]) -> dict[str, Term]:
    terms: dict[str, Term] = {}

    def load_terms(taxonomy: Taxonomy, items: list[dict], parent: Term | None) -> None:
        for position, item in enumerate(items):
            term, _ = Term.objects.update_or_create(
                taxonomy=taxonomy,
                code=item["code"],
                defaults={
                    "label": item["label"],
                    "labels": item.get("labels", {}),
                    "description": item.get("description", ""),
                    "descriptions": item.get("descriptions", {}),
                    "parent": parent,
                    "position": position,
                },
            )
            terms[f"{taxonomy.code}:{term.code}"] = term
            load_terms(taxonomy, item.get("children", []), term)

    for t in taxonomies:
        taxonomy, _ = Taxonomy.objects.update_or_create(
            code=t["code"],
            defaults={
                "name": t["name"],
                "names": t.get("names", {}),
                "description": t.get("description", ""),
                "source": t.get("source", ""),
            },
        )
        load_terms(taxonomy, t.get("terms", []), None)
    return terms


def _load_organisations(
    data: SampleData, regions: dict[str, Region], terms: dict[str, Term]
) -> dict[str, Organisation]:
    organisations = {}
    for key, entry in data.organisations.items():
        values = {name: entry.get(name) for name in PROFILE_FIELDS if name != "region"}
        values = {k: ("" if v is None else v) for k, v in values.items()}
        for number in NUMBER_FIELDS:
            values[number] = entry.get(number)
        values["region"] = regions.get(entry.get("region") or "")
        organisation, _ = Organisation.objects.update_or_create(slug=key, defaults=values)
        organisation.full_clean()
        for competence in entry["competences"]:
            Competence.objects.update_or_create(
                organisation=organisation,
                term=terms[competence["term"]],
                defaults={
                    "level": competence.get("level", "listed"),
                    "evidence": competence.get("evidence", ""),
                },
            )
        organisations[key] = organisation
    return organisations


def _load_partnerships(
    data: SampleData, regions: dict[str, Region], organisations: dict[str, Organisation]
) -> None:
    created = {}
    for p in data.partnerships:
        partnership, _ = Partnership.objects.update_or_create(
            slug=p["key"],
            defaults={
                "name": p["name"],
                "acronym": p.get("acronym", ""),
                "kind": p["kind"],
                "coordinator": organisations.get(p.get("coordinator") or ""),
                "start": _date(p.get("start")),
                "end": _date(p.get("end")),
                "funding_programme": p.get("funding_programme", ""),
                "description": p.get("description", ""),
            },
        )
        partnership.regions.set([regions[code] for code in p.get("regions", [])])
        for position, member in enumerate(p.get("members", [])):
            PartnershipMember.objects.update_or_create(
                partnership=partnership,
                organisation=organisations[member["organisation"]],
                defaults={"role": member.get("role", "partner"), "position": position},
            )
        created[p["key"]] = partnership
    for p in data.partnerships:
        if p.get("parent"):
            Partnership.objects.filter(pk=created[p["key"]].pk).update(parent=created[p["parent"]])


def _load_projects(data: SampleData, organisations: dict[str, Organisation]) -> None:
    for p in data.projects:
        project, _ = Project.objects.update_or_create(
            acronym=p["acronym"],
            defaults={
                "title": p.get("title", ""),
                "topic_code": p.get("topic_code", ""),
                "funding_scheme": p.get("funding_scheme", ""),
                "programme": p.get("programme", ""),
                "start": _date(p.get("start")),
                "end": _date(p.get("end")),
                "objective": p.get("objective", ""),
            },
        )
        for participant in p.get("participants", []):
            Participation.objects.update_or_create(
                project=project,
                organisation=organisations[participant["organisation"]],
                defaults={"role": participant.get("role", "participant")},
            )
