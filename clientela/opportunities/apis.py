"""/api/v1/opportunities: the same services, selectors and rules as the list, the form
and the board.

Writes answer the saved opportunity plus `warnings`: the credit-limit warning the UI
shows after a save (a warning never refuses the write). The list answers the filtered
opportunities' totals per currency beside `count` and `items`, as the UI list does: one
grouped query on a covering index, whatever the page size."""

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictInt

from clientela.accounts.selectors import account_visible_to
from clientela.api.auth import api_user
from clientela.api.pagination import PageQuery, paginate
from clientela.api.payloads import active_user, by_code, service_data
from clientela.api.schemas import (
    ERRORS,
    ConflictOut,
    InputSchema,
    IsoDate,
    Page,
    SavedOut,
    TrackedOut,
    choice_field,
    with_warnings,
)
from clientela.api.versioning import expected_version, patch_fields, set_etag, tagged
from clientela.core.access import require
from clientela.core.writes import Saved
from clientela.users.models import User

from . import services
from .models import Opportunity
from .selectors import (
    DEFAULT_SORT,
    SORTS,
    CurrencyTotal,
    OpportunityFilters,
    opportunity_get_for_user,
    opportunity_list,
    opportunity_totals,
)

router = Router(tags=["opportunities"])

Stage = Opportunity.Stage
CENTS = Decimal("0.01")

OpportunityOrdering = Enum(  # type: ignore[misc]
    "OpportunityOrdering", {f"{p}{key}": f"{p}{key}" for key in SORTS for p in ("", "-")}, type=str
)


class OpenOrClosed(models.TextChoices):
    """The list's open/closed filter (OpportunityFilterForm's `state`)."""

    OPEN = "open", gettext_lazy("Open")
    CLOSED = "closed", gettext_lazy("Closed")


class OpportunityOut(TrackedOut):
    id: int = Field(..., examples=[42])
    account: str = Field(
        ..., alias="account.code", examples=["C-000001"], description="Account code"
    )
    account_name: str = Field(..., alias="account.name", examples=["Distribuidora Peña, S.A."])
    name: str = Field(..., examples=["Suministro de equipos"])
    stage: Stage = choice_field(Stage)
    amount: Decimal = Field(..., examples=["12500.00"])
    currency: str = Field(..., examples=["USD"], description="ISO 4217")
    probability: int = Field(..., examples=[50], description="Percent, 0 to 100")
    expected_close_date: date | None = Field(None, examples=["2026-09-30"])
    owner: str = Field(..., alias="owner.username", examples=["ana.gomez"], description="Username")
    description: str
    closed_at: datetime | None = Field(None, description="Set when won or lost")
    lost_reason: str = Field(..., description="Only for lost opportunities")


class OpportunitySavedOut(OpportunityOut, SavedOut):
    pass


class CurrencyTotalOut(Schema):
    currency: str = Field(..., examples=["USD"])
    count: int = Field(..., examples=[12])
    amount: Decimal = Field(..., examples=["150000.00"])
    weighted: Decimal = Field(
        ..., examples=["61250.00"], description="Amounts weighted by their probability"
    )

    @staticmethod
    def resolve_amount(obj: CurrencyTotal) -> Decimal:
        # SQLite's SUM drops the scale; two decimals on every database.
        return obj.amount.quantize(CENTS)


class OpportunityPage(Page[OpportunityOut]):
    totals: list[CurrencyTotalOut] = Field(
        ..., description="Every filtered opportunity (not just this page), per currency"
    )


class OpportunityIn(InputSchema):
    """The writable fields; closed_at, version and the audit columns are the system's."""

    account: str = Field(..., max_length=250, examples=["C-000001"], description="Account code")
    name: str = Field(..., max_length=200, examples=["Suministro de equipos"])
    stage: Stage = choice_field(Stage, Stage.PROSPECTING)
    amount: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2, examples=["12500.00"])
    currency: str = Field(settings.DEFAULT_CURRENCY, max_length=3, examples=["USD"])
    probability: StrictInt | None = Field(
        None, ge=0, le=100, description="Percent; blank for the stage's usual"
    )
    expected_close_date: IsoDate | None = Field(None, examples=["2026-09-30"])
    owner: str | None = Field(
        None,
        max_length=150,
        description="Username; defaults to the account's salesperson. Others: managers only.",
    )
    description: str = ""
    lost_reason: str = Field("", max_length=500, description="Required when the stage is lost")


class OpportunityPatch(InputSchema):
    """Any subset of the writable fields, plus the version you read (or If-Match).
    `probability: null` gives back the stage's usual one."""

    version: StrictInt | None = Field(None, ge=1, examples=[1])
    account: str | None = Field(None, max_length=250, description="Account code")
    name: str | None = Field(None, max_length=200)
    stage: Stage | None = None
    amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    currency: str | None = Field(None, max_length=3)
    probability: StrictInt | None = Field(None, ge=0, le=100)
    expected_close_date: IsoDate | None = None
    owner: str | None = Field(None, max_length=150, description="Username; managers only")
    description: str | None = None
    lost_reason: str | None = Field(None, max_length=500)


class OpportunityMove(InputSchema):
    """A move on the board: only the stage (and, for lost, the reason) changes."""

    stage: Stage = choice_field(Stage)
    lost_reason: str = Field("", max_length=500, description="Required when moving to lost")
    version: StrictInt | None = Field(None, ge=1, examples=[1], description="Or send If-Match")


class OpportunityQuery(PageQuery):
    q: str = Field("", max_length=200, description="Search the name and the account")
    stage: Stage | None = choice_field(Stage, None, "One stage:")
    state: OpenOrClosed | None = choice_field(OpenOrClosed, None, "Open or closed stages:")
    owner: str | None = Field(None, max_length=150, description="Username")
    account: str | None = Field(None, max_length=250, description="Account code")
    close_from: IsoDate | None = Field(None, description="Expected close on or after")
    close_to: IsoDate | None = Field(None, description="Expected close on or before")
    ordering: OpportunityOrdering | None = Field(
        None, description=f"A column, `-` for descending; default `{DEFAULT_SORT}`"
    )


# Fields an opportunity always has: a patch cannot empty them.
NOT_NULL = {"account", "name", "stage", "amount", "currency", "owner"}


def _service_data(user: User, payload: dict[str, Any]) -> dict[str, Any]:
    """API values (codes, usernames) to the service's (records); unknown ones → 422.
    The account must be one the user may see, as in the form; a blank owner is the
    account's salesperson on create and unchanged on edit, as in the form."""
    return service_data(
        payload,
        lookups={
            "account": by_code(account_visible_to(user), _("No account with this code.")),
            "owner": active_user,
        },
        not_null=NOT_NULL - {"owner"},
        blank_means_unchanged={"owner"},
    )


def _answer(user: User, saved: Saved[Opportunity], response: HttpResponse) -> Any:
    """The saved opportunity read again with its relations, its ETag and warnings."""
    set_etag(response, saved.record.version)
    return with_warnings(opportunity_get_for_user(user, saved.record.pk), saved.warnings)


@router.get("", response={200: OpportunityPage, **ERRORS}, summary="List opportunities")
def list_opportunities(request: HttpRequest, filters: Query[OpportunityQuery]) -> Any:
    user = api_user(request)
    selected = OpportunityFilters(
        q=filters.q,
        stage=filters.stage.value if filters.stage else "",
        state=filters.state.value if filters.state else "",
        owner=(filters.owner or "").strip(),
        account=(filters.account or "").strip(),
        close_from=filters.close_from,
        close_to=filters.close_to,
        sort=filters.ordering.value if filters.ordering else DEFAULT_SORT,
    )
    found = opportunity_list(user=user, filters=selected).select_related("created_by", "updated_by")
    page = paginate(found, filters.page, filters.page_size, user=api_user(request))
    page["totals"] = opportunity_totals(user=user, filters=selected)
    return page


@router.post(
    "",
    response={201: OpportunitySavedOut, **ERRORS},
    summary="Create an opportunity",
    description=(
        "The account must be active or restricted (inactive and suspended accounts take "
        "no new opportunity). Won and lost set `closed_at`; lost needs `lost_reason`. "
        "`warnings` carries the credit-limit warning when the account's open and won "
        "opportunities pass its credit limit: the opportunity is saved all the same."
    ),
)
def create_opportunity(request: HttpRequest, payload: OpportunityIn, response: HttpResponse) -> Any:
    user = api_user(request)
    # As the form's page: a role that cannot add is refused before its input is read.
    require(user, "add", Opportunity)
    saved = services.opportunity_create(user=user, data=_service_data(user, payload.model_dump()))
    return Status(201, _answer(user, saved, response))


@router.get("/{id}", response={200: OpportunityOut, **ERRORS}, summary="Read an opportunity")
def get_opportunity(request: HttpRequest, id: int, response: HttpResponse) -> Any:
    return tagged(response, opportunity_get_for_user(api_user(request), id))


@router.patch(
    "/{id}",
    response={200: OpportunitySavedOut, 409: ConflictOut, **ERRORS},
    summary="Change an opportunity",
    description=(
        "Send the `version` you read (or `If-Match`): 409 with `current_version` when "
        "someone saved since. A stage change brings the new stage's usual probability "
        "unless the same patch sets another. Giving the opportunity to another `owner` "
        "is for managers and administrators (403)."
    ),
)
def update_opportunity(
    request: HttpRequest, id: int, payload: OpportunityPatch, response: HttpResponse
) -> Any:
    user = api_user(request)
    opportunity = opportunity_get_for_user(user, id, action="change")
    fields, version = patch_fields(request, payload)
    saved = services.opportunity_update(
        user=user, opportunity=opportunity, data=_service_data(user, fields), version=version
    )
    return _answer(user, saved, response)


@router.post(
    "/{id}/move",
    response={200: OpportunitySavedOut, 409: ConflictOut, **ERRORS},
    summary="Move an opportunity to another stage",
    description=(
        "The board's move: the same rules as a patch of `stage` (and `lost_reason`, "
        "required for lost). Send the `version` you read (or `If-Match`)."
    ),
)
def move_opportunity(
    request: HttpRequest, id: int, payload: OpportunityMove, response: HttpResponse
) -> Any:
    user = api_user(request)
    opportunity = opportunity_get_for_user(user, id, action="change")
    saved = services.opportunity_move(
        user=user,
        opportunity=opportunity,
        stage=payload.stage.value,
        lost_reason=payload.lost_reason,
        version=expected_version(request, payload.version),
    )
    return _answer(user, saved, response)


@router.delete("/{id}", response={204: None, **ERRORS}, summary="Delete an opportunity")
def delete_opportunity(request: HttpRequest, id: int) -> Any:
    user = api_user(request)
    opportunity = opportunity_get_for_user(user, id, action="delete")
    services.opportunity_delete(user=user, opportunity=opportunity)
    return Status(204, None)
