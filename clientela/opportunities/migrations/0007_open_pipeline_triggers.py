"""Keep OpenPipelineSummary with database triggers and fill it from the opportunities
there are (see clientela.opportunities.db_triggers). Apart from 0006: Django creates the
table's key index at the end of the migration that makes the table, and the fill's
upsert needs it."""

from typing import Any

from django.db import migrations

from clientela.opportunities.db_triggers import install, uninstall


def forwards(apps: Any, schema_editor: Any) -> None:
    install(schema_editor)


def backwards(apps: Any, schema_editor: Any) -> None:
    uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0006_open_pipeline_summary")]
    operations = [migrations.RunPython(forwards, backwards)]
