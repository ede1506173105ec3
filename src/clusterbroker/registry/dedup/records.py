"""Organisations of the database as `Record`s for the comparison."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.apps import apps

from ..identifiers import IdentifierError, domain_of
from ..models import Organisation, OrganisationIdentifier
from .candidates import Record

_PLACEHOLDER = re.compile(r"^PIC ([0-9]{9})$")


def _cordis_pics() -> dict[int, str]:
    """PICs the participations import keeps for its organisations (another application's
    table: read when it is installed)."""
    try:
        model = apps.get_model("brokering", "CordisOrganisation")
    except LookupError:
        return {}
    return {o: str(p) for o, p in model.objects.values_list("organisation_id", "pic")}


def _domain(website: str) -> str:
    try:
        return domain_of(website) if website else ""
    except (IdentifierError, ValueError):
        return ""


def load_records(ids: Iterable[int] | None = None) -> list[Record]:
    """Every organisation (or those of `ids`) with its PIC and web domain."""
    organisations = Organisation.objects.all()
    codes = OrganisationIdentifier.objects.filter(scheme__in=["pic", "domain"])
    if ids is not None:
        ids = list(ids)
        organisations = organisations.filter(pk__in=ids)
        codes = codes.filter(organisation_id__in=ids)
    pics = _cordis_pics()
    domains: dict[int, str] = {}
    for organisation_id, scheme, value in codes.values_list("organisation_id", "scheme", "value"):
        if scheme == "pic":
            pics[organisation_id] = value
        else:
            domains[organisation_id] = value
    records = []
    rows = organisations.values_list(
        "id", "name", "acronym", "country", "city", "website", "kind"
    ).order_by("id")
    for pk, name, acronym, country, city, website, kind in rows.iterator(chunk_size=5000):
        placeholder = _PLACEHOLDER.match(name)
        pic = pics.get(pk) or (placeholder.group(1) if placeholder else "")
        records.append(
            Record(
                id=pk,
                name="" if placeholder else name,
                acronym=acronym,
                country=country,
                city=city,
                domain=domains.get(pk) or _domain(website),
                pic=pic,
                kind=kind,
            )
        )
    return records
