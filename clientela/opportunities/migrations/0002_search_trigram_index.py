"""On PostgreSQL, a trigram index so that the list's LIKE '%word%' search stays fast with
hundreds of thousands of opportunities (SQLite scans, as for accounts)."""

from typing import Any

from django.db import migrations


def create_trigram_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS opportunity_search_trgm "
        "ON opportunities_opportunity USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS opportunity_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0001_initial")]
    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
