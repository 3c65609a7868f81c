"""Currencies (issue 15): ISO 4217 codes in use, their decimals, names, symbols and money."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from clientela.core.currencies import (
    currency_decimals,
    currency_name,
    currency_symbol,
    format_money,
    is_currency,
    validate_currency,
)
from clientela.core.templatetags.clientela import money


@pytest.mark.parametrize(
    "code", ["USD", "PAB", "COP", "MXN", "CRC", "GTQ", "HNL", "NIO", "DOP", "PEN", "CLP", "ARS",
             "UYU", "PYG", "BOB", "VES", "BRL", "EUR", "JPY", "usd", " pab "],
)  # fmt: skip
def test_currencies_in_use_are_valid(code):
    assert is_currency(code)
    assert validate_currency(code) == code.strip().upper()


@pytest.mark.parametrize("code", ["ZZZ", "XXX", "VEF", "ESP", "US", "USDD", "", None, "U$D"])
def test_made_up_and_withdrawn_codes_are_refused(code):
    assert not is_currency(code)
    with pytest.raises(ValidationError) as exc:
        validate_currency(code)
    assert exc.value.code == "invalid_currency"


@pytest.mark.parametrize(
    ("code", "decimals"),
    [("USD", 2), ("PAB", 2), ("JPY", 0), ("CLP", 0), ("PYG", 0), ("KRW", 0), ("BHD", 3),
     ("ZZZ", 2)],
)  # fmt: skip
def test_each_currency_has_its_iso_decimals(code, decimals):
    assert currency_decimals(code) == decimals


def test_names_follow_the_active_language():
    with translation.override("es"):
        assert currency_name("PAB") == "balboa panameño"
        assert currency_name("COP") == "peso colombiano"
    with translation.override("en"):
        assert currency_name("PAB") == "Panamanian Balboa"


def test_symbols_follow_the_active_language():
    with translation.override("es"):
        assert currency_symbol("USD") == "US$"
        assert currency_symbol("EUR") == "€"
    with translation.override("en"):
        assert currency_symbol("USD") == "$"


def test_money_rounds_to_the_currency_decimals_half_up():
    with translation.override("es"):
        assert format_money(Decimal("1234.5"), "USD") == "USD 1,234.50"
        assert format_money(Decimal("1234.565"), "USD") == "USD 1,234.57"
        assert format_money(Decimal("1234567.5"), "CLP") == "CLP 1,234,568"
        assert format_money(Decimal("1000"), "JPY") == "JPY 1,000"
        assert format_money(Decimal("-12.345"), "usd") == "USD -12.35"
        assert format_money(Decimal("1.2345"), "BHD") == "BHD 1.235"


def test_money_of_nothing_or_not_a_number_does_not_fail():
    assert format_money(None) == ""
    assert format_money("") == ""
    assert format_money("abc", "USD") == "abc"
    assert format_money(float("nan"), "USD") == "nan"


def test_money_filter_keeps_its_name_signature_and_default_currency():
    with translation.override("es"):
        assert money(Decimal("1234.5")) == "USD 1,234.50"
        assert money(7, "CLP") == "CLP 7"
        assert money(None) == ""


def test_format_amount_is_format_money_without_the_code():
    from clientela.core.currencies import format_amount, format_money

    assert format_money(Decimal("1234.5"), "USD") == "USD " + format_amount(
        Decimal("1234.5"), "USD"
    )
    assert format_amount(Decimal("1234.5"), "JPY") == format_money(Decimal("1234.5"), "JPY")[4:]
    assert format_amount(None) == "" and format_money(None) == ""
    assert format_money("n/a") == "n/a"
