"""The five role groups of SPEC §7. Their permissions are (re)assigned after every
migrate by clientela.users.apps, because permissions of apps migrated later do not
exist yet at this point."""

from typing import Any

from django.db import migrations

ROLES = ["admin", "manager", "sales", "support", "viewer"]


def create_groups(apps: Any, schema_editor: Any) -> None:
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("users", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
