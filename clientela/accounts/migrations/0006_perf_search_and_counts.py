"""Fill the new sort columns, keep the per-salesperson status counts with triggers, and
on SQLite index search_text with an FTS5 trigram table (see clientela.core.fts).

Triggers rather than services keep the counts: every write path (the services, the bulk
writer, imports, a manual UPDATE) moves them alike. PostgreSQL uses statement-level
triggers with transition tables, so a COPY of a million rows costs one grouped upsert.
"""

from typing import Any

from django.db import migrations

from clientela.accounts.db_triggers import (
    COUNTS,
    FILL_COUNTS,
    FILL_SORT_COLUMNS,
    PG_COUNT_DROP,
    PG_COUNT_TRIGGERS,
    SQLITE_COUNT_DROP,
    SQLITE_COUNT_TRIGGERS,
    TABLE,
)
from clientela.core.fts import sqlite_fts_drop_sql, sqlite_fts_sql


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    schema_editor.execute(FILL_SORT_COLUMNS)
    schema_editor.execute(f"DELETE FROM {COUNTS}")
    schema_editor.execute(FILL_COUNTS)
    statements = PG_COUNT_TRIGGERS if vendor == "postgresql" else SQLITE_COUNT_TRIGGERS
    if vendor == "sqlite":
        statements = [*statements, *sqlite_fts_sql(TABLE)]
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = PG_COUNT_DROP if vendor == "postgresql" else SQLITE_COUNT_DROP
    if vendor == "sqlite":
        statements = [*statements, *sqlite_fts_drop_sql(TABLE)]
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_perf_sort_columns"),
        ("catalogs", "0002_default_catalogs"),
        ("users", "0002_role_groups"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
