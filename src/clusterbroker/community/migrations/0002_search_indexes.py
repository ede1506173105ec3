"""The full-text indexes: an FTS5 table with triggers on SQLite, a GIN index on PostgreSQL."""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE community_search_fts USING fts5(
        title, body,
        content='community_searchdocument', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER community_search_fts_insert AFTER INSERT ON community_searchdocument
    BEGIN
        INSERT INTO community_search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER community_search_fts_delete AFTER DELETE ON community_searchdocument
    BEGIN
        INSERT INTO community_search_fts(community_search_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER community_search_fts_update AFTER UPDATE OF title, body
    ON community_searchdocument
    BEGIN
        INSERT INTO community_search_fts(community_search_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO community_search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    "INSERT INTO community_search_fts(community_search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS community_search_fts_update",
    "DROP TRIGGER IF EXISTS community_search_fts_delete",
    "DROP TRIGGER IF EXISTS community_search_fts_insert",
    "DROP TABLE IF EXISTS community_search_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX community_search_vector_gin ON community_searchdocument USING gin (vector)",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS community_search_vector_gin"]


def _run(statements: dict):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
