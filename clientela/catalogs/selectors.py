import datetime
from decimal import Decimal

from django.db.models import QuerySet

from .models import CustomerType, EconomicActivity, ExchangeRate, LedgerAccount, PriceList


def customer_type_choices() -> QuerySet[CustomerType]:
    return CustomerType.objects.filter(is_active=True).order_by("name")


def economic_activity_choices() -> QuerySet[EconomicActivity]:
    return EconomicActivity.objects.filter(is_active=True).order_by("code")


def price_list_choices() -> QuerySet[PriceList]:
    return PriceList.objects.filter(is_active=True).order_by("code")


def ledger_account_choices() -> QuerySet[LedgerAccount]:
    return LedgerAccount.objects.filter(is_active=True).order_by("code")


def exchange_rates_on(on_date: datetime.date) -> dict[str, Decimal]:
    """Each currency's latest rate to the company currency valid on `on_date`, in one query."""
    rates: dict[str, Decimal] = {}
    rows = (
        ExchangeRate.objects.filter(valid_from__lte=on_date)
        .order_by("currency", "-valid_from")
        .values_list("currency", "rate")
    )
    for currency, rate in rows:
        rates.setdefault(currency, rate)
    return rates
