"""The change history of records, read from the audit trail (django-simple-history).

`change_log(records)` merges the history of several records (an organisation and
its competences, say) into one list, newest first, each entry saying who changed
what, when, from which value to which.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

KINDS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    when: dt.datetime
    who: str
    kind: str  # created / changed / deleted
    record: str  # e.g. "Organisation Flanders Make"
    changes: list[FieldChange]
    history_id: int


def _label(record: Model) -> str:
    model = record.instance_type if hasattr(record, "instance_type") else type(record)
    try:
        name = str(record)
    except ObjectDoesNotExist:  # its name needs a related record deleted since
        name = f"#{getattr(record, 'id', record.pk)}"
    return f"{model._meta.verbose_name.capitalize()} {name}"


def _value(record: Model, field: str) -> str:
    value = getattr(record, field, "")
    return "" if value is None else str(value)


def _entries(history: QuerySet) -> Iterable[Change]:
    records = list(history.select_related("history_user").order_by("history_date", "history_id"))
    previous: dict[int, Model] = {}
    for record in records:
        before = previous.get(record.id)
        changes: list[FieldChange] = []
        if before is not None and record.history_type == "~":
            delta = record.diff_against(before)
            for change in delta.changes:
                field = record.instance_type._meta.get_field(change.field)
                changes.append(
                    FieldChange(
                        str(field.verbose_name),
                        "" if change.old is None else str(change.old),
                        "" if change.new is None else str(change.new),
                    )
                )
            if not changes:
                previous[record.id] = record
                continue  # saved without a change
        previous[record.id] = record
        user = record.history_user
        yield Change(
            when=record.history_date,
            who=(user.get_full_name() or user.get_username()) if user else _("the system"),
            kind=KINDS[record.history_type],
            record=_label(record.instance if record.history_type != "-" else record),
            changes=changes,
            history_id=record.history_id,
        )


def change_log(histories: Iterable[QuerySet], limit: int = 200) -> list[Change]:
    """Newest first: every change recorded in the given history querysets."""
    merged = [entry for history in histories for entry in _entries(history)]
    merged.sort(key=lambda c: (c.when, c.history_id), reverse=True)
    return merged[:limit]
