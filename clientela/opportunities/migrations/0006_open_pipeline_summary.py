"""The open opportunities added up for Inicio (issue 18): the table (0007 adds the
triggers that keep it and fills it, once its key index exists)."""

import datetime

import django.db.models.deletion
import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0005_imports_export_permission"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="OpenPipelineSummary",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("stage", models.CharField(max_length=20)),
                ("currency", models.CharField(max_length=3)),
                ("close_month", models.DateField(null=True)),
                ("n", models.BigIntegerField(default=0)),
                ("amount_cents", models.DecimalField(decimal_places=0, default=0, max_digits=30)),
                ("weighted_cents", models.DecimalField(decimal_places=0, default=0, max_digits=32)),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "salesperson",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        condition=models.Q(("n", 0)), fields=["id"], name="open_pipeline_empty_idx"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        models.F("salesperson"),
                        models.F("owner"),
                        models.F("stage"),
                        models.F("currency"),
                        django.db.models.functions.comparison.Coalesce(
                            models.F("close_month"), models.Value(datetime.date(1, 1, 1))
                        ),
                        name="open_pipeline_summary_key",
                    )
                ],
            },
        ),
    ]
