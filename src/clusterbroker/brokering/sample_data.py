"""Sample brokering profiles from the seeds, loaded after the registry's sample data.

Each YAML file of `sample_data/` lists profiles of organisations of the registry's sample
data (by their key, the organisation's slug): who they are, what they offer and what they
need, with taxonomy terms (`taxonomy:code`). Loading again changes nothing: a profile that
exists already (loaded before, or filled by its organisation since) is left as it is.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction

from clusterbroker.registry.models import Organisation

from .models import Need, NeedKind, Offer, Profile, Stage
from .services import embed_profile, resolve_terms

SAMPLE_PROFILES_DIR = Path(__file__).resolve().parent / "sample_data"


class SampleProfilesError(ValueError):
    """A sample profile names something unknown."""


def read_sample_profiles(directory: Path = SAMPLE_PROFILES_DIR) -> list[dict]:
    """Every profile of every `*.yaml` file of `directory`, in name order."""
    profiles: list[dict] = []
    for path in sorted(directory.glob("*.yaml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry in content.get("profiles", []):
            if entry.get("stage", "") not in ("", *Stage.values):
                raise SampleProfilesError(f"{path.name}: unknown stage {entry['stage']!r}")
            for need in entry.get("needs", []):
                if need["kind"] not in NeedKind.values:
                    raise SampleProfilesError(f"{path.name}: unknown need kind {need['kind']!r}")
            profiles.append(entry)
    return profiles


@transaction.atomic
def load_sample_profiles(directory: Path = SAMPLE_PROFILES_DIR) -> dict[str, int]:
    """Create the sample profiles that do not exist yet. A profile that exists (loaded
    before, or filled by its organisation) is left as it is; profiles of organisations that
    are not in the registry are skipped (the registry's sample data is loaded first)."""
    counts = {"profiles": 0, "offers": 0, "needs": 0, "kept": 0, "skipped": 0}
    for entry in read_sample_profiles(directory):
        key = entry["organisation"]
        organisation = Organisation.objects.filter(slug=key).first()
        if organisation is None:
            counts["skipped"] += 1
            continue
        if Profile.objects.filter(organisation=organisation).exists():
            counts["kept"] += 1
            continue
        profile = Profile.objects.create(
            organisation=organisation,
            sector=entry.get("sector", ""),
            stage=entry.get("stage", ""),
            summary=_text(entry.get("summary", "")),
            countries_of_interest=entry.get("countries_of_interest", []),
            cross_border=entry.get("cross_border", True),
        )
        for item in entry.get("offers", []):
            offer = Offer.objects.create(
                profile=profile,
                title=item["title"],
                description=_text(item.get("description", "")),
            )
            offer.terms.set(resolve_terms(item.get("terms", []), f"{key}.offers"))
            counts["offers"] += 1
        for item in entry.get("needs", []):
            need = Need.objects.create(
                profile=profile,
                kind=item["kind"],
                description=_text(item["description"]),
                confidential=bool(item.get("confidential", False)),
                local=bool(item.get("local", False)),
            )
            need.terms.set(resolve_terms(item.get("terms", []), f"{key}.needs"))
            counts["needs"] += 1
        embed_profile(profile)
        counts["profiles"] += 1
    return counts


def _text(value: str) -> str:
    return " ".join(value.split())
