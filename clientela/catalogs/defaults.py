"""Catalog entries every installation starts with: ISIC Rev.4 / CIIU sections and
divisions (Spanish and English titles), common customer types, price lists, and the two
ledger accounts nearly every Latin American chart of accounts has. Loaded by a data migration,
and again whenever the catalog tables are found empty after a migrate (a test flush)."""

from typing import Any

from .ciiu_data import DIVISIONS, ENGLISH_TITLES, SECTIONS

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


# The default entries' names in English, by catalog and code.
ENGLISH_NAMES: dict[str, dict[str, str]] = {
    "CustomerType": {
        "CORP": "Corporate",
        "PYME": "Small or medium business",
        "GOB": "Government",
        "CF": "End consumer",
        "DIST": "Distributor",
        "ONG": "Non-profit organization",
    },
    "PriceList": {"GEN": "General", "MAY": "Wholesale", "GOB": "Government"},
    "LedgerAccount": {
        "1.1.03": "Accounts receivable - customers",
        "2.1.01": "Accounts payable - suppliers",
    },
    "EconomicActivity": ENGLISH_TITLES,
}


def fill_english_names(get_model: Any) -> None:
    """Give the default entries their English name where they have none yet (an
    administrator's own name is kept)."""
    for model_name, names in ENGLISH_NAMES.items():
        model = get_model(model_name)
        for code, name_en in names.items():
            model.objects.filter(code=code, name_en="").update(name_en=name_en)


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
    # Before the English names' migration the column does not exist yet: that migration fills it.
    if any(f.name == "name_en" for f in activity._meta.get_fields()):
        fill_english_names(get_model)
