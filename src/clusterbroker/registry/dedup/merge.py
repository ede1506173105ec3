"""Merging two organisations into one, and undoing it.

Every row of every model that points at the merged-away organisation is found through the
ORM's reverse relations (`relation_fields`, hidden ones such as `related_name="+"` included),
so a model added later is moved too without a change here. A row is moved by saving it, so
models with history record the move. When the kept organisation already has the row's like
(a unique constraint says so: a membership of the same cluster, a competence in the same
term, a PIC when both have one), the row's own relations are moved to its like in the same
way and the row is deleted. Everything moved, deleted (serialised) and filled in is written
to a `MergeRecord`, from which `undo` puts it all back.
"""

from __future__ import annotations

import json

from django.apps import apps
from django.core import serializers
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from ..models import PROFILE_FIELDS, DuplicateProposal, MergeRecord, Organisation

# Change reasons kept with the history rows (at most 100 characters).
MERGE_REASON = "merged duplicate organisation"
UNDO_REASON = "merge undone"


class MergeError(Exception):
    """The merge cannot be done (or undone); the message says why."""


def _is_history(model: type[models.Model]) -> bool:
    return hasattr(model, "instance_type")  # simple_history's historical models


def relation_fields(model: type[models.Model]) -> list[models.ForeignKey]:
    """The foreign keys and one-to-one fields of other models that point at `model` (those of
    history rows and of the de-duplication's own records excepted: history stays as it was
    written, proposals and merge records name organisations that may be gone)."""
    fields = []
    for rel in model._meta.get_fields(include_hidden=True):
        if not rel.auto_created or rel.concrete or rel.many_to_many:
            continue  # many-to-many relations are moved through their through models' rows
        related = rel.related_model
        if _is_history(related) or related in (DuplicateProposal, MergeRecord):
            continue
        fields.append(rel.field)
    return fields


def _unique_sets(model: type[models.Model]) -> list[tuple[tuple[str, ...], models.Q | None]]:
    sets: list[tuple[tuple[str, ...], models.Q | None]] = []
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            sets.append((tuple(constraint.fields), constraint.condition))
    for fields in model._meta.unique_together:
        sets.append((tuple(fields), None))
    for field in model._meta.concrete_fields:
        if field.unique and not field.primary_key:
            sets.append(((field.name,), None))
    return sets


def _twin(row: models.Model, field: models.ForeignKey, keep_pk) -> models.Model | None:
    """The row of the kept side that a unique constraint says is the like of `row`."""
    model = type(row)
    for names, condition in _unique_sets(model):
        if field.name not in names:
            continue
        lookup = {}
        for name in names:
            attname = model._meta.get_field(name).attname
            lookup[attname] = keep_pk if name == field.name else getattr(row, attname)
        found = model._base_manager.filter(**lookup)
        if condition is not None:
            found = found.filter(condition)
        twin = found.exclude(pk=row.pk).first()
        if twin is not None:
            return twin
    return None


def _serialise(row: models.Model) -> dict:
    return json.loads(serializers.serialize("json", [row]))[0]


class _Merger:
    def __init__(self) -> None:
        self.moves: list[list] = []
        self.deleted: list[dict] = []

    def fold(self, keep: models.Model, gone: models.Model) -> None:
        """Move every relation of `gone` to `keep`, then delete `gone`."""
        for field in relation_fields(type(gone)):
            rows = field.model._base_manager.filter(**{field.attname: gone.pk}).order_by("pk")
            for row in rows:
                self._move(row, field, keep)
        self.deleted.append(_serialise(gone))
        gone._change_reason = MERGE_REASON
        gone.delete()

    def _move(self, row: models.Model, field: models.ForeignKey, keep: models.Model) -> None:
        old = getattr(row, field.attname)
        setattr(row, field.attname, keep.pk)
        row._change_reason = MERGE_REASON
        try:
            with transaction.atomic():
                row.save(update_fields=[field.name])
        except IntegrityError:
            setattr(row, field.attname, old)
            twin = _twin(row, field, keep.pk)
            if twin is None:
                raise
            self.fold(twin, row)
            return
        self.moves.append([row._meta.label, row.pk, field.attname, old, keep.pk])


def relation_count(organisation: Organisation) -> int:
    """How many rows point at the organisation (the one with more is kept by default)."""
    return sum(
        f.model._base_manager.filter(**{f.attname: organisation.pk}).count()
        for f in relation_fields(Organisation)
    )


def choose_kept(a: Organisation, b: Organisation) -> tuple[Organisation, Organisation]:
    """(kept, merged away): the one with more relations, else the one with a real name (not
    a placeholder "PIC …"), else the older."""

    def rank(o: Organisation) -> tuple:
        return (relation_count(o), not o.name.startswith("PIC "), -o.pk)

    return (a, b) if rank(a) >= rank(b) else (b, a)


def _fill(keep: Organisation, gone: Organisation) -> dict[str, object]:
    """Give the kept organisation what the other has where it has nothing; the old (empty)
    values, for the undo."""
    filled: dict[str, object] = {}
    for name in PROFILE_FIELDS:
        attname = Organisation._meta.get_field(name).attname
        mine, theirs = getattr(keep, attname), getattr(gone, attname)
        if mine in (None, "") and theirs not in (None, ""):
            filled[attname] = mine
            setattr(keep, attname, theirs)
    return filled


@transaction.atomic
def merge(
    keep: Organisation,
    gone: Organisation,
    user=None,
    proposal: DuplicateProposal | None = None,
) -> MergeRecord:
    """Merge `gone` into `keep` (see the module's description)."""
    if keep.pk == gone.pk:
        raise MergeError("An organisation cannot be merged with itself.")
    keep = Organisation.objects.select_for_update().get(pk=keep.pk)
    gone = Organisation.objects.get(pk=gone.pk)
    merger = _Merger()
    gone_snapshot = (gone.pk, gone.name, gone.slug)
    filled = _fill(keep, gone)
    merger.fold(keep, gone)
    if filled:
        keep._change_reason = MERGE_REASON
        keep.save()
    DuplicateProposal.objects.filter(
        models.Q(a_id=gone_snapshot[0]) | models.Q(b_id=gone_snapshot[0]),
        status=DuplicateProposal.Status.OPEN,
    ).exclude(pk=getattr(proposal, "pk", None)).delete()
    if proposal is not None:
        proposal.status = DuplicateProposal.Status.MERGED
        proposal.decided_by = user
        proposal.decided_at = timezone.now()
        proposal.save()
    return MergeRecord.objects.create(
        proposal=proposal,
        kept=keep,
        gone_id=gone_snapshot[0],
        gone_name=gone_snapshot[1],
        gone_slug=gone_snapshot[2],
        moves=merger.moves,
        deleted=merger.deleted,
        filled=filled,
        merged_by=user,
    )


def _restore(data: dict) -> None:
    for item in serializers.deserialize("json", json.dumps([data])):
        instance = item.object
        instance._change_reason = UNDO_REASON
        instance.save(force_insert=True)
        for name, values in (item.m2m_data or {}).items():
            getattr(instance, name).set(values)


@transaction.atomic
def undo(record: MergeRecord, user=None) -> Organisation:
    """Put back what the merge changed: the merged-away organisation with its id and address,
    the rows it had, the kept one's fields as they were. Returns the organisation back."""
    if record.undone_at is not None:
        raise MergeError("This merge was undone already.")
    if Organisation.objects.filter(slug=record.gone_slug).exists():
        raise MergeError("Another organisation has taken the address of the merged one.")
    for data in reversed(record.deleted):
        _restore(data)
    for label, pk, attname, old, _new in reversed(record.moves):
        model = apps.get_model(label)
        row = model._base_manager.filter(pk=pk).first()
        if row is None:  # deleted since the merge: nothing to give back
            continue
        setattr(row, attname, old)
        row._change_reason = UNDO_REASON
        row.save(update_fields=[model._meta.get_field(attname).name])
    keep = Organisation.objects.filter(pk=record.kept_id).first()
    if keep is not None and record.filled:
        for attname, value in record.filled.items():
            setattr(keep, attname, value)
        keep._change_reason = UNDO_REASON
        keep.save()
    record.undone_at = timezone.now()
    record.undone_by = user
    record.save()
    if record.proposal is not None:
        record.proposal.status = DuplicateProposal.Status.OPEN
        record.proposal.decided_by = None
        record.proposal.decided_at = None
        record.proposal.save()
    return Organisation.objects.get(pk=record.gone_id)
