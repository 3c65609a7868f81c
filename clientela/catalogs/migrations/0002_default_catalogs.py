"""Catalog entries every installation starts with: ISIC Rev.4 / CIIU sections and
divisions (Spanish titles), common customer types, a general price list and the two
ledger accounts nearly every Latin American chart of accounts has."""

from typing import Any

from django.db import migrations

CUSTOMER_TYPES = [
    ("CORP", "Corporativo"),
    ("PYME", "PyME"),
    ("GOB", "Gobierno"),
    ("CF", "Consumidor final"),
    ("DIST", "Distribuidor"),
    ("ONG", "Organización sin fines de lucro"),
]
PRICE_LISTS = [("GEN", "General"), ("MAY", "Mayorista"), ("GOB", "Gobierno")]
LEDGER_ACCOUNTS = [
    ("1.1.03", "Cuentas por cobrar – clientes"),
    ("2.1.01", "Cuentas por pagar – proveedores"),
]


def load(apps: Any, schema_editor: Any) -> None:
    from clientela.catalogs.ciiu_data import DIVISIONS, SECTIONS

    CustomerType = apps.get_model("catalogs", "CustomerType")
    EconomicActivity = apps.get_model("catalogs", "EconomicActivity")
    PriceList = apps.get_model("catalogs", "PriceList")
    LedgerAccount = apps.get_model("catalogs", "LedgerAccount")
    for code, name in CUSTOMER_TYPES:
        CustomerType.objects.get_or_create(code=code, defaults={"name": name})
    for code, name in PRICE_LISTS:
        PriceList.objects.get_or_create(code=code, defaults={"name": name})
    for code, name in LEDGER_ACCOUNTS:
        LedgerAccount.objects.get_or_create(code=code, defaults={"name": name})
    sections = {}
    for code, name in SECTIONS:
        sections[code], _created = EconomicActivity.objects.get_or_create(
            code=code, defaults={"name": name}
        )
    for code, name, section in DIVISIONS:
        EconomicActivity.objects.get_or_create(
            code=code, defaults={"name": name, "section": sections[section]}
        )


class Migration(migrations.Migration):
    dependencies = [("catalogs", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
