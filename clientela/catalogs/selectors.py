from django.db.models import QuerySet

from .models import CustomerType, EconomicActivity, LedgerAccount, PriceList


def customer_type_choices() -> QuerySet[CustomerType]:
    return CustomerType.objects.filter(is_active=True).order_by("name")


def economic_activity_choices() -> QuerySet[EconomicActivity]:
    return EconomicActivity.objects.filter(is_active=True).order_by("code")


def price_list_choices() -> QuerySet[PriceList]:
    return PriceList.objects.filter(is_active=True).order_by("code")


def ledger_account_choices() -> QuerySet[LedgerAccount]:
    return LedgerAccount.objects.filter(is_active=True).order_by("code")
