"""Finding proposals in the database and keeping them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from ..models import DuplicateProposal, Organisation
from .candidates import REVIEW_THRESHOLD, Proposal, find_proposals
from .merge import MergeError, choose_kept, merge
from .reasons import describe
from .records import load_records


@dataclass
class FindReport:
    compared: int = 0  # organisations compared
    found: int = 0  # pairs at or above the threshold
    new: int = 0  # proposals added
    updated: int = 0  # open proposals whose score or evidence changed
    decided: int = 0  # pairs already decided (not the same, skipped, merged): left as they are
    withdrawn: int = 0  # open proposals no longer found (a name was corrected …): removed
    merged: list[tuple[str, str]] = field(default_factory=list)  # automatic merges (kept, gone)


def _names(ids: set[int]) -> dict[int, str]:
    return dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))


def store(proposals: list[Proposal], report: FindReport) -> list[DuplicateProposal]:
    """Keep the proposals: new pairs added, open ones brought up to date, decided ones
    (above all "not the same") left alone so they are never proposed again."""
    existing = {}
    pairs = [(p.a, p.b) for p in proposals]
    ids = {i for pair in pairs for i in pair}
    if ids:
        for row in DuplicateProposal.objects.filter(a_id__in=ids, b_id__in=ids):
            existing[(row.a_id, row.b_id)] = row
    names = _names(ids)
    new, changed, automatic = [], [], []
    for p in proposals:
        reasons = [r.as_dict() for r in p.reasons]
        row = existing.get((p.a, p.b))
        if row is None:
            row = DuplicateProposal(
                a_id=p.a,
                b_id=p.b,
                a_name=names.get(p.a, "")[:255],
                b_name=names.get(p.b, "")[:255],
                score=p.score,
                reasons=reasons,
            )
            new.append(row)
        elif row.status != DuplicateProposal.Status.OPEN:
            report.decided += 1
            continue
        elif row.score != p.score or row.reasons != reasons:
            row.score, row.reasons = p.score, reasons
            row.a_name, row.b_name = names.get(p.a, row.a_name), names.get(p.b, row.b_name)
            changed.append(row)
        if p.automatic:
            automatic.append(row)
    DuplicateProposal.objects.bulk_create(new, batch_size=1000)
    DuplicateProposal.objects.bulk_update(
        changed, ["score", "reasons", "a_name", "b_name"], batch_size=1000
    )
    report.new += len(new)
    report.updated += len(changed)
    return automatic


def _withdraw_others(found: set[tuple[int, int]]) -> int:
    """Remove the open proposals that a full comparison no longer finds."""
    stale = [
        pk
        for pk, a, b in DuplicateProposal.objects.filter(
            status=DuplicateProposal.Status.OPEN
        ).values_list("pk", "a_id", "b_id")
        if (a, b) not in found
    ]
    DuplicateProposal.objects.filter(pk__in=stale).delete()
    return len(stale)


def merge_automatic(rows: Iterable[DuplicateProposal], report: FindReport) -> None:
    """Merge the pairs with the same PIC and the same country (see `candidates.py`); a pair
    whose organisation went in an earlier merge of this run is left for review."""
    for row in rows:
        if row.pk is None:
            row = DuplicateProposal.objects.get(a_id=row.a_id, b_id=row.b_id)
        pair = {o.pk: o for o in Organisation.objects.filter(pk__in=[row.a_id, row.b_id])}
        if len(pair) != 2:
            continue
        kept, gone = choose_kept(pair[row.a_id], pair[row.b_id])
        if kept.country != gone.country:
            continue
        try:
            merge(kept, gone, proposal=row)
        except MergeError:
            continue
        report.merged.append((kept.slug, gone.name))


def find_and_store(
    only: Iterable[int] | None = None,
    auto_merge: bool = True,
    threshold: float = REVIEW_THRESHOLD,
    progress: Callable[[int, int], None] | None = None,
) -> FindReport:
    """Compare the organisations (with `only`, the pairs with one of these), keep the
    proposals and merge the automatic ones when `auto_merge`."""
    records = load_records()
    report = FindReport(compared=len(records))
    only_ids = set(only) if only is not None else None
    proposals = find_proposals(records, threshold=threshold, only=only_ids, progress=progress)
    report.found = len(proposals)
    with transaction.atomic():
        automatic = store(proposals, report)
        if only_ids is None:
            report.withdrawn = _withdraw_others({(p.a, p.b) for p in proposals})
    if auto_merge:
        merge_automatic(automatic, report)
    return report


def open_proposals() -> list[dict]:
    """The open proposals as the command lists them."""
    rows = DuplicateProposal.objects.filter(status=DuplicateProposal.Status.OPEN)
    ids = set(rows.values_list("a_id", flat=True)) | set(rows.values_list("b_id", flat=True))
    slugs = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "slug"))
    result = []
    for row in rows.order_by("-score", "id"):
        if row.a_id not in slugs or row.b_id not in slugs:
            continue
        result.append(
            {
                "a": slugs[row.a_id],
                "b": slugs[row.b_id],
                "score": round(row.score, 3),
                "reasons": [describe(r) for r in row.reasons],
            }
        )
    return result


def proposals_involving(organisation_ids: Iterable[int]):
    ids = list(organisation_ids)
    return DuplicateProposal.objects.filter(Q(a_id__in=ids) | Q(b_id__in=ids))


def propose_for(organisation_ids: Iterable[int] | None) -> int:
    """After an import: propose the pairs of these organisations (None: of all) with any
    other; no automatic merge, an import never removes an organisation. The number of new
    proposals."""
    ids = None if organisation_ids is None else set(organisation_ids)
    if ids is not None and not ids:
        return 0
    return find_and_store(only=ids, auto_merge=False).new
