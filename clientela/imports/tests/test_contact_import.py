import pytest

from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.audit.models import HistoryEntry
from clientela.contacts.models import Contact
from clientela.contacts.tests.factories import ContactFactory
from clientela.imports.models import ImportRun

from .files import csv_bytes
from .helpers import run_import

pytestmark = pytest.mark.django_db

HEADER = [
    "Nombre",
    "Apellidos",
    "Cargo",
    "Correo",
    "Celular",
    "Cuenta",
    "RUC de la cuenta",
    "Principal",
]


def test_contacts_attach_by_account_code_or_tax_id_and_import_once(importer_admin):
    first = AccountFactory(tax_id="155596713-2-2015", tax_dv="59")
    second = AccountFactory()
    rows = [
        HEADER,
        ["Ana", "Pérez", "Gerente", "ana@x.com", "6123-4567", first.code.lower(), "", "Sí"],
        ["Luis", "Núñez", "", "luis@x.com", "", "", "155596713 2 2015", "No"],
        ["Eva", "Ríos", "", "", "", second.code, "", ""],
    ]
    run = run_import(importer_admin, csv_bytes(rows), kind="contacts")
    assert (run.status, run.created, run.refused) == (ImportRun.Status.DONE, 3, 0), run.refusals
    ana = Contact.objects.get(email="ana@x.com")
    assert (ana.account, ana.is_primary, str(ana.mobile)) == (first, True, "+50761234567")
    assert Contact.objects.get(email="luis@x.com").account == first
    assert HistoryEntry.objects.filter(source=f"import:{run.pk}").count() == 3
    again = run_import(importer_admin, csv_bytes(rows), kind="contacts")
    assert (again.created, again.unchanged) == (0, 3)


def test_a_new_primary_takes_the_flag_from_the_current_one_with_both_recorded(importer_admin):
    account = AccountFactory()
    current = ContactFactory(account=account, is_primary=True, email="vieja@x.com")
    rows = [HEADER, ["Ana", "Pérez", "", "ana@x.com", "", account.code, "", "sí"]]
    run = run_import(importer_admin, csv_bytes(rows), kind="contacts")
    assert run.created == 1, run.refusals
    current.refresh_from_db()
    assert not current.is_primary
    assert HistoryEntry.objects.filter(object_id=str(current.pk), action="update").exists()


def test_two_primaries_for_one_account_in_a_file_are_refused(importer_admin):
    account = AccountFactory()
    rows = [
        HEADER,
        ["Ana", "Pérez", "", "ana@x.com", "", account.code, "", "Sí"],
        ["Luis", "Núñez", "", "luis@x.com", "", account.code, "", "Sí"],
    ]
    run = run_import(importer_admin, csv_bytes(rows), kind="contacts", commit=False)
    assert run.refused == 1
    assert run.refusals[0]["field"] == "is_primary"


def test_a_full_name_column_is_split_into_first_and_last_names(importer_admin):
    rows = [
        ["Nombre completo", "Correo"],
        ["Ana María Pérez Gómez", "ana@x.com"],
        ["Núñez, Luis", "l@x.com"],
    ]
    run = run_import(importer_admin, csv_bytes(rows), kind="contacts")
    assert run.created == 2, run.refusals
    ana = Contact.objects.get(email="ana@x.com")
    assert (ana.first_name, ana.last_name) == ("Ana María", "Pérez Gómez")
    assert Contact.objects.get(email="l@x.com").last_name == "Núñez"


def test_unknown_or_invisible_accounts_are_refused_for_a_salesperson():
    seller = UserFactory(role="sales")
    mine = AccountFactory(salesperson=seller)
    theirs = AccountFactory()
    rows = [
        HEADER,
        ["Ana", "Pérez", "", "ana@x.com", "", mine.code, "", ""],
        ["Luis", "Núñez", "", "luis@x.com", "", theirs.code, "", ""],
        ["Eva", "Ríos", "", "eva@x.com", "", "C-999999", "", ""],
    ]
    run = run_import(seller, csv_bytes(rows), kind="contacts", commit=False)
    assert run.created == 1
    assert {(r["line"], r["field"]) for r in run.refusals} == {(3, "account"), (4, "account")}


def test_a_contact_without_last_name_is_refused(importer_admin):
    rows = [HEADER, ["Ana", "", "", "ana@x.com", "", "", "", ""]]
    run = run_import(importer_admin, csv_bytes(rows), kind="contacts", commit=False)
    assert run.refused == 1
    assert run.refusals[0]["field"] == "last_name"
