"""Load the default catalogs (see clientela.catalogs.defaults)."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from clientela.catalogs.defaults import load_default_catalogs

    load_default_catalogs(lambda name: apps.get_model("catalogs", name))


class Migration(migrations.Migration):
    dependencies = [("catalogs", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
