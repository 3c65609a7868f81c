"""Catalog entries get an English name, shown when the interface is in English; the default
entries (customer types, price lists, ledger accounts, ISIC sections and divisions) get theirs."""

from typing import Any

from django.db import migrations, models


def fill(apps: Any, schema_editor: Any) -> None:
    from clientela.catalogs.defaults import fill_english_names

    fill_english_names(lambda name: apps.get_model("catalogs", name))


class Migration(migrations.Migration):
    dependencies = [
        ("catalogs", "0003_latam_exchange_rate"),
    ]

    operations = [
        migrations.AddField(
            model_name="customertype",
            name="name_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="name in English"),
        ),
        migrations.AddField(
            model_name="economicactivity",
            name="name_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="name in English"),
        ),
        migrations.AddField(
            model_name="ledgeraccount",
            name="name_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="name in English"),
        ),
        migrations.AddField(
            model_name="pricelist",
            name="name_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="name in English"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
