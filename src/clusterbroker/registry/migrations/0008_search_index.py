"""Indexes of the organisation list on PostgreSQL (nothing on SQLite).

- a trigram index of the upper-case names: the search's "part of a name" (`name__icontains`,
  which PostgreSQL writes `UPPER("name"::text) LIKE UPPER(...)`) is answered from it
  instead of reading every organisation;
- the names in the list's order (`ordering.by_name`: the ICU root collation, then the name,
  then the id), alone and after the country: a page of the list, with or without a country,
  reads 20 index entries instead of sorting every organisation, and the country filter's
  list of countries is read by skipping through the index.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS registry_org_name_trgm ON registry_organisation "
    "USING gin (UPPER(name::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS registry_org_name_order ON registry_organisation "
    '((name COLLATE "und-x-icu"), name, id)',
    "CREATE INDEX IF NOT EXISTS registry_org_country_name_order ON registry_organisation "
    '(country, (name COLLATE "und-x-icu"), name, id)',
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS registry_org_country_name_order",
    "DROP INDEX IF EXISTS registry_org_name_order",
    "DROP INDEX IF EXISTS registry_org_name_trgm",
]


def _run(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0007_duplicates")]

    operations = [migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD))]
