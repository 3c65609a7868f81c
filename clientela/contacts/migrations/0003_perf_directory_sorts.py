"""The directory's sorts each get an index (the account's name is copied onto the
contact for its sort), and on SQLite the contacts' FTS5 search table
(clientela.core.fts)."""

from typing import Any

from django.conf import settings
from django.db import migrations, models

from clientela.core.fts import sqlite_fts_drop_sql, sqlite_fts_sql

FILL_ACCOUNT_NAME = """UPDATE contacts_contact SET account_name = COALESCE(
    (SELECT name FROM accounts_account a WHERE a.id = contacts_contact.account_id), '')
    WHERE account_id IS NOT NULL"""


def forwards(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute(FILL_ACCOUNT_NAME)
    if schema_editor.connection.vendor == "sqlite":
        for sql in sqlite_fts_sql("contacts_contact"):
            schema_editor.execute(sql)


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for sql in sqlite_fts_drop_sql("contacts_contact"):
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_perf_search_and_counts"),
        ("contacts", "0002_directory_columns"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="account_name",
            field=models.CharField(default="", editable=False, max_length=200),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(
                fields=["job_title", "sort_name", "id"], name="contact_title_sort_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(
                fields=["account_name", "sort_name", "id"], name="contact_acc_name_sort_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(fields=["email", "id"], name="contact_email_sort_idx"),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(fields=["updated_at", "id"], name="contact_updated_sort_idx"),
        ),
    ]
