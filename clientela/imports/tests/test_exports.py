import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory, CustomerTypeFactory, UserFactory
from clientela.audit.models import HistoryEntry
from clientela.cases.tests.factories import CaseFactory
from clientela.contacts.tests.factories import ContactFactory
from clientela.imports.export_columns import (
    ACCOUNT_COLUMNS,
    CASE_COLUMNS,
    CONTACT_COLUMNS,
    OPPORTUNITY_COLUMNS,
    TEXT,
)
from clientela.imports.exports import DANGEROUS
from clientela.opportunities.tests.factories import OpportunityFactory

from .helpers import run_import

pytestmark = pytest.mark.django_db

URLS = {
    "accounts": "account_export",
    "contacts": "contact_export",
    "opportunities": "opportunity_export",
    "cases": "case_export",
}


def _get(client, kind, fmt="csv", **params):
    response = client.get(reverse(URLS[kind]), {"format": fmt, **params})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def _csv(body: bytes, delimiter=","):
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))


def _xlsx(body: bytes):
    return openpyxl.load_workbook(io.BytesIO(body)).active


def test_accounts_csv_has_a_bom_the_importer_columns_and_commas_in_panama(client, user):
    AccountFactory(name="Peña, S.A.", credit_limit=Decimal("0"))
    client.force_login(user)
    response, body = _get(client, "accounts")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(body)
    assert len(rows[0]) == len(ACCOUNT_COLUMNS)
    assert rows[0][0] == "Código" and rows[0][2] == "Nombre / razón social"
    assert rows[1][2] == "Peña, S.A."


def test_csv_uses_semicolons_and_decimal_commas_where_the_region_does(client, user, settings):
    settings.CLIENTELA_REGION = "CO"
    AccountFactory(payment_terms="credit", credit_days=30, credit_limit=Decimal("1500.50"))
    client.force_login(user)
    _response, body = _get(client, "accounts")
    rows = _csv(body, delimiter=";")
    limit = [c.header for c in ACCOUNT_COLUMNS].index(
        Account._meta.get_field("credit_limit").verbose_name
    )
    assert rows[1][limit] == "1500,50"


def test_xlsx_cells_are_typed_numbers_booleans_and_text_ids(client, user):
    AccountFactory(
        tax_id="155596713-2-2015",
        tax_dv="59",
        payment_terms="credit",
        credit_days=30,
        credit_limit=Decimal("2500.00"),
    )
    client.force_login(user)
    response, body = _get(client, "accounts", "xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = _xlsx(body)
    header = [c.value for c in sheet[1]]
    row = {h: c.value for h, c in zip(header, sheet[2], strict=True)}
    assert row["Identificación fiscal"] == "155596713-2-2015"
    assert row["DV"] == "59"
    assert row["Límite de crédito"] == 2500
    assert row["Días de crédito"] == 30
    assert row["Aplica impuestos"] is True
    assert row["Teléfono"] == "+5072345678"  # E.164, as stored: text, read back anywhere


def test_opportunity_dates_are_dates_in_xlsx(client, user):
    from datetime import date

    OpportunityFactory(expected_close_date=date(2026, 12, 31))
    client.force_login(user)
    _response, body = _get(client, "opportunities", "xlsx")
    sheet = _xlsx(body)
    header = [c.value for c in sheet[1]]
    value = sheet[2][header.index("Fecha prevista de cierre")].value
    assert value.date() == date(2026, 12, 31)


EVIL = '=HYPERLINK("http://x","y")'


def _evil_records():
    account = AccountFactory(
        name="=1+2",
        contact_name="+cmd",
        address="-2+3",
        city="@SUM(A1)",
        state="\tTab",
        website="",
        customer_type=CustomerTypeFactory(code="=EVIL", name="=EVIL"),
    )
    ContactFactory(
        account=account, first_name="=1+1", last_name="@x", job_title="+a", notes="-b", email=""
    )
    OpportunityFactory(account=account, name="=opp", description="+d", lost_reason="")
    CaseFactory(account=account, subject="=case", description="@d")
    return account


@pytest.mark.parametrize(
    ("kind", "columns"),
    [
        ("accounts", ACCOUNT_COLUMNS),
        ("contacts", CONTACT_COLUMNS),
        ("opportunities", OPPORTUNITY_COLUMNS),
        ("cases", CASE_COLUMNS),
    ],
)
def test_no_text_cell_of_any_export_starts_a_formula(client, user, kind, columns):
    _evil_records()
    client.force_login(user)
    _response, body = _get(client, kind, status="all", scope="all")
    rows = _csv(body)
    assert len(rows) >= 2
    for row in rows[1:]:
        for column, cell in zip(columns, row, strict=True):
            if column.kind == TEXT:
                assert not cell.startswith(DANGEROUS), (column.header, cell)
    neutralized = [cell for row in rows[1:] for cell in row if cell.startswith("'")]
    assert neutralized  # the evil values are there, defused
    _response, body = _get(client, kind, "xlsx", status="all", scope="all")
    for row in _xlsx(body).iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.value
            if isinstance(cell.value, str) and cell.value.startswith(DANGEROUS):
                assert cell.quotePrefix, cell.value


def test_every_text_column_is_neutralized_in_the_accounts_export(client, user):
    # Each text column of the accounts export gets its own formula-looking value.
    account = AccountFactory(name="=n", contact_name="=c", address="=a", city="=c", state="=s")
    client.force_login(user)
    _response, body = _get(client, "accounts")
    row = _csv(body)[1]
    for column, cell in zip(ACCOUNT_COLUMNS, row, strict=True):
        if column.kind == TEXT and cell:
            assert not cell.startswith(DANGEROUS)
    assert account.code in row


def test_a_salespersons_export_holds_only_their_accounts(client):
    seller = UserFactory(role="sales")
    mine = AccountFactory(salesperson=seller)
    theirs = AccountFactory()
    client.force_login(seller)
    _response, body = _get(client, "accounts")
    codes = [row[0] for row in _csv(body)[1:]]
    assert codes == [mine.code]
    assert theirs.code not in body.decode("utf-8-sig")


def test_the_export_follows_the_lists_filters_search_and_sort(client, user):
    AccountFactory(name="Beta, S.A.", city="David")
    AccountFactory(name="Alfa, S.A.", city="David")
    AccountFactory(name="Gama, S.A.", city="Colón")
    client.force_login(user)
    _response, body = _get(client, "accounts", q="S.A.", sort="-name")
    names = [row[2] for row in _csv(body)[1:]]
    assert names == ["Gama, S.A.", "Beta, S.A.", "Alfa, S.A."]


@pytest.mark.parametrize("kind", ["accounts", "contacts", "opportunities", "cases"])
def test_a_viewer_may_not_export(client, kind):
    client.force_login(UserFactory(role="viewer"))
    response, _body = _get(client, kind)
    assert response.status_code == 403


@pytest.mark.parametrize("kind", ["accounts", "contacts", "opportunities", "cases"])
def test_a_manager_may_export_every_list(client, user, kind):
    client.force_login(user)
    response, _body = _get(client, kind)
    assert response.status_code == 200


def test_export_edit_import_round_trip_changes_only_the_edited_cell(
    client, importer_admin, corporate
):
    accounts = [AccountFactory(customer_type=corporate, city="David") for _ in range(3)]
    client.force_login(importer_admin)
    _response, body = _get(client, "accounts", "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(body))
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    target = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == accounts[1].code)
    target[header.index("Ciudad")].value = "Boquete"
    edited = io.BytesIO()
    workbook.save(edited)
    before = {
        a.pk: (a.version, HistoryEntry.objects.filter(account_id=a.pk).count()) for a in accounts
    }
    run = run_import(importer_admin, edited.getvalue(), name="cuentas.xlsx")
    assert (run.updated, run.unchanged, run.created, run.refused) == (1, 2, 0, 0), run.refusals
    changed = Account.objects.get(pk=accounts[1].pk)
    assert changed.city == "Boquete"
    entry = HistoryEntry.objects.filter(account_id=changed.pk, action="update").get()
    assert entry.changes == {"city": ["David", "Boquete"]}
    for account in (accounts[0], accounts[2]):
        account.refresh_from_db()
        assert (
            account.version,
            HistoryEntry.objects.filter(account_id=account.pk).count(),
        ) == before[account.pk]


def test_a_csv_export_imports_back_unchanged(client, importer_admin, corporate):
    AccountFactory(customer_type=corporate, name="=Fórmula, S.A.", phone_alt="+50761234567")
    client.force_login(importer_admin)
    _response, body = _get(client, "accounts")
    run = run_import(importer_admin, body, name="cuentas.csv")
    assert (run.unchanged, run.updated, run.refused) == (1, 0, 0), run.refusals
