"""/api/v1/accounts: the same services, selectors and rules as the HTML views."""

from decimal import Decimal
from enum import Enum
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool, StrictInt

from clientela.api.auth import api_user
from clientela.api.pagination import PageQuery, paginate
from clientela.api.payloads import active_user, by_code, service_data
from clientela.api.schemas import (
    ERRORS,
    AsText,
    ConflictOut,
    InputSchema,
    Page,
    PhoneText,
    SavedOut,
    TrackedOut,
    choice_field,
    with_warnings,
)
from clientela.api.versioning import patch_fields, set_etag, tagged
from clientela.catalogs.models import CustomerType, EconomicActivity, LedgerAccount, PriceList

from . import services
from .models import Account
from .selectors import (
    SORTS,
    AccountFilters,
    account_get_for_user,
    account_list,
    account_search_candidates,
)

router = Router(tags=["accounts"])

AccountOrdering = Enum(  # type: ignore[misc]
    "AccountOrdering", {f"{p}{key}": f"{p}{key}" for key in SORTS for p in ("", "-")}, type=str
)


class AccountOut(TrackedOut):
    code: str = Field(..., examples=["C-000001"])
    person_kind: Account.PersonKind = choice_field(Account.PersonKind)
    name: str = Field(..., examples=["Distribuidora Peña, S.A."])
    tax_id: str = Field(..., examples=["155596713-2-2015"])
    tax_dv: str = Field(..., examples=["59"])
    contact_name: str
    email: str = Field(..., examples=["ventas@pena.com.pa"])
    phone: PhoneText = Field(
        ..., examples=["+5072345678"], description='E.164; ";ext=NN" after it for an extension'
    )
    phone_alt: PhoneText
    mobile: PhoneText
    website: str
    address: str
    city: str
    state: str
    country: AsText = Field(..., examples=["PA"], description="ISO 3166-1 alpha-2")
    customer_type: str = Field(
        ..., alias="customer_type.code", examples=["CORP"], description="Customer type code"
    )
    priority: Account.Priority = choice_field(Account.Priority)
    economic_activity: str | None = Field(
        None, alias="economic_activity.code", examples=["62"], description="CIIU code"
    )
    price_list: str | None = Field(None, alias="price_list.code", examples=["GEN"])
    taxable: bool
    status: Account.Status = choice_field(Account.Status)
    salesperson: str = Field(
        ..., alias="salesperson.username", examples=["ana.gomez"], description="Username"
    )
    payment_terms: Account.PaymentTerms = choice_field(Account.PaymentTerms)
    credit_days: int
    credit_limit: Decimal = Field(..., examples=["2500.00"])
    ledger_account: str | None = Field(None, alias="ledger_account.code", examples=["1.1.03"])
    is_supplier: bool
    has_logo: bool

    @staticmethod
    def resolve_has_logo(obj: Account) -> bool:
        return bool(obj.logo)


class AccountSavedOut(AccountOut, SavedOut):
    pass


class PossibleDuplicateOut(Schema):
    code: str = Field(..., examples=["C-000002"])
    name: str
    tax_id: str
    salesperson: str = Field(..., description="Username")
    score: float = Field(..., examples=[0.87], description="0 to 1")
    reasons: list[dict[str, str]] = Field(
        ..., examples=[[{"code": "name", "detail": "87 %", "text": "nombre parecido (87 %)"}]]
    )


class AccountCreatedOut(AccountSavedOut):
    possible_duplicates: list[PossibleDuplicateOut] = Field(
        default_factory=list,
        description="Existing accounts that look like this one (the account was created all "
        "the same; see /api/v1/duplicates and merge)",
    )


PHONE_HELP = (
    "As people of the account's country write it (read in that country when it has no "
    '+country code); an extension after it ("ext 12", "x12") is kept'
)


class AccountIn(InputSchema):
    """The writable fields; code, version, logo and audit columns are the system's."""

    person_kind: Account.PersonKind = choice_field(Account.PersonKind)
    name: str = Field(..., max_length=200, examples=["Distribuidora Peña, S.A."])
    tax_id: str = Field(..., max_length=40, examples=["155596713-2-2015"])
    tax_dv: str = Field("", max_length=2, description="Panama only; computed when blank")
    contact_name: str = Field("", max_length=200, examples=["José Núñez"])
    email: str = Field(..., max_length=254, examples=["ventas@pena.com.pa"])
    phone: str = Field(..., max_length=40, examples=["234-5678 ext 12"], description=PHONE_HELP)
    phone_alt: str = Field("", max_length=40, description=PHONE_HELP)
    mobile: str = Field("", max_length=40, examples=["6123-4567"], description=PHONE_HELP)
    website: str = Field("", max_length=300)
    address: str = Field("", max_length=300)
    city: str = Field("", max_length=100)
    state: str = Field("", max_length=100)
    country: str = Field(settings.DEFAULT_COUNTRY, max_length=2, examples=["PA"])
    customer_type: str = Field(..., max_length=20, examples=["CORP"])
    priority: Account.Priority = choice_field(Account.Priority, Account.Priority.MEDIUM)
    economic_activity: str | None = Field(None, max_length=20)
    price_list: str | None = Field(None, max_length=20)
    taxable: StrictBool = True
    status: Account.Status = choice_field(Account.Status, Account.Status.ACTIVE)
    salesperson: str | None = Field(
        None, max_length=150, description="Username; defaults to you. Others: managers only."
    )
    payment_terms: Account.PaymentTerms = choice_field(
        Account.PaymentTerms, Account.PaymentTerms.CASH
    )
    credit_days: StrictInt = Field(0, ge=0, le=365)
    credit_limit: Decimal = Field(Decimal("0"), ge=0, max_digits=14, decimal_places=2)
    ledger_account: str | None = Field(None, max_length=20)
    is_supplier: StrictBool = False


class AccountPatch(InputSchema):
    """Any subset of the writable fields, plus the version you read (or If-Match)."""

    version: StrictInt | None = Field(None, ge=1, examples=[1])
    person_kind: Account.PersonKind | None = None
    name: str | None = Field(None, max_length=200)
    tax_id: str | None = Field(None, max_length=40)
    tax_dv: str | None = Field(None, max_length=2)
    contact_name: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40, description=PHONE_HELP)
    phone_alt: str | None = Field(None, max_length=40, description=PHONE_HELP)
    mobile: str | None = Field(None, max_length=40, description=PHONE_HELP)
    website: str | None = Field(None, max_length=300)
    address: str | None = Field(None, max_length=300)
    city: str | None = Field(None, max_length=100)
    state: str | None = Field(None, max_length=100)
    country: str | None = Field(None, max_length=2)
    customer_type: str | None = Field(None, max_length=20)
    priority: Account.Priority | None = None
    economic_activity: str | None = Field(None, max_length=20)
    price_list: str | None = Field(None, max_length=20)
    taxable: StrictBool | None = None
    status: Account.Status | None = None
    salesperson: str | None = Field(None, max_length=150)
    payment_terms: Account.PaymentTerms | None = None
    credit_days: StrictInt | None = Field(None, ge=0, le=365)
    credit_limit: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    ledger_account: str | None = Field(None, max_length=20)
    is_supplier: StrictBool | None = None


class AccountQuery(PageQuery):
    q: str = Field("", max_length=200, description="Search name, code, tax id, e-mail, phone")
    status: Account.Status | None = Field(None, description="Default: all but inactive")
    all_statuses: bool = Field(False, description="Include inactive accounts")
    customer_type: str | None = Field(None, max_length=20)
    salesperson: str | None = Field(None, max_length=150)
    country: str | None = Field(None, max_length=2)
    priority: Account.Priority | None = None
    payment_terms: Account.PaymentTerms | None = None
    is_supplier: bool | None = None
    ordering: AccountOrdering | None = Field(None, description="A column, `-` for descending")


def _service_data(payload: dict[str, Any]) -> dict[str, Any]:
    """API values (codes, usernames) to the service's (records); unknown ones → 422."""
    catalogs = {
        name: by_code(model.objects.filter(is_active=True))
        for name, model in (
            ("customer_type", CustomerType),
            ("economic_activity", EconomicActivity),
            ("price_list", PriceList),
            ("ledger_account", LedgerAccount),
        )
    }
    return service_data(
        payload,
        lookups={**catalogs, "salesperson": active_user},
        not_null={"customer_type"},
        blank_means_unchanged={"salesperson"},
    )


@router.get("", response={200: Page[AccountOut], **ERRORS}, summary="List accounts")
def list_accounts(request: HttpRequest, filters: Query[AccountQuery]) -> Any:
    selected = AccountFilters(
        q=filters.q,
        status="all" if filters.all_statuses else (filters.status or ""),
        customer_type=filters.customer_type or "",
        salesperson=filters.salesperson or "",
        country=(filters.country or "").upper(),
        priority=filters.priority or "",
        payment_terms=filters.payment_terms or "",
        is_supplier=filters.is_supplier,
        sort=filters.ordering.value if filters.ordering else "name",
    )
    found = account_list(user=api_user(request), filters=selected)
    related = ("economic_activity", "price_list", "ledger_account", "created_by", "updated_by")
    if filters.q:
        # As the list: at most COUNT_CAP candidates from the search index, then sorted.
        candidates, count = account_search_candidates(user=api_user(request), filters=selected)
        return paginate(
            candidates.select_related(*related),
            filters.page,
            filters.page_size,
            user=api_user(request),
            count=count,
        )
    return paginate(
        found.select_related(*related), filters.page, filters.page_size, user=api_user(request)
    )


def _answer(request: HttpRequest, response: HttpResponse, saved: Any) -> Any:
    """The saved account as the user may read it now, with its ETag and warnings."""
    account = account_get_for_user(api_user(request), saved.record.code)
    set_etag(response, account.version)
    return with_warnings(account, saved.warnings)


@router.post(
    "", response={201: AccountCreatedOut, 409: ConflictOut, **ERRORS}, summary="Create an account"
)
def create_account(request: HttpRequest, payload: AccountIn, response: HttpResponse) -> Any:
    from clientela.duplicates.apis import possible_duplicates

    user = api_user(request)
    saved = services.account_create(user=user, data=_service_data(payload.model_dump()))
    answer = _answer(request, response, saved)
    answer.possible_duplicates = possible_duplicates(saved.record, user)
    return Status(201, answer)


@router.get("/{code}", response={200: AccountOut, **ERRORS}, summary="Read an account")
def get_account(request: HttpRequest, code: str, response: HttpResponse) -> Any:
    return tagged(response, account_get_for_user(api_user(request), code))


@router.patch(
    "/{code}",
    response={200: AccountSavedOut, 409: ConflictOut, **ERRORS},
    summary="Change an account",
)
def update_account(
    request: HttpRequest, code: str, payload: AccountPatch, response: HttpResponse
) -> Any:
    user = api_user(request)
    account = account_get_for_user(user, code, action="change")
    fields, version = patch_fields(request, payload)
    saved = services.account_update(
        user=user, account=account, data=_service_data(fields), version=version
    )
    return _answer(request, response, saved)


@router.delete(
    "/{code}", response={204: None, 409: ConflictOut, **ERRORS}, summary="Delete an account"
)
def delete_account(request: HttpRequest, code: str) -> Any:
    user = api_user(request)
    services.account_delete(user=user, account=account_get_for_user(user, code, action="delete"))
    return Status(204, None)
