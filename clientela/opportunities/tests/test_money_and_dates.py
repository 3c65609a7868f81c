"""Opportunities in Latin American money and dates (issue 15): ISO 4217 codes in use, each
currency's decimals, credit exposure and totals in the company currency (at par by law or with
the administrators' exchange rates, and never a silent omission), dates typed day first."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.api.services import api_token_create
from clientela.catalogs.models import ExchangeRate
from clientela.opportunities import services
from clientela.opportunities.models import Opportunity
from clientela.opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def seller():
    return UserFactory(role="sales")


@pytest.fixture
def seller_client(client, seller):
    client.force_login(seller)
    return client


@pytest.fixture
def api(seller):
    _record, token = api_token_create(user=seller, name="test")
    from django.test import Client

    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def credit_account(seller):
    return AccountFactory(
        salesperson=seller,
        payment_terms=Account.PaymentTerms.CREDIT,
        credit_days=30,
        credit_limit=Decimal("10000.00"),
    )


def form_data(account, **overrides):
    data = {
        "account": account.code,
        "name": "Suministro de equipos",
        "stage": "prospecting",
        "amount": "1500",
        "currency": "USD",
        "probability": "",
        "expected_close_date": "",
        "owner": "",
        "lost_reason": "",
        "description": "",
    }
    data.update(overrides)
    return data


def api_body(account, **overrides):
    return {"account": account.code, "name": "Suministro", "amount": "1500", **overrides}


def rate(currency, value, days_ago=1):
    return ExchangeRate.objects.create(
        currency=currency,
        rate=Decimal(value),
        valid_from=timezone.localdate() - timedelta(days=days_ago),
    )


# ── Currencies: ISO 4217 in use, each with its decimals ──────────────────────────────────────


@pytest.mark.parametrize("code", ["ZZZ", "VEF", "US", "XYZ"])
def test_a_currency_that_is_not_in_use_is_refused_by_the_form_and_the_api(
    seller_client, api, seller, code
):
    account = AccountFactory(salesperson=seller)
    with translation.override("es"):
        response = seller_client.post("/opportunities/new/", form_data(account, currency=code))
        assert response.status_code == 422
        (message,) = response.context["form"].errors["currency"]
        refused = api.post(
            "/api/v1/opportunities",
            data=json.dumps(api_body(account, currency=code)),
            content_type="application/json",
        )
    assert message.startswith("Ingrese el código ISO 4217")
    assert refused.status_code == 422
    assert refused.json()["errors"]["currency"] == [message]
    assert not Opportunity.objects.exists()


def test_a_currency_in_use_is_accepted_in_any_case(seller_client, seller):
    account = AccountFactory(salesperson=seller)
    response = seller_client.post("/opportunities/new/", form_data(account, currency="cop"))
    assert response.status_code == 302
    assert Opportunity.objects.get().currency == "COP"


@pytest.mark.parametrize(("currency", "amount"), [("CLP", "1500.50"), ("PYG", "0.01")])
def test_cents_are_refused_for_a_currency_without_decimals(seller_client, seller, currency, amount):
    account = AccountFactory(salesperson=seller)
    with translation.override("es"):
        response = seller_client.post(
            "/opportunities/new/", form_data(account, currency=currency, amount=amount)
        )
        assert response.status_code == 422
        assert response.context["form"].errors["amount"] == [
            f"Los montos en {currency} no llevan decimales."
        ]


@pytest.mark.parametrize(
    ("currency", "amount", "shown"),
    [
        ("CLP", "1500000", "CLP 1,500,000"),
        ("JPY", "2500", "JPY 2,500"),
        ("USD", "1500", "USD 1,500.00"),
        ("PAB", "1500.5", "PAB 1,500.50"),
        ("COP", "4000000", "COP 4,000,000.00"),
    ],
)
def test_amounts_are_shown_with_their_currencys_decimals(
    seller_client, seller, currency, amount, shown
):
    account = AccountFactory(salesperson=seller)
    opportunity = OpportunityFactory(account=account, currency=currency, amount=Decimal(amount))
    detail = seller_client.get(opportunity.get_absolute_url()).content.decode()
    listed = seller_client.get("/opportunities/").content.decode()
    assert shown in detail
    assert shown in listed


# ── Credit exposure in the company currency ──────────────────────────────────────────────────


def test_balboas_count_against_a_dollar_credit_limit_at_par(seller, credit_account):
    OpportunityFactory(account=credit_account, amount=Decimal("6000.00"), currency="PAB")
    saved = services.opportunity_create(
        user=seller,
        data={"account": credit_account, "name": "Equipos", "amount": Decimal("5000.00")},
    )
    (message,) = saved.warnings
    assert "USD 11,000.00" in message and "USD 1,000.00" in message
    assert "exchange rate" not in message


def test_other_currencies_count_at_the_administrators_exchange_rate(seller, credit_account):
    rate("EUR", "1.10")
    rate("EUR", "2.00", days_ago=-5)  # from next week: not yet valid
    OpportunityFactory(account=credit_account, amount=Decimal("5000.00"), currency="EUR")
    with translation.override("en"):
        saved = services.opportunity_create(
            user=seller,
            data={
                "account": credit_account,
                "name": "Equipos",
                "amount": Decimal("5000.00"),
                "currency": "EUR",
            },
        )
    (message,) = saved.warnings
    # 2 x EUR 5,000 at 1.10 = USD 11,000: past the USD 10,000 limit.
    assert "this opportunity (EUR 5,000.00 ≈ USD 5,500.00)" in message
    assert "(USD 5,500.00) come to USD 11,000.00" in message


def test_amounts_without_a_rate_are_named_in_the_warning_not_left_out(
    seller, seller_client, credit_account, api
):
    OpportunityFactory(account=credit_account, amount=Decimal("4000000.00"), currency="COP")
    with translation.override("es"):
        notice = seller_client.get(
            "/opportunities/form-check/",
            {"account": credit_account.code, "amount": "500", "currency": "USD"},
            **HTMX,
        ).content.decode()
        saved = services.opportunity_create(
            user=seller,
            data={"account": credit_account, "name": "Equipos", "amount": Decimal("500.00")},
        )
        (message,) = saved.warnings
        Opportunity.objects.filter(pk=saved.record.pk).delete()
        created = api.post(
            "/api/v1/opportunities",
            data=json.dumps(api_body(credit_account, amount="500")),
            content_type="application/json",
        )
    assert message == (
        f"No se pudo verificar por completo el límite de crédito de la cuenta "
        f"{credit_account.code} (USD 10,000.00): no hay tasa de cambio para COP 4,000,000.00. "
        f"El resto suma USD 500.00."
    )
    assert message in notice
    assert created.json()["warnings"] == [message]


def test_within_the_limit_the_amounts_without_a_rate_are_still_named(seller, credit_account):
    OpportunityFactory(account=credit_account, amount=Decimal("9000.00"))
    OpportunityFactory(account=credit_account, amount=Decimal("100.00"), currency="XAF")
    with translation.override("en"):
        saved = services.opportunity_create(
            user=seller,
            data={
                "account": credit_account,
                "name": "Equipos",
                "amount": Decimal("2000.00"),
                "currency": "MXN",
            },
        )
    (message,) = saved.warnings
    assert "could not be checked in full" in message
    assert "MXN 2,000.00; XAF 100" in message


def test_an_opportunity_in_a_currency_without_rate_is_listed_when_the_limit_is_passed(
    seller, credit_account
):
    OpportunityFactory(account=credit_account, amount=Decimal("11000.00"))
    with translation.override("en"):
        saved = services.opportunity_create(
            user=seller,
            data={
                "account": credit_account,
                "name": "Equipos",
                "amount": Decimal("2000.00"),
                "currency": "MXN",
            },
        )
    (message,) = saved.warnings
    assert "this opportunity (MXN 2,000.00, not counted)" in message
    assert message.endswith("Not counted, for want of an exchange rate: MXN 2,000.00.")


def test_credit_exposure_reads_the_rates_once(seller, credit_account, django_assert_num_queries):
    rate("EUR", "1.10")
    for currency in ("EUR", "GBP", "PAB", "USD"):
        OpportunityFactory(account=credit_account, currency=currency)
    from clientela.opportunities.selectors import credit_exposure

    # The account's amounts per currency, then the exchange rates: two queries.
    with django_assert_num_queries(2):
        exposure = credit_exposure(
            account=credit_account, amount=Decimal("1"), currency="USD", stage="prospecting"
        )
    assert exposure is not None and exposure.unconverted == (("GBP", Decimal("1000.00")),)


# ── Totals in the company currency ───────────────────────────────────────────────────────────


def test_list_totals_add_up_in_the_company_currency_when_rates_exist(logged_client):
    rate("EUR", "1.10")
    OpportunityFactory(amount=Decimal("1000.00"), currency="USD")
    OpportunityFactory(amount=Decimal("1000.00"), currency="PAB")
    OpportunityFactory(amount=Decimal("1000.00"), currency="EUR")
    OpportunityFactory(amount=Decimal("5000000.00"), currency="COP")
    with translation.override("es"):
        html = logged_client.get("/opportunities/").content.decode()
    summary = html[html.index('class="opp-totals"') : html.index("</dl>")]
    for code in ("COP", "EUR", "PAB", "USD"):
        assert f'data-currency="{code}"' in summary
    company = summary[summary.index("company-total") :]
    assert "Total en la moneda de la empresa (USD)" in company
    assert "USD 3,100.00" in company
    assert "(sin COP: no hay tasa de cambio)" in company


def test_no_company_total_when_everything_is_in_the_company_currency_or_nothing_converts(
    logged_client,
):
    OpportunityFactory(amount=Decimal("1000.00"), currency="USD")
    assert "company-total" not in logged_client.get("/opportunities/").content.decode()
    OpportunityFactory(amount=Decimal("1000.00"), currency="COP")
    assert "company-total" not in logged_client.get("/opportunities/").content.decode()


def test_board_columns_add_up_in_the_company_currency(logged_client):
    OpportunityFactory(stage="proposal", amount=Decimal("1000.00"), currency="USD")
    OpportunityFactory(stage="proposal", amount=Decimal("250.00"), currency="PAB")
    html = logged_client.get("/opportunities/board/").content.decode()
    start = html.index('data-stage="proposal" aria-labelledby')
    column = html[start : html.index("</header>", start)]
    assert 'class="board-total company-total"' in column
    assert "USD 1,250.00" in column


# ── Dates typed and shown day first ─────────────────────────────────────────────────────────


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_close_date_is_a_day_first_text_input_in_either_language(
    seller_client, seller, language
):
    opportunity = OpportunityFactory(
        account=AccountFactory(salesperson=seller), expected_close_date=date(2026, 12, 31)
    )
    seller_client.cookies["django_language"] = language
    with translation.override(language):
        html = seller_client.get(f"/opportunities/{opportunity.pk}/edit/").content.decode()
    start = html.index('name="expected_close_date"')
    tag = html[html.rindex("<input", 0, start) : html.index(">", start)]
    assert 'type="text"' in tag
    assert 'value="31/12/2026"' in tag
    assert f'placeholder="{"dd/mm/aaaa" if language == "es" else "dd/mm/yyyy"}"' in tag
    assert 'type="date"' not in html


@pytest.mark.parametrize("typed", ["31/12/2026", "2026-12-31", "31/12/26"])
def test_a_close_date_typed_day_first_or_iso_is_read(seller_client, seller, typed):
    account = AccountFactory(salesperson=seller)
    response = seller_client.post(
        "/opportunities/new/", form_data(account, expected_close_date=typed)
    )
    assert response.status_code == 302
    assert Opportunity.objects.get().expected_close_date == date(2026, 12, 31)


def test_a_month_first_date_is_refused_with_the_expected_format(seller_client, seller):
    account = AccountFactory(salesperson=seller)
    with translation.override("es"):
        response = seller_client.post(
            "/opportunities/new/", form_data(account, expected_close_date="12/31/2026")
        )
        assert response.status_code == 422
        assert response.context["form"].errors["expected_close_date"] == [
            "Ingrese una fecha válida como dd/mm/aaaa (por ejemplo 31/12/2026)."
        ]


def test_list_filters_read_day_first_dates(logged_client):
    OpportunityFactory(name="Dentro", expected_close_date=date(2026, 3, 15))
    OpportunityFactory(name="Fuera", expected_close_date=date(2026, 4, 15))
    html = logged_client.get(
        "/opportunities/", {"close_from": "01/03/2026", "close_to": "31/03/2026"}
    ).content.decode()
    assert "Dentro" in html and "Fuera" not in html
    assert 'value="01/03/2026"' in html
