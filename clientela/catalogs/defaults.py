"""Catalog entries every installation starts with: ISIC Rev.4 / CIIU sections and
divisions (Spanish titles), common customer types, price lists, and the two ledger
accounts nearly every Latin American chart of accounts has. Loaded by a data migration,
and again whenever the catalog tables are found empty after a migrate (a test flush)."""

from typing import Any

from .ciiu_data import DIVISIONS, SECTIONS

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
    ("1.1.03", "Cuentas por cobrar - clientes"),
    ("2.1.01", "Cuentas por pagar - proveedores"),
]


def load_default_catalogs(get_model: Any) -> None:
    """Create the default entries that are missing; `get_model(name)` gives the model
    (the migration's historical one, or the real one)."""
    for model_name, rows in [
        ("CustomerType", CUSTOMER_TYPES),
        ("PriceList", PRICE_LISTS),
        ("LedgerAccount", LEDGER_ACCOUNTS),
    ]:
        model = get_model(model_name)
        for code, name in rows:
            model.objects.get_or_create(code=code, defaults={"name": name})
    activity = get_model("EconomicActivity")
    sections = {}
    for code, name in SECTIONS:
        sections[code], _created = activity.objects.get_or_create(
            code=code, defaults={"name": name}
        )
    for code, name, section in DIVISIONS:
        activity.objects.get_or_create(
            code=code, defaults={"name": name, "section": sections[section]}
        )
