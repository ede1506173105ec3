"""Queries of the organisation list's page that stay fast however many organisations there are."""

from django.db import connection

from .models import Organisation

# One index probe per country (a loose index scan through the index of migration registry
# 0008 that starts with the country) instead of reading every organisation.
_POSTGRES_COUNTRIES = """
WITH RECURSIVE found (country) AS (
    SELECT min(country) FROM {table} WHERE country > ''
    UNION ALL
    SELECT (SELECT min(country) FROM {table} WHERE country > found.country)
    FROM found WHERE found.country IS NOT NULL
)
SELECT country FROM found WHERE country IS NOT NULL
"""


def countries_in_use() -> list[str]:
    """The countries of the organisations, each once, in code order (no empty country)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_POSTGRES_COUNTRIES.format(table=Organisation._meta.db_table))
            return [country for (country,) in cursor.fetchall()]
    return sorted(
        Organisation.objects.exclude(country="")
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    )
