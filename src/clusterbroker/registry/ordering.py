"""Names sorted as people read them: "Association" before "AUDROS", "École" among the E's.

A database sorts text by its code points ("AUDROS" before "Association", "École" after "Zeta").
`by_name` orders by the name without regard to case and accents: on PostgreSQL by the ICU
root collation; on SQLite by a key (the name without accents, case-folded) that a function of
our own, registered on each new connection, computes once per row (a collation written in
Python would be called for every comparison, twenty times slower on 100,000 names).
"""

import unicodedata

from django.db.models import CharField, F, Func
from django.db.models.functions import Collate, Lower

POSTGRESQL_COLLATION = "und-x-icu"
SQLITE_FUNCTION = "clusterbroker_name_key"


def name_key(text: str | None) -> str:
    """The name without accents and case: what names are compared by."""
    if text is None or text.isascii():
        return (text or "").lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class NameKey(Func):
    """The sort key of a name in the database in use (see the module); elsewhere its lower
    case."""

    function = SQLITE_FUNCTION
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return compiler.compile(Collate(*self.get_source_expressions(), POSTGRESQL_COLLATION))

    def as_sql(self, compiler, connection, **extra_context):
        if connection.vendor == "sqlite":
            return super().as_sql(compiler, connection, **extra_context)
        return compiler.compile(Lower(*self.get_source_expressions()))


def by_name(field: str = "name") -> list:
    """Orderings for `order_by(*by_name())`: the field as people sort names, then the names
    equal that way in a fixed order."""
    return [NameKey(F(field)).asc(), F(field).asc()]


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """Signal receiver (connection_created): gives each SQLite connection the key function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, name_key, deterministic=True)
