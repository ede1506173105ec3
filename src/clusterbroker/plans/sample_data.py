"""Load the partnership-management sample data taken from the seeds (`sample_data/*.yaml`).

Each file is about one partnership of the registry's sample data: its action plan, KPIs
(entered by hand, with their values, or counted from the data when they name a `measure`),
target markets and SWOT. Every file is checked before
anything is written, everything is written in one transaction, and loading again
updates the same records.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.db import transaction

from clusterbroker.registry.countries import validate_country_code
from clusterbroker.registry.models import Organisation, Partnership

from .models import (
    Action,
    ActionPhase,
    ActionStatus,
    Evidence,
    Kpi,
    KpiSource,
    KpiValue,
    Measure,
    RoadmapHorizon,
    SwotItem,
    SwotQuadrant,
    TargetMarket,
)

SAMPLE_DATA_DIR = Path(__file__).resolve().parent / "sample_data"
ENTERED_BY = "Sample data (seed documents)"


class PlanSampleDataError(ValueError):
    """A sample data file is malformed or names something the registry does not hold."""


def read_plan_files(directory: Path = SAMPLE_DATA_DIR) -> list[tuple[str, dict]]:
    """Read and check every `*.yaml` of `directory`; raise on the first file with problems."""
    files = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise PlanSampleDataError(f"{path.name}: not valid YAML: {error}") from error
        problems = _problems(content)
        if problems:
            raise PlanSampleDataError(f"{path.name}: " + "; ".join(problems))
        files.append((path.name, content))
    return files


def _problems(content: dict) -> list[str]:
    problems = []
    slug = content.get("partnership")
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None:
        return [f"unknown partnership '{slug}' (load the registry sample data first)"]
    members = set(
        Organisation.objects.filter(partnership_memberships__partnership=partnership).values_list(
            "slug", flat=True
        )
    )
    for n, action in enumerate(content.get("actions", []), start=1):
        where = f"action {n}"
        if not action.get("title"):
            problems.append(f"{where}: no title")
        if action.get("lead") and action["lead"] not in members:
            problems.append(f"{where}: lead '{action['lead']}' is not a member of {slug}")
        for name, choices in (
            ("phase", ActionPhase.values),
            ("status", ActionStatus.values),
            ("horizon", RoadmapHorizon.values),
        ):
            if name in action and action[name] not in choices:
                problems.append(f"{where}: unknown {name} '{action[name]}'")
    for n, kpi in enumerate(content.get("kpis", []), start=1):
        for name in ("target", "achieved"):
            if name in kpi and _decimal(kpi[name]) is None:
                problems.append(f"KPI {n}: {name} '{kpi[name]}' is not a number")
        if "achieved" in kpi and not isinstance(kpi.get("as_of"), dt.date):
            problems.append(f"KPI {n}: an achieved value needs an 'as_of' date")
        if "measure" in kpi and kpi["measure"] not in Measure.values:
            problems.append(f"KPI {n}: unknown measure '{kpi['measure']}'")
        if "measure" in kpi and "achieved" in kpi:
            problems.append(f"KPI {n}: a computed KPI (measure) has no achieved value to enter")
        for name in ("period_start", "period_end"):
            if name in kpi and not isinstance(kpi[name], dt.date):
                problems.append(f"KPI {n}: {name} '{kpi[name]}' is not a date")
    achieved = any("achieved" in kpi for kpi in content.get("kpis", []))
    if achieved and not content.get("evidence", {}).get("content"):
        problems.append("KPI values need an 'evidence' document")
    for n, market in enumerate(content.get("target_markets", []), start=1):
        try:
            validate_country_code(market.get("country", ""))
        except Exception:
            problems.append(f"target market {n}: bad country '{market.get('country')}'")
    for quadrant in content.get("swot", {}):
        if quadrant not in SwotQuadrant.values:
            problems.append(f"SWOT: unknown quadrant '{quadrant}'")
    return problems


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@transaction.atomic
def load_plan_sample_data(directory: Path = SAMPLE_DATA_DIR) -> dict[str, int]:
    """Write the sample action plans, KPIs and strategies; returns counts per kind."""
    counts = {"actions": 0, "KPIs": 0, "target markets": 0, "SWOT points": 0}
    for _name, content in read_plan_files(directory):
        partnership = Partnership.objects.get(slug=content["partnership"])
        counts["actions"] += _load_actions(partnership, content.get("actions", []))
        counts["KPIs"] += _load_kpis(partnership, content)
        for market in content.get("target_markets", []):
            TargetMarket.objects.update_or_create(
                partnership=partnership,
                country=market["country"],
                defaults={k: market.get(k, "") for k in ("rationale", "planned_actions")}
                | {"status": market.get("status", TargetMarket.Status.CANDIDATE)},
            )
            counts["target markets"] += 1
        for quadrant, texts in content.get("swot", {}).items():
            for position, text in enumerate(texts):
                SwotItem.objects.update_or_create(
                    partnership=partnership,
                    quadrant=quadrant,
                    text=text,
                    defaults={"position": position},
                )
                counts["SWOT points"] += 1
    return counts


def _load_actions(partnership: Partnership, actions: list[dict]) -> int:
    for entry in actions:
        lead = Organisation.objects.get(slug=entry["lead"]) if entry.get("lead") else None
        Action.objects.update_or_create(
            partnership=partnership,
            number=entry["number"],
            defaults={
                "title": entry["title"],
                "description": entry.get("description", ""),
                "phase": entry.get("phase", ActionPhase.PREPARATION),
                "status": entry.get("status", ActionStatus.PLANNED),
                "horizon": entry.get("horizon", ""),
                "lead": lead,
                "start": entry.get("start"),
                "end": entry.get("end"),
                "funding_source": entry.get("funding_source", ""),
            },
        )
    return len(actions)


def _load_kpis(partnership: Partnership, content: dict) -> int:
    evidence = content.get("evidence", {})
    for position, entry in enumerate(content.get("kpis", []), start=1):
        kpi, _created = Kpi.objects.update_or_create(
            partnership=partnership,
            name=entry["name"],
            defaults={
                "position": position,
                "unit": entry.get("unit", ""),
                "target": _decimal(entry["target"]) if "target" in entry else None,
                # A KPI with a measure is counted from the data; any other is entered by hand.
                "source": KpiSource.COMPUTED if entry.get("measure") else KpiSource.MANUAL,
                "measure": entry.get("measure", ""),
                "period_start": entry.get("period_start"),
                "period_end": entry.get("period_end"),
                "note": entry.get("note", ""),
            },
        )
        if "achieved" not in entry:
            continue
        existing = kpi.values.filter(as_of=entry["as_of"], entered_by_name=ENTERED_BY).first()
        if existing is None:
            document = Evidence.objects.create(
                filename=evidence["filename"],
                content_type="text/plain; charset=utf-8",
                content=evidence["content"].encode(),
                size=len(evidence["content"].encode()),
            )
            existing = KpiValue(
                kpi=kpi,
                as_of=entry["as_of"],
                entered_by_name=ENTERED_BY,
                evidence_document=document,
            )
        existing.value = _decimal(entry["achieved"])
        existing.note = entry.get("note", "")
        existing.save()
    return len(content.get("kpis", []))
