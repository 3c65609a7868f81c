"""The documents' search served by an index, like every other module's (clientela.core.fts):
on SQLite the FTS5 trigram table `documents_document_fts` kept in step by triggers, on
PostgreSQL a trigram GIN index on search_text. search_text is written again first, so a
row saved before it held the folded file name and description finds its words."""

from typing import Any

from django.db import migrations

from clientela.core.fts import sqlite_fts_drop_sql, sqlite_fts_sql
from clientela.core.search import build_search_text

TABLE = "documents_document"
CHUNK = 2000


def backfill(apps: Any, schema_editor: Any) -> None:
    Document = apps.get_model("documents", "Document")
    rows = Document.objects.using(schema_editor.connection.alias).order_by("pk")
    changed = []
    for pk, name, description, text in rows.values_list(
        "pk", "original_name", "description", "search_text"
    ).iterator(chunk_size=CHUNK):
        wanted = build_search_text([name, description])
        if wanted != text:
            changed.append(Document(pk=pk, search_text=wanted))
    Document.objects.using(schema_editor.connection.alias).bulk_update(
        changed, ["search_text"], batch_size=500
    )


def create_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for sql in sqlite_fts_sql(TABLE):
            schema_editor.execute(sql)
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS document_search_trgm "
            f"ON {TABLE} USING gin (search_text gin_trgm_ops)"
        )


def drop_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for sql in sqlite_fts_drop_sql(TABLE):
            schema_editor.execute(sql)
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS document_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
