"""Currencies (ISO 4217, from CLDR through babel): which codes exist, their decimals, names and
symbols; money formatted in the active regional format; conversion to the company currency.

    validate_currency("zzz")          -> ValidationError (code "invalid_currency")
    currency_decimals("CLP")          -> 0
    format_money(Decimal("1234.5"), "USD") -> "USD 1,234.50" (PA) / "USD 1.234,50" (CO)
    convert(Decimal("10"), "PAB", "USD", date.today()) -> Decimal("10")

A code is valid when it is legal tender somewhere today according to CLDR: historical codes
(VEF, ESP) and made-up ones (ZZZ) are refused.

Conversion: currencies at par by law convert without a rate; any other pair goes through the
company currency (settings.DEFAULT_CURRENCY) with the latest ExchangeRate valid on the date,
which administrators keep in the admin. `convert` answers None when it cannot convert; the
caller must say so rather than leave the amount out.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from babel.core import get_global
from babel.numbers import (
    get_currency_name,
    get_currency_precision,
    get_currency_symbol,
    get_territory_currencies,
)
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

__all__ = [
    "AT_PAR",
    "Converter",
    "RateTable",
    "company_currency",
    "convert",
    "currency_decimals",
    "currency_name",
    "currency_symbol",
    "currency_validator",
    "format_money",
    "is_currency",
    "validate_currency",
]

# Pairs fixed by law: (currency, the currency it is worth) -> units of the second per unit.
# Panama: Ley 84 of 28 June 1904 makes the balboa the monetary unit and the US dollar legal
# tender "por su valor nominal equivalente a un balboa" (today Código Fiscal, art. 1171).
AT_PAR: dict[tuple[str, str], Decimal] = {("PAB", "USD"): Decimal(1)}


@lru_cache(maxsize=1)
def _current_codes() -> frozenset[str]:
    territories = get_global("territory_currencies")
    codes: set[str] = set()
    for territory in territories:
        codes.update(get_territory_currencies(territory, tender=True))
    return frozenset(codes)


def is_currency(code: object) -> bool:
    return str(code or "").strip().upper() in _current_codes()


def validate_currency(code: object) -> str:
    """The code upper-cased, or ValidationError(code="invalid_currency")."""
    value = str(code or "").strip().upper()
    if value not in _current_codes():
        raise ValidationError(
            _("Enter the ISO 4217 code of a currency in use (for example USD, PAB or COP)."),
            code="invalid_currency",
        )
    return value


def currency_validator(code: object) -> None:
    """validate_currency as a model field validator."""
    validate_currency(code)


def currency_decimals(code: str) -> int:
    """Minor units of the currency (USD 2, JPY 0, CLP 0); 2 for an unknown code."""
    value = str(code or "").strip().upper()
    if value not in _current_codes():
        return 2
    return int(get_currency_precision(value))


def _babel_locale() -> str:
    return to_locale(get_language() or settings.LANGUAGE_CODE)


def currency_name(code: str, count: int | None = None) -> str:
    """The currency's name in the active language: "balboa panameño", "Panamanian Balboa"."""
    return str(get_currency_name(str(code).upper(), count, locale=_babel_locale()))


def currency_symbol(code: str) -> str:
    """The symbol the active language uses for the currency ("US$" in Spanish, "$" in English);
    the code itself where CLDR has none."""
    return str(get_currency_symbol(str(code).upper(), locale=_babel_locale()))


def format_money(amount: Decimal | int | float | str | None, currency: str = "USD") -> str:
    """`USD 1,234.56`: the code, then the amount with the currency's decimals (rounded half up)
    and the active regional format's separators (SPEC §1). "" for no amount."""
    if not _is_number(amount):
        return "" if amount is None or amount == "" else str(amount)
    code = str(currency or "").strip().upper()
    return f"{code} {format_amount(amount, currency)}".strip()


def format_amount(amount: Decimal | int | float | str | None, currency: str = "USD") -> str:
    """`1,234.56`: what format_money writes after the code, for a table whose heading
    already names the currency (Inicio's panels)."""
    if amount is None or amount == "":
        return ""
    if not _is_number(amount):
        return str(amount)
    code = str(currency or "").strip().upper()
    places = currency_decimals(code)
    value = Decimal(str(amount))
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(rounded, places, use_l10n=True, force_grouping=True)


def _is_number(amount: object) -> bool:
    try:
        return Decimal(str(amount)).is_finite()
    except InvalidOperation:
        return False


def company_currency() -> str:
    return str(settings.DEFAULT_CURRENCY).upper()


def _par_factor(source: str, target: str) -> Decimal | None:
    if source == target:
        return Decimal(1)
    if (source, target) in AT_PAR:
        return AT_PAR[(source, target)]
    if (target, source) in AT_PAR:
        return 1 / AT_PAR[(target, source)]
    return None


@dataclass
class RateTable:
    """The exchange rates valid on one date, loaded once: convert any number of amounts."""

    on_date: datetime.date
    # currency -> units of the company currency per unit of it
    rates: dict[str, Decimal] = field(default_factory=dict)
    company: str = field(default_factory=company_currency)

    @classmethod
    def load(cls, on_date: datetime.date) -> RateTable:
        from clientela.catalogs.selectors import exchange_rates_on

        return cls(on_date, exchange_rates_on(on_date))

    def to_company(self, currency: str) -> Decimal | None:
        """Units of the company currency one unit of `currency` is worth, or None if unknown."""
        code = currency.upper()
        par = _par_factor(code, self.company)
        if par is not None:
            return par
        if code in self.rates:
            return self.rates[code]
        # A currency at par with one that has a rate (PAB when only USD has one).
        for (left, right), factor in AT_PAR.items():
            if left == code and right in self.rates:
                return factor * self.rates[right]
            if right == code and left in self.rates:
                return self.rates[left] / factor
        return None

    def convert(self, amount: Decimal, source: str, target: str) -> Decimal | None:
        source, target = source.upper(), target.upper()
        direct = _par_factor(source, target)
        if direct is not None:
            return amount * direct
        there, back = self.to_company(source), self.to_company(target)
        if there is None or back is None:
            return None
        return amount * there / back


def convert(
    amount: Decimal,
    from_currency: str,
    to_currency: str,
    on_date: datetime.date,
    rates: RateTable | None = None,
) -> Decimal | None:
    """`amount` in `to_currency`, or None when no law nor exchange rate says what it is worth.

    Pass a RateTable loaded once for many amounts; without one, the rates are read here (one
    query, none for equal currencies or currencies at par)."""
    source, target = from_currency.upper(), to_currency.upper()
    direct = _par_factor(source, target)
    if direct is not None:
        return amount * direct
    table = rates if rates is not None else RateTable.load(on_date)
    return table.convert(amount, source, target)


class Converter:
    """Many amounts into one currency on one date: the exchange rates are read once, and only
    when an amount is neither in that currency nor at par with it by law.

        to_usd = Converter("USD", today)
        to_usd(Decimal("10"), "PAB")   -> Decimal("10")      (no query)
        to_usd(Decimal("10"), "EUR")   -> Decimal("10.80")   (one query, then none)
        to_usd(Decimal("10"), "XAF")   -> None               (no rate: the caller says so)
    """

    def __init__(self, target: str, on_date: datetime.date) -> None:
        self.target = target.upper()
        self.on_date = on_date
        self._rates: RateTable | None = None

    def __call__(self, amount: Decimal, currency: str) -> Decimal | None:
        source = str(currency).upper()
        direct = _par_factor(source, self.target)
        if direct is not None:
            return amount * direct
        if self._rates is None:
            self._rates = RateTable.load(self.on_date)
        return self._rates.convert(amount, source, self.target)
