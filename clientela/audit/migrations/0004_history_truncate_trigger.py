"""TRUNCATE empties a table without touching its rows one by one, so the append-only
row trigger (0002) never sees it (issue 14): on PostgreSQL a statement trigger refuses
it too. SQLite has no TRUNCATE. `manage.py flush` (and the test runner) empties tables
with the triggers switched off for its own transaction, which only a superuser may do
(clientela.core.backends.postgresql); docs/deployment.md shows how to run the app as a
role that may only add to and read the history, so it can neither truncate it nor turn
the trigger off."""

from typing import Any

from django.db import migrations

PG_CREATE = """
CREATE TRIGGER audit_history_no_truncate
    BEFORE TRUNCATE ON audit_historyentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_history_append_only();
"""
PG_DROP = "DROP TRIGGER IF EXISTS audit_history_no_truncate ON audit_historyentry;"


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_CREATE)


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_imports_history_source")]
    operations = [migrations.RunPython(create, drop)]
