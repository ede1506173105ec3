"""Search in the language of each document: the indexes store the analysed words.

Each search document gains its language and its analysed title and body (every word
stemmed in that language, `text.analysis`); the FTS5 table on SQLite and the tsvector on
PostgreSQL index these instead of the raw text (no stemmer of their own any more, so both
databases and the search snapshot analyse alike). Existing documents are analysed here
(as English: their language is filled in by the next `reindex_search`).
"""

from django.db import migrations, models

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS community_search_fts_update",
    "DROP TRIGGER IF EXISTS community_search_fts_delete",
    "DROP TRIGGER IF EXISTS community_search_fts_insert",
    "DROP TABLE IF EXISTS community_search_fts",
]


def sqlite_create(title: str, body: str, tokenizer: str) -> list[str]:
    return [
        f"""CREATE VIRTUAL TABLE community_search_fts USING fts5(
            {title}, {body},
            content='community_searchdocument', content_rowid='id',
            tokenize='{tokenizer}'
        )""",
        f"""CREATE TRIGGER community_search_fts_insert AFTER INSERT ON community_searchdocument
        BEGIN
            INSERT INTO community_search_fts(rowid, {title}, {body})
            VALUES (new.id, new.{title}, new.{body});
        END""",
        f"""CREATE TRIGGER community_search_fts_delete AFTER DELETE ON community_searchdocument
        BEGIN
            INSERT INTO community_search_fts(community_search_fts, rowid, {title}, {body})
            VALUES ('delete', old.id, old.{title}, old.{body});
        END""",
        f"""CREATE TRIGGER community_search_fts_update AFTER UPDATE OF {title}, {body}
        ON community_searchdocument
        BEGIN
            INSERT INTO community_search_fts(community_search_fts, rowid, {title}, {body})
            VALUES ('delete', old.id, old.{title}, old.{body});
            INSERT INTO community_search_fts(rowid, {title}, {body})
            VALUES (new.id, new.{title}, new.{body});
        END""",
        "INSERT INTO community_search_fts(community_search_fts) VALUES ('rebuild')",
    ]


POSTGRES_VECTOR = (
    "UPDATE community_searchdocument SET vector = "
    "setweight(to_tsvector('simple', title_words), 'A') || "
    "setweight(to_tsvector('simple', body_words), 'B')"
)


def forward(apps, schema_editor):
    from clusterbroker.text.analysis import analysed

    documents = apps.get_model("community", "SearchDocument")
    batch = []
    for document in documents.objects.only("id", "title", "body", "language").iterator(
        chunk_size=2000
    ):
        document.title_words = analysed(document.title, document.language)
        document.body_words = analysed(document.body, document.language)
        batch.append(document)
        if len(batch) >= 2000:
            documents.objects.bulk_update(batch, ["title_words", "body_words"])
            batch = []
    if batch:
        documents.objects.bulk_update(batch, ["title_words", "body_words"])
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_DROP + sqlite_create(
            "title_words", "body_words", "unicode61 remove_diacritics 2"
        ):
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_VECTOR)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_DROP + sqlite_create(
            "title", "body", "porter unicode61 remove_diacritics 2"
        ):
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        schema_editor.execute(
            "UPDATE community_searchdocument SET vector = "
            "setweight(to_tsvector('english', title), 'A') || "
            "setweight(to_tsvector('english', body), 'B')"
        )


class Migration(migrations.Migration):
    dependencies = [("community", "0008_call_source_status")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="language",
            field=models.CharField(blank=True, default="", max_length=8),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="title_words",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="body_words",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(forward, backward),
    ]
