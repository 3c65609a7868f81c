"""The case number counter, and on PostgreSQL a trigram index so that the queue's
LIKE '%word%' search stays fast with many cases (SQLite scans; it is the embedded
database for small installations)."""

from typing import Any

from django.db import migrations


def create_sequence(apps: Any, schema_editor: Any) -> None:
    Sequence = apps.get_model("core", "Sequence")
    Sequence.objects.get_or_create(name="case")


def create_trigram_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS case_search_trgm "
        "ON cases_case USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS case_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("core", "0001_initial")]
    operations = [
        migrations.RunPython(create_sequence, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
