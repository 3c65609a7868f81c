# Phones keep their extension ("+5072634567;ext=12"). Stored values are plain E.164, which the
# new field reads as before: no data to migrate.

from django.db import migrations

import clientela.core.phones


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_account_permissions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="account",
            name="mobile",
            field=clientela.core.phones.PhoneNumberField(
                blank=True, max_length=128, region=None, verbose_name="mobile"
            ),
        ),
        migrations.AlterField(
            model_name="account",
            name="phone",
            field=clientela.core.phones.PhoneNumberField(
                max_length=128, region=None, verbose_name="phone"
            ),
        ),
        migrations.AlterField(
            model_name="account",
            name="phone_alt",
            field=clientela.core.phones.PhoneNumberField(
                blank=True, max_length=128, region=None, verbose_name="alternate phone"
            ),
        ),
    ]
