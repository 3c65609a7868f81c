import pytest
from django.utils import translation
from django.utils.text import capfirst

from clientela.accounts.models import Account
from clientela.contacts.models import Contact
from clientela.core.search import normalize_text
from clientela.imports.export_columns import ACCOUNT_COLUMNS
from clientela.imports.mapping import (
    ACCOUNT_FIELDS,
    CONTACT_FIELDS,
    alias_table,
    auto_mapping,
    find_header,
    header_key,
)

ACCOUNT_ALIASES = [(spec.name, alias) for spec in ACCOUNT_FIELDS for alias in spec.aliases]
CONTACT_ALIASES = [(spec.name, alias) for spec in CONTACT_FIELDS for alias in spec.aliases]


@pytest.mark.parametrize(("field", "alias"), ACCOUNT_ALIASES)
def test_every_account_alias_maps_to_its_field_with_and_without_accents(field, alias):
    table = alias_table("accounts", Account)
    for spelling in (alias, alias.upper(), normalize_text(alias), f" {alias.title()}: "):
        assert table[header_key(spelling)] == field, spelling


@pytest.mark.parametrize(("field", "alias"), CONTACT_ALIASES)
def test_every_contact_alias_maps_to_its_field(field, alias):
    table = alias_table("contacts", Contact)
    assert table[header_key(alias)] == field
    assert table[header_key(normalize_text(alias).upper())] == field


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Razón social", "name"),
        ("Nombre", "name"),
        ("RUC", "tax_id"),
        ("Cédula", "tax_id"),
        ("NIT", "tax_id"),
        ("Correo", "email"),
        ("E-mail", "email"),
        ("Teléfono", "phone"),
        ("Celular", "mobile"),
        ("Vendedor", "salesperson"),
        ("Tipo de cliente", "customer_type"),
        ("Límite de crédito", "credit_limit"),
        ("Display Name", "name"),
        ("Tax ID", "tax_id"),
        ("Mobile", "mobile"),
        ("Telefono", "phone"),
        ("LIMITE DE CREDITO", "credit_limit"),
    ],
)
def test_the_headers_other_crms_export_are_recognized(header, field):
    assert auto_mapping([header], alias_table("accounts", Account)) == {"0": field}


@pytest.mark.parametrize("language", ["es", "en"])
def test_an_accounts_export_header_maps_back_to_every_column(language, db):
    table = alias_table("accounts", Account)
    with translation.override(language):
        headers = [capfirst(str(c.header)) for c in ACCOUNT_COLUMNS]
    mapping = auto_mapping(headers, table)
    assert list(mapping.values()) == ["code", *(spec for spec in Account_editable())]


def Account_editable():
    from clientela.accounts.models import EDITABLE_FIELDS

    return EDITABLE_FIELDS


def test_a_column_naming_a_field_already_taken_is_ignored():
    mapping = auto_mapping(["RUC", "NIT", "Notas internas"], alias_table("accounts", Account))
    assert mapping == {"0": "tax_id", "1": "", "2": ""}


def test_the_header_row_is_found_below_a_title():
    rows = [
        (1, ["Listado de clientes 2024"]),
        (2, ["Generado por SAP"]),
        (4, ["Cliente", "NIT", "Email"]),
    ]
    assert find_header(rows, alias_table("accounts", Account)) == 2


def test_no_header_row_is_found_in_data_only():
    rows = [(1, ["Peña", "8-123-456"]), (2, ["Pérez", "8-1-2"])]
    assert find_header(rows, alias_table("accounts", Account)) is None
