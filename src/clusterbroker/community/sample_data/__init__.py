"""Load the community sample data (stories, sectors, the I4MS-SAE criteria and call)."""

import datetime as dt
from pathlib import Path

import yaml
from django.db import transaction

from clusterbroker.registry.models import Organisation, Term

from ..models import (
    AwardCall,
    CriteriaSection,
    CriteriaSet,
    Criterion,
    Sector,
    Status,
    Story,
)
from ..search.index import index_object

DIRECTORY = Path(__file__).resolve().parent


def _term(key: str) -> Term | None:
    taxonomy, _sep, code = key.partition(":")
    return Term.objects.filter(taxonomy__code=taxonomy, code=code).first()


def _story_date(entry: dict) -> dt.datetime:
    """The story's own date (its source's), not the day the sample data was loaded."""
    value = entry.get("date")
    if not isinstance(value, dt.date):
        raise ValueError(f"story {entry.get('title')!r}: give its date (YYYY-MM-DD)")
    return dt.datetime.combine(value, dt.time(12), tzinfo=dt.UTC)


@transaction.atomic
def load_community_sample_data(directory: Path = DIRECTORY) -> dict[str, int]:
    """Idempotent: records are found by their title or slug and brought up to date."""
    counts = {"sectors": 0, "stories": 0, "criteria": 0, "award calls": 0}
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry in data.get("sectors", []):
            Sector.objects.update_or_create(slug=entry["slug"], defaults={"name": entry["name"]})
            counts["sectors"] += 1
        for entry in data.get("stories", []):
            fields = {
                k: entry.get(k, "")
                for k in (
                    "kind",
                    "summary",
                    "challenge",
                    "solution",
                    "results",
                    "impact",
                    "country",
                )
            }
            fields["sector"] = Sector.objects.filter(slug=entry.get("sector")).first()
            fields["published_at"] = _story_date(entry)
            story, _created = Story.objects.get_or_create(
                title=entry["title"], defaults={**fields, "status": Status.PUBLISHED}
            )
            for name, value in fields.items():
                setattr(story, name, value)
            story.save()
            story.organisations.set(
                Organisation.objects.filter(slug__in=entry.get("organisations", []))
            )
            story.terms.set([t for t in map(_term, entry.get("terms", [])) if t])
            index_object(story)
            counts["stories"] += 1
        for entry in data.get("criteria_sets", []):
            criteria_set, _created = CriteriaSet.objects.update_or_create(
                slug=entry["slug"],
                defaults={"name": entry["name"], "description": entry.get("description", "")},
            )
            for position, section_entry in enumerate(entry["sections"]):
                section, _created = CriteriaSection.objects.update_or_create(
                    criteria_set=criteria_set,
                    name=section_entry["name"],
                    defaults={"position": position},
                )
                for index, criterion in enumerate(section_entry["criteria"]):
                    Criterion.objects.update_or_create(
                        section=section,
                        name=criterion["name"],
                        defaults={
                            "description": criterion.get("description", ""),
                            "scale_min": criterion.get("scale_min", 0),
                            "scale_max": criterion.get("scale_max", 5),
                            "weight": criterion.get("weight", 1),
                            "position": index,
                        },
                    )
                    counts["criteria"] += 1
        for entry in data.get("award_calls", []):
            AwardCall.objects.update_or_create(
                slug=entry["slug"],
                defaults={
                    "name": entry["name"],
                    "kind": entry.get("kind", "label"),
                    "description": entry.get("description", ""),
                    "criteria_set": CriteriaSet.objects.get(slug=entry["criteria"]),
                    "opens_on": entry["opens_on"],
                    "closes_on": entry["closes_on"],
                },
            )
            counts["award calls"] += 1
    return counts
