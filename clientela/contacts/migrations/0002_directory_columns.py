"""The directory's derived columns (folded sort key, jump-bar letter), the vCard
permissions, and on PostgreSQL a trigram index so the directory's LIKE '%word%' search
stays fast with millions of contacts (as accounts 0003 does for accounts)."""

import unicodedata
from typing import Any

from django.conf import settings
from django.db import migrations, models

from clientela.core.search import normalize_text


def _initial(last_name: str) -> str:
    # Frozen copy of clientela.contacts.models.name_initial as of this migration.
    text = unicodedata.normalize("NFC", (last_name or "").strip())
    if not text:
        return "#"
    if text[0].upper() == "Ñ":
        return "Ñ"
    folded = normalize_text(text[0]).upper()[:1]
    return folded if folded and "A" <= folded <= "Z" else "#"


def fill_derived(apps: Any, schema_editor: Any) -> None:
    Contact = apps.get_model("contacts", "Contact")
    batch = []
    for contact in Contact.objects.only("id", "first_name", "last_name").iterator(chunk_size=2000):
        contact.sort_name = normalize_text(f"{contact.last_name} {contact.first_name}")[:200]
        contact.initial = _initial(contact.last_name)
        batch.append(contact)
        if len(batch) >= 2000:
            Contact.objects.bulk_update(batch, ["sort_name", "initial"])
            batch = []
    if batch:
        Contact.objects.bulk_update(batch, ["sort_name", "initial"])


def create_trigram_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS contact_search_trgm "
        "ON contacts_contact USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS contact_search_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_account_permissions"),
        ("contacts", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="contact",
            options={
                "ordering": ["sort_name", "id"],
                "permissions": [
                    ("download_contact", "Can download a contact as a vCard"),
                    ("export_contact", "Can export contacts"),
                ],
                "verbose_name": "contact",
                "verbose_name_plural": "contacts",
            },
        ),
        migrations.RemoveIndex(
            model_name="contact",
            name="contact_name_idx",
        ),
        migrations.RemoveIndex(
            model_name="contact",
            name="contact_account_idx",
        ),
        migrations.AddField(
            model_name="contact",
            name="initial",
            field=models.CharField(default="#", editable=False, max_length=1),
        ),
        migrations.AddField(
            model_name="contact",
            name="sort_name",
            field=models.CharField(default="", editable=False, max_length=200),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(fields=["sort_name", "id"], name="contact_sort_idx"),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(fields=["initial", "sort_name", "id"], name="contact_initial_idx"),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(
                fields=["account", "-is_primary", "sort_name"], name="contact_account_sort_idx"
            ),
        ),
        migrations.AlterConstraint(
            model_name="contact",
            name="contact_primary_needs_account",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("is_primary", False), ("account__isnull", False), _connector="OR"
                ),
                name="contact_primary_needs_account",
                violation_error_message="Only a contact of an account can be its primary.",
            ),
        ),
        migrations.RunPython(fill_derived, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
