"""Indexes for the list's plain sorts, and on SQLite the opportunities' FTS5 search
table (clientela.core.fts)."""

from typing import Any

from django.conf import settings
from django.db import migrations, models

from clientela.core.fts import sqlite_fts_drop_sql, sqlite_fts_sql


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for sql in sqlite_fts_sql("opportunities_opportunity"):
            schema_editor.execute(sql)


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for sql in sqlite_fts_drop_sql("opportunities_opportunity"):
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_perf_search_and_counts"),
        ("opportunities", "0002_search_trigram_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(fields=["name", "id"], name="opp_name_sort_idx"),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(fields=["probability", "id"], name="opp_probability_sort_idx"),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(fields=["updated_at", "id"], name="opp_updated_sort_idx"),
        ),
    ]
