"""What the registry's busiest pages compute from many rows (the home page's figures, the
maps of members, a partnership's competence matrix, the ranking of an organisation search),
kept in Django's cache for the data as they are now; the templates keep the rendered maps
too (`{% cache %}`, keyed by `data_version`).

An entry is read for the registry's data version only: its key holds the highest ids of
the tables these pages read, which change with rows added in bulk (imports that bypass
signals), and it keeps the token that was current when it was computed, which a save or a
deletion of one of those records changes at once (the signal receivers below, connected by
the app). An entry of an older version is computed again. Changes that bypass the signals
without adding rows (`QuerySet.update`, `bulk_update`) show once the entry expires
(`TIMEOUT`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from clusterbroker.community.models import SearchDocument

from .models import (
    Competence,
    Label,
    Membership,
    Organisation,
    OrganisationIdentifier,
    Participation,
    Partnership,
    PartnershipMember,
    Project,
    Region,
    Taxonomy,
    Term,
)

T = TypeVar("T")

# The records the cached pages read (the organisation search reads the documents of the
# search index): a save or a deletion of one changes the version. Other apps add theirs
# with `watch` when they are ready.
WATCHED: list[type[Model]] = [
    Organisation,
    Partnership,
    PartnershipMember,
    Membership,
    Project,
    Participation,
    Competence,
    Region,
    SearchDocument,
    Taxonomy,
    Term,
    OrganisationIdentifier,
    Label,
]
# After the entries in key order: a full database cache removes the first keys first.
TOKEN_KEY = "registry:version-token"
TIMEOUT = 300  # seconds: the longest a change that bypasses the signals stays unseen
READ_FLAG = "registry_page_cache_read"  # set on the connection when the token is read
# The cache alias of the rendered fragments: each process's own memory (settings.CACHES).
# Their keys hold the data version, read from the shared database and cache on every
# request, so a process never shows a fragment of data that changed since.
FRAGMENTS = "fragments"


def _highest_ids() -> tuple:
    """The highest id of every watched table, in one query (an index probe each)."""
    tables = [model._meta.db_table for model in WATCHED]
    sql = "SELECT " + ", ".join(f"(SELECT MAX(id) FROM {table})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def _new_token() -> str:
    token = uuid.uuid4().hex
    cache.set(TOKEN_KEY, token, timeout=None)
    return token


def cached(name: str, compute: Callable[[], T]) -> T:
    """What `compute` gives for the data as they are now, computed once per data version
    (`name` tells apart the things kept). One read of the database and one of the cache."""
    ids = _ids_text()
    key = f"registry:page:{ids}:{name}"
    found = cache.get_many([TOKEN_KEY, key])
    token = _token(found.get(TOKEN_KEY))
    entry = found.get(key)
    if entry is None or entry[0] != token:
        entry = (token, compute())
        cache.set(key, entry, timeout=TIMEOUT)
    return entry[1]


def data_version() -> str:
    """The registry's data version now (one read of the database and one of the cache): the
    key of the fragments a page keeps rendered for it (`{% cache ... using="fragments" %}`)."""
    ids = _ids_text()
    return f"{ids}-{_token(cache.get(TOKEN_KEY))}"


def _ids_text() -> str:
    return "-".join(str(n or 0) for n in _highest_ids())


def _token(found: str | None) -> str:
    """The current token (`found`: as read from the cache, None when there is none yet)."""
    # Read since the last change: the next change in this transaction must change it again.
    setattr(connection, READ_FLAG, True)
    if found is not None:
        return found
    token = uuid.uuid4().hex
    # Another process may set it first: theirs is kept, and read back.
    if not cache.add(TOKEN_KEY, token, timeout=None):
        token = cache.get(TOKEN_KEY) or token
    return token


def data_changed(**kwargs: Any) -> None:
    """A watched record was saved or deleted: later reads compute anew.

    In a transaction the token changes at once only when it was read since the last change
    (an import of many rows changes it once), and again when the transaction commits, so
    that a page computed meanwhile by another process from the data before the change is
    not kept."""
    if not connection.in_atomic_block:
        _new_token()
        return
    if getattr(connection, READ_FLAG, True):
        setattr(connection, READ_FLAG, False)
        _new_token()
    if not any(entry[1] is _new_token for entry in connection.run_on_commit):
        transaction.on_commit(_new_token)


def connect_receivers() -> None:
    """Called by the registry app when it is ready."""
    for model in WATCHED:
        _connect(model)
    m2m_changed.connect(
        data_changed, sender=Partnership.regions.through, dispatch_uid="page-cache-regions"
    )


def watch(model: type[Model]) -> None:
    """Another app's records that the cached pages show (called when that app is ready)."""
    if model not in WATCHED:
        WATCHED.append(model)
        _connect(model)


def _connect(model: type[Model]) -> None:
    post_save.connect(data_changed, sender=model, dispatch_uid=f"page-cache-save-{model}")
    post_delete.connect(data_changed, sender=model, dispatch_uid=f"page-cache-del-{model}")
