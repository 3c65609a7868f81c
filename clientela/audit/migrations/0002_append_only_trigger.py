"""History is append-only in the database too: a trigger refuses UPDATE (and, on
PostgreSQL, DELETE; SQLite's test flush deletes rows, so there the ORM guard suffices)."""

from typing import Any

from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION audit_history_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'history is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_history_append_only
    BEFORE UPDATE OR DELETE ON audit_historyentry
    FOR EACH ROW EXECUTE FUNCTION audit_history_append_only();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS audit_history_append_only ON audit_historyentry;
DROP FUNCTION IF EXISTS audit_history_append_only();
"""
SQLITE_CREATE = """
CREATE TRIGGER audit_history_append_only BEFORE UPDATE ON audit_historyentry
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS audit_history_append_only;"


def create(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)


def drop(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
