"""/api/v1/catalogs: read-only lists of the coded entries the account fields use."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from clientela.api.auth import api_user
from clientela.api.pagination import PageQuery, paginate
from clientela.api.schemas import ERRORS, Page

from .models import CustomerType, EconomicActivity, LedgerAccount, PriceList

router = Router(tags=["catalogs"])


class CatalogItemOut(Schema):
    code: str = Field(..., examples=["CORP"])
    name: str = Field(..., examples=["Corporativo"])
    name_en: str = Field(..., examples=["Corporate"], description="Name in English; may be empty")
    is_active: bool


class EconomicActivityOut(CatalogItemOut):
    section: str | None = Field(None, examples=["J"], description="Section letter of a division")

    @staticmethod
    def resolve_section(obj: EconomicActivity) -> str | None:
        return obj.section.code if obj.section else None


class CatalogQuery(PageQuery):
    active: bool | None = Field(None, description="Only active (true) or inactive (false)")


def _filtered(items: QuerySet[Any], query: CatalogQuery) -> QuerySet[Any]:
    if query.active is not None:
        items = items.filter(is_active=query.active)
    return items.order_by("code")


@router.get(
    "/customer-types",
    response={200: Page[CatalogItemOut], **ERRORS},
    operation_id="listCustomerTypes",
)
def customer_types(request: HttpRequest, query: Query[CatalogQuery]) -> Any:
    return paginate(
        _filtered(CustomerType.objects.all(), query),
        query.page,
        query.page_size,
        user=api_user(request),
    )


@router.get(
    "/economic-activities",
    response={200: Page[EconomicActivityOut], **ERRORS},
    operation_id="listEconomicActivities",
)
def economic_activities(request: HttpRequest, query: Query[CatalogQuery]) -> Any:
    items = _filtered(EconomicActivity.objects.select_related("section"), query)
    return paginate(items, query.page, query.page_size, user=api_user(request))


@router.get(
    "/price-lists", response={200: Page[CatalogItemOut], **ERRORS}, operation_id="listPriceLists"
)
def price_lists(request: HttpRequest, query: Query[CatalogQuery]) -> Any:
    return paginate(
        _filtered(PriceList.objects.all(), query),
        query.page,
        query.page_size,
        user=api_user(request),
    )


@router.get(
    "/ledger-accounts",
    response={200: Page[CatalogItemOut], **ERRORS},
    operation_id="listLedgerAccounts",
)
def ledger_accounts(request: HttpRequest, query: Query[CatalogQuery]) -> Any:
    return paginate(
        _filtered(LedgerAccount.objects.all(), query),
        query.page,
        query.page_size,
        user=api_user(request),
    )
