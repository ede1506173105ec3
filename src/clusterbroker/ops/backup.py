"""The product's portable backup: every record of every installed app in one gzip'd JSON file.

The file is a JSON object::

    {"format": "clusterbroker-backup", "version": 1, "created_at": "…",
     "models": {"registry.organisation": 12, …}, "objects": [… Django "python" serialisation …]}

Objects come in dependency order (a record after the records it points to), with their
primary keys, so every foreign key and many-to-many relation comes back as it was.
Content types and permissions are made by `migrate` itself: the backup leaves them out and
refers to them by natural key, so a backup restores into any database migrated to the same
version, on SQLite or PostgreSQL alike. Sessions are left out (logins do not survive a restore).
"""

import contextvars
import datetime as dt
import gzip
import json
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "clusterbroker-backup"
VERSION = 1

# Made by `migrate` (content types, permissions) or short-lived (sessions): not backed up.
EXCLUDED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


class BackupError(Exception):
    """A backup file that cannot be restored; the message says why."""


@dataclass
class BackupSummary:
    path: Path
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class _Encoder(DjangoJSONEncoder):
    """Like Django's encoder, but keeps the microseconds of times (it drops them)."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def label(model: type[Model]) -> str:
    return model._meta.label_lower


def backed_up_models() -> list[type[Model]]:
    """Every concrete model of every installed app, in dependency order."""
    app_models = [
        (config, [m for m in config.get_models() if _included(m)])
        for config in apps.get_app_configs()
    ]
    return serializers.sort_dependencies(app_models, allow_cycles=True)


def _included(model: type[Model]) -> bool:
    meta = model._meta
    return meta.managed and not meta.proxy and label(model) not in EXCLUDED


def _records(models: Iterable[type[Model]], counts: dict[str, int]):
    for model in models:
        queryset = model._base_manager.order_by(model._meta.pk.name)
        objects = serializers.serialize(
            "python", queryset.iterator(), use_natural_foreign_keys=True
        )
        counts[label(model)] = len(objects)
        yield from objects


def create_backup(path: str | Path, using: str = DEFAULT_DB_ALIAS) -> BackupSummary:
    """Write every record to `path` (gzip'd JSON); returns how many of each model."""
    path = Path(path)
    summary = BackupSummary(path)
    with transaction.atomic(using=using):  # one consistent snapshot
        objects = list(_records(backed_up_models(), summary.counts))
    document = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now().isoformat(),
        "models": summary.counts,
        "objects": objects,
    }
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        json.dump(document, stream, cls=_Encoder)
    return summary


def read_backup(path: str | Path) -> dict:
    """Load and check a backup file; raises BackupError naming the file and the reason."""
    path = Path(path)
    try:
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            document = json.load(stream)
    except FileNotFoundError as error:
        raise BackupError(_("%(file)s: no such file.") % {"file": path}) from error
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:
        raise BackupError(
            _("%(file)s: not a ClusterBroker backup (not a gzip file).") % {"file": path}
        ) from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(
            _("%(file)s: not a ClusterBroker backup (not JSON: %(reason)s).")
            % {"file": path, "reason": error}
        ) from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(
            _("%(file)s: not a ClusterBroker backup (no “format”: “%(format)s”).")
            % {"file": path, "format": FORMAT}
        )
    if document.get("version") != VERSION:
        raise BackupError(
            _("%(file)s: backup format version %(found)s; this version reads version %(wanted)s.")
            % {"file": path, "found": document.get("version"), "wanted": VERSION}
        )
    objects = document.get("objects")
    if not isinstance(objects, list) or not all(
        isinstance(o, dict) and isinstance(o.get("model"), str) for o in objects
    ):
        raise BackupError(_("%(file)s: “objects” is not a list of records.") % {"file": path})
    known = {label(m) for m in backed_up_models()}
    unknown = sorted({o["model"] for o in objects} - known)
    if unknown:
        raise BackupError(
            _("%(file)s: records of models this installation does not have: %(models)s.")
            % {"file": path, "models": ", ".join(unknown)}
        )
    return document


def non_empty_models(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Models that already hold records (a restore would mix two databases)."""
    return [label(m) for m in backed_up_models() if m._base_manager.using(using).exists()]


def _delete_everything(models: list[type[Model]], using: str) -> None:
    """Delete every backed-up record, inside the restore's transaction.

    Plain DELETEs, many-to-many tables first and then the models in reverse dependency
    order (TRUNCATE cannot run in a transaction that has already changed rows on
    PostgreSQL); foreign keys are checked at the end of the transaction.
    """
    connection = connections[using]
    quote = connection.ops.quote_name
    through = [
        f.remote_field.through._meta.db_table
        for m in models
        for f in m._meta.local_many_to_many
        if f.remote_field.through._meta.auto_created
    ]
    with connection.cursor() as cursor:
        for table in [*through, *[m._meta.db_table for m in reversed(models)]]:
            cursor.execute(f"DELETE FROM {quote(table)}")


# True while a backup is being restored: receivers that write derived records (the search
# index) skip the many-to-many changes the restore makes, since the backup holds their result.
_restoring: contextvars.ContextVar[bool] = contextvars.ContextVar("restoring", default=False)


def restoring() -> bool:
    """Whether a backup is being restored in this context (see `restore_backup`)."""
    return _restoring.get()


def restore_backup(
    path: str | Path, *, force: bool = False, using: str = DEFAULT_DB_ALIAS
) -> BackupSummary:
    """Restore `path` into the database, all or nothing.

    The database must be empty (freshly migrated) unless `force` is given, in which
    case its records are deleted first, in the same transaction as the restore.
    """
    document = read_backup(path)
    summary = BackupSummary(Path(path))
    models = backed_up_models()
    if not force:
        filled = non_empty_models(using)
        if filled:
            raise BackupError(
                _(
                    "The database is not empty (records in %(models)s); restore into an empty "
                    "database or use --force to replace its records."
                )
                % {
                    "models": ", ".join(filled[:5])
                    + (_(" and %(n)d more") % {"n": len(filled) - 5} if len(filled) > 5 else "")
                }
            )
    connection = connections[using]
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    token = _restoring.set(True)
    try:
        with transaction.atomic(using=using):
            with connection.constraint_checks_disabled():
                if force:
                    _delete_everything(models, using)
                restored = serializers.deserialize(
                    "python",
                    document["objects"],
                    using=using,
                    handle_forward_references=True,
                )
                pending = []
                for item in restored:
                    item.save(using=using)
                    if item.deferred_fields:
                        pending.append(item)
                    key = label(type(item.object))
                    summary.counts[key] = summary.counts.get(key, 0) + 1
                for item in pending:
                    item.save_deferred_fields(using=using)
            connection.check_constraints(table_names=[m._meta.db_table for m in models])
            _reset_sequences(models, using)
    except (DeserializationError, IntegrityError, LookupError, ValueError, TypeError) as error:
        raise BackupError(
            _("%(file)s: cannot be restored, nothing was changed: %(reason)s")
            % {"file": path, "reason": error}
        ) from error
    finally:
        _restoring.reset(token)
    return summary


def _reset_sequences(models: list[type[Model]], using: str) -> None:
    """Next ids continue after the restored ones (PostgreSQL sequences)."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
