"""The queue's priority as a stored rank with an index in queue order, and on SQLite
the cases' FTS5 search table (clientela.core.fts)."""

from typing import Any

from django.conf import settings
from django.db import migrations, models

from clientela.core.fts import sqlite_fts_drop_sql, sqlite_fts_sql

FILL_RANK = """UPDATE cases_case SET priority_rank = CASE priority
    WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 WHEN 'low' THEN 3 ELSE 4 END"""


def forwards(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute(FILL_RANK)
    if schema_editor.connection.vendor == "sqlite":
        for sql in sqlite_fts_sql("cases_case"):
            schema_editor.execute(sql)


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for sql in sqlite_fts_drop_sql("cases_case"):
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_perf_search_and_counts"),
        ("cases", "0002_sequence_and_search_index"),
        ("contacts", "0002_directory_columns"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="priority_rank",
            field=models.PositiveSmallIntegerField(default=2, editable=False),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status__in", ("new", "in_progress", "waiting_customer"))),
                fields=["priority_rank", "opened_at", "id"],
                name="case_queue_order_idx",
            ),
        ),
    ]
