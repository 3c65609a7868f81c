"""Exchange rates (issue 15): what administrators set, and conversion through the company
currency; currencies at par by law need no rate."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clientela.catalogs.models import ExchangeRate
from clientela.catalogs.selectors import exchange_rates_on
from clientela.core.currencies import RateTable, convert

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 1)
APRIL = datetime.date(2026, 4, 1)


def rate(currency: str, value: str, valid_from: datetime.date) -> ExchangeRate:
    item = ExchangeRate(currency=currency, rate=Decimal(value), valid_from=valid_from)
    item.full_clean()
    item.save()
    return item


def test_equal_currencies_and_currencies_at_par_convert_without_a_rate(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert convert(Decimal("10.50"), "USD", "USD", MARCH) == Decimal("10.50")
        assert convert(Decimal("10.50"), "PAB", "USD", MARCH) == Decimal("10.50")
        assert convert(Decimal("10.50"), "usd", "pab", MARCH) == Decimal("10.50")


def test_without_a_rate_a_currency_cannot_be_converted():
    assert convert(Decimal("100"), "COP", "USD", MARCH) is None
    assert convert(Decimal("100"), "USD", "COP", MARCH) is None


def test_the_latest_rate_valid_on_the_date_applies():
    rate("COP", "0.00025", MARCH)
    rate("COP", "0.00024", APRIL)
    assert convert(Decimal("4000"), "COP", "USD", datetime.date(2026, 3, 31)) == Decimal("1.00000")
    assert convert(Decimal("4000"), "COP", "USD", APRIL) == Decimal("0.96000")
    assert convert(Decimal("4000"), "COP", "USD", datetime.date(2026, 2, 28)) is None


def test_two_foreign_currencies_convert_through_the_company_currency():
    rate("COP", "0.00025", MARCH)
    rate("MXN", "0.05", MARCH)
    assert convert(Decimal("4000"), "COP", "MXN", MARCH) == Decimal("20")
    # A currency at par with the company currency, to one with a rate.
    assert convert(Decimal("1"), "PAB", "MXN", MARCH) == Decimal("20")


def test_a_rate_table_loads_once_for_many_amounts(django_assert_num_queries):
    rate("COP", "0.00025", MARCH)
    rate("CRC", "0.002", MARCH)
    with django_assert_num_queries(1):
        table = RateTable.load(MARCH)
        amounts = [
            table.convert(Decimal("4000"), "COP", "USD"),
            table.convert(Decimal("500"), "CRC", "USD"),
            table.convert(Decimal("7"), "EUR", "USD"),
        ]
    assert amounts == [Decimal("1.00000"), Decimal("1.000"), None]


def test_exchange_rates_on_a_date_are_read_in_one_query(django_assert_num_queries):
    rate("COP", "0.00025", MARCH)
    rate("COP", "0.00024", APRIL)
    rate("EUR", "1.08", APRIL)
    with django_assert_num_queries(1):
        assert exchange_rates_on(MARCH) == {"COP": Decimal("0.00025")}


@pytest.mark.parametrize(
    ("currency", "value", "field"),
    [("ZZZ", "1", "currency"), ("USD", "1", "currency"), ("COP", "0", None), ("COP", "-1", None)],
)
def test_invalid_rates_are_refused_before_saving(currency, value, field):
    item = ExchangeRate(currency=currency, rate=Decimal(value), valid_from=MARCH)
    with pytest.raises(ValidationError) as exc:
        item.full_clean()
    errors = exc.value.message_dict
    assert field in errors if field else errors
    assert not ExchangeRate.objects.exists()


def test_lower_case_code_is_stored_upper_case():
    assert rate("cop", "0.00025", MARCH).currency == "COP"


def test_one_rate_per_currency_and_day_in_the_database():
    rate("COP", "0.00025", MARCH)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExchangeRate.objects.create(currency="COP", rate=Decimal("0.0003"), valid_from=MARCH)


def test_the_database_refuses_a_zero_rate_and_a_lower_case_code():
    with pytest.raises(IntegrityError), transaction.atomic():
        ExchangeRate.objects.create(currency="COP", rate=Decimal("0"), valid_from=MARCH)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExchangeRate.objects.create(currency="cop", rate=Decimal("1"), valid_from=MARCH)


def test_administrators_edit_rates_in_the_admin_and_others_only_read_them():
    from django.contrib import admin

    from clientela.accounts.tests.factories import UserFactory
    from clientela.users.roles import Role

    assert admin.site.is_registered(ExchangeRate)
    administrator = UserFactory(role=Role.ADMIN)
    manager = UserFactory(role=Role.MANAGER)
    assert administrator.has_perm("catalogs.change_exchangerate")
    assert administrator.has_perm("catalogs.add_exchangerate")
    assert manager.has_perm("catalogs.view_exchangerate")
    assert not manager.has_perm("catalogs.change_exchangerate")
