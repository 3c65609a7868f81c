from decimal import Decimal

import pytest
from django.db import connection

from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.audit.models import HistoryEntry
from clientela.catalogs.models import PriceList
from clientela.imports import bulk
from clientela.imports.models import ImportRun

from .files import ACCOUNT_HEADER, account_row, csv_bytes, openpyxl_bytes, xlsxwriter_bytes
from .helpers import refusal_messages, run_import

pytestmark = pytest.mark.django_db


def test_a_file_creates_accounts_with_codes_computed_dv_and_history_naming_the_import(
    importer_admin, corporate
):
    data = csv_bytes([ACCOUNT_HEADER, account_row(1), account_row(2)])
    run = run_import(importer_admin, data)
    assert (run.status, run.created, run.refused) == (ImportRun.Status.DONE, 2, 0)
    account = Account.objects.get(tax_id="1555001-1-2019")
    assert account.code.startswith("C-")
    assert account.tax_dv  # computed
    assert account.salesperson == importer_admin
    assert account.person_kind == Account.PersonKind.LEGAL
    assert "distribuidora numero 1" in account.search_text
    entry = HistoryEntry.objects.get(account_id=account.pk)
    assert entry.action == "create"
    assert entry.source == f"import:{run.pk}"
    assert entry.user == importer_admin


def test_running_the_same_file_twice_creates_nothing_the_second_time(importer_admin, corporate):
    data = csv_bytes([ACCOUNT_HEADER, account_row(1), account_row(2)])
    run_import(importer_admin, data)
    again = run_import(importer_admin, data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Account.objects.count() == 2
    assert HistoryEntry.objects.count() == 2


@pytest.mark.parametrize("spelling", ["155596713-2-2015", "155596713 2 2015", "155596713-02-2015"])
def test_upsert_matches_the_tax_id_in_any_spelling(importer_admin, corporate, spelling):
    existing = AccountFactory(
        tax_id="155596713-2-2015", tax_dv="59", name="Vieja, S.A.", customer_type=corporate
    )
    data = csv_bytes([ACCOUNT_HEADER, account_row(1, tax_id=spelling, name="Nueva, S.A.")])
    run = run_import(importer_admin, data)
    assert (run.created, run.updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.name == "Nueva, S.A."
    assert existing.version == 2
    entry = HistoryEntry.objects.get(account_id=existing.pk, action="update")
    assert entry.changes["name"] == ["Vieja, S.A.", "Nueva, S.A."]
    assert entry.source == f"import:{run.pk}"


def test_an_update_changes_only_the_mapped_columns(importer_admin, corporate):
    price_list = PriceList.objects.create(code="VIP", name="Clientes VIP")
    existing = AccountFactory(
        tax_id="1555001-1-2019", price_list=price_list, city="David", customer_type=corporate
    )
    data = csv_bytes([["RUC", "Ciudad"], ["1555001-1-2019", "Colón"]])
    run = run_import(importer_admin, data)
    assert run.updated == 1
    existing.refresh_from_db()
    assert (existing.city, existing.price_list) == ("Colón", price_list)


def test_create_only_refuses_existing_and_update_only_refuses_new(importer_admin, corporate):
    AccountFactory(tax_id="1555001-1-2019", customer_type=corporate)
    data = csv_bytes([ACCOUNT_HEADER, account_row(1), account_row(2)])
    created = run_import(importer_admin, data, mode="create", commit=False)
    assert (created.created, created.refused) == (1, 1)
    assert "C-" in refusal_messages(created)[0][2] or "T-" in refusal_messages(created)[0][2]
    updated = run_import(importer_admin, data, mode="update", commit=False)
    assert (updated.updated + updated.unchanged, updated.refused) == (1, 1)


def test_a_dry_run_writes_nothing(importer_admin, corporate):
    run = run_import(importer_admin, csv_bytes([ACCOUNT_HEADER, account_row(1)]), commit=False)
    assert (run.status, run.created) == (ImportRun.Status.CHECKED, 1)
    assert not Account.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"tax_id": "123"}, "tax_id"),
        ({"dv": "00"}, "tax_dv"),
        ({"email": "no-es-correo"}, "email"),
        ({"phone": "12"}, "phone"),
        ({"customer_type": "Inexistente"}, "customer_type"),
        ({"contact": ""}, "contact_name"),
        ({"name": "X"}, "name"),
        ({"phone": ""}, "phone"),
        ({"email": ""}, "email"),
    ],
)
def test_each_bad_value_is_refused_with_its_line_column_and_spanish_message(
    importer_admin, corporate, overrides, field
):
    data = csv_bytes([ACCOUNT_HEADER, account_row(1), account_row(2, **overrides)])
    run = run_import(importer_admin, data, commit=False)
    assert run.refused == 1
    refusals = [r for r in run.refusals if r["field"] == field]
    assert refusals, run.refusals
    assert refusals[0]["line"] == 3
    assert refusals[0]["column"] in ACCOUNT_HEADER
    assert refusals[0]["message"]


def test_messages_are_in_spanish_for_a_spanish_user(importer_admin, corporate):
    run = run_import(
        importer_admin, csv_bytes([ACCOUNT_HEADER, account_row(1, email="malo")]), commit=False
    )
    assert "correo" in run.refusals[0]["message"].lower()


@pytest.mark.parametrize(
    ("header", "value", "field"),
    [
        ("Vendedor", "nadie.existe", "salesperson"),
        ("Condición de pago", "Trueque", "payment_terms"),
        ("Días de crédito", "diez", "credit_days"),
        ("Límite de crédito", "mucho", "credit_limit"),
        ("Es proveedor", "quizás", "is_supplier"),
        ("País", "Narnia", "country"),
        ("Prioridad", "Altísima", "priority"),
        ("Estatus", "Dormida", "status"),
        ("Actividad económica", "9999", "economic_activity"),
        ("Tipo de persona", "Robot", "person_kind"),
    ],
)
def test_unknown_catalog_and_choice_values_are_row_errors_never_silent_blanks(
    importer_admin, corporate, header, value, field
):
    data = csv_bytes([[*ACCOUNT_HEADER, header], [*account_row(1), value]])
    run = run_import(importer_admin, data, commit=False)
    assert run.refused == 1
    assert field in {r["field"] for r in run.refusals}


def test_credit_terms_need_days_and_limit(importer_admin, corporate):
    header = [*ACCOUNT_HEADER, "Condición de pago", "Días de crédito", "Límite de crédito"]
    data = csv_bytes(
        [
            header,
            [*account_row(1), "Crédito", "", ""],
            [*account_row(2), "Crédito", "30", "1.500,00"],
        ]
    )
    run = run_import(importer_admin, data, commit=False)
    assert run.refused == 1
    assert {r["field"] for r in run.refusals} >= {"credit_days", "credit_limit"}


def test_numbers_and_catalogs_by_name_or_code_accent_insensitive(importer_admin, corporate):
    header = [
        *ACCOUNT_HEADER,
        "Condición de pago",
        "Días de crédito",
        "Límite de crédito",
        "Aplica impuestos",
        "País",
    ]
    data = csv_bytes(
        [
            header,
            [
                *account_row(1, customer_type="corporativo"),
                "credito",
                "30",
                "2,500.50",
                "No",
                "Panamá",
            ],
        ]
    )
    run = run_import(importer_admin, data)
    assert run.created == 1, run.refusals
    account = Account.objects.get()
    assert (account.credit_days, account.credit_limit, account.taxable) == (
        30,
        Decimal("2500.50"),
        False,
    )


def test_a_tax_id_repeated_in_the_file_is_refused_on_its_second_line(importer_admin, corporate):
    data = csv_bytes([ACCOUNT_HEADER, account_row(1), account_row(1, tax_id="1555001 1 2019")])
    run = run_import(importer_admin, data)
    assert run.status == ImportRun.Status.REFUSED
    assert refusal_messages(run)[0][:2] == (3, "tax_id")
    assert not Account.objects.exists()


def test_xlsx_with_numeric_ruc_and_a_title_row_imports(importer_admin, corporate):
    rows = [
        ["Cédula", "Nombre", "Correo", "Teléfono", "Tipo de cliente"],
        [8123456, "Ana Pérez", "ana@x.com", 62345678, "CORP"],
    ]
    run = run_import(importer_admin, openpyxl_bytes(rows, title="Clientes"), name="c.xlsx")
    assert run.refused == 1  # 8123456 is not a cédula: the number as typed, not "8123456.0"
    assert "8123456.0" not in run.refusals[0]["message"]
    rows[1][0] = "8-123-456"
    run = run_import(importer_admin, xlsxwriter_bytes(rows), name="c.xlsx")
    assert run.created == 1
    assert Account.objects.get().person_kind == Account.PersonKind.NATURAL


def test_a_salesperson_imports_only_for_themselves_and_never_touches_others_accounts(corporate):
    seller = UserFactory(role="sales")
    other = AccountFactory(tax_id="1555002-1-2019", customer_type=corporate)
    header = [*ACCOUNT_HEADER, "Vendedor"]
    data = csv_bytes(
        [
            header,
            [*account_row(1), seller.username],
            [*account_row(2), ""],
            [*account_row(3), "gerente.x"],
        ]
    )
    UserFactory(username="gerente.x")
    run = run_import(seller, data, commit=False)
    by_line = {r["line"]: r["field"] for r in run.refusals}
    assert by_line == {3: "tax_id", 4: "salesperson"}
    assert other.code in run.refusals[0]["message"]


def test_a_viewer_cannot_import(db, corporate):
    from django.core.exceptions import PermissionDenied

    viewer = UserFactory(role="viewer")
    with pytest.raises(PermissionDenied):
        run_import(viewer, csv_bytes([ACCOUNT_HEADER, account_row(1)]))


def test_a_refused_last_row_leaves_zero_rows(importer_admin, corporate, settings):
    settings.IMPORT_BATCH_SIZE = 2
    rows = [account_row(n) for n in range(1, 6)] + [account_row(9, email="malo")]
    run = run_import(importer_admin, csv_bytes([ACCOUNT_HEADER, *rows]))
    assert (run.status, run.refused, run.created) == (ImportRun.Status.REFUSED, 1, 5)
    assert not Account.objects.exists()
    assert not HistoryEntry.objects.exists()


def test_a_failure_while_writing_the_last_batch_leaves_zero_rows(
    importer_admin, corporate, settings, monkeypatch
):
    settings.IMPORT_BATCH_SIZE = 2
    calls = []
    original = bulk.create_records

    def failing(model, records, **kwargs):
        calls.append(len(records))
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return original(model, records, **kwargs)

    monkeypatch.setattr(bulk, "create_records", failing)
    with pytest.raises(RuntimeError):
        run_import(
            importer_admin, csv_bytes([ACCOUNT_HEADER, *(account_row(n) for n in range(1, 6))])
        )
    assert not Account.objects.exists()
    assert not HistoryEntry.objects.exists()
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


def test_codes_are_reserved_in_one_update_and_the_batch_checked_in_few_queries(
    importer_admin, corporate, django_assert_max_num_queries
):
    from clientela.imports.services import import_run_now, import_upload

    from .files import upload

    data = csv_bytes([ACCOUNT_HEADER, *(account_row(n) for n in range(1, 201))])
    run = import_upload(
        user=importer_admin, kind="accounts", upload=upload("c.csv", data), queue=False
    )
    with django_assert_max_num_queries(40):
        run = import_run_now(run=run, commit=True)
    assert run.created == 200
    codes = sorted(Account.objects.values_list("code", flat=True))
    assert codes[0] == "C-000001" and codes[-1] == "C-000200"
    assert connection.vendor in {"sqlite", "postgresql"}
