"""/api/v1/cases: the same services, selectors and rules as the HTML views.

Cases are addressed by number (`K-000001`). The status moves only along the workflow
(clientela.cases.workflow), through `POST /cases/{number}/status` like the case page's
buttons: a PATCH changes the details and refuses `status`, so one request is one
history entry and one version.
"""

from datetime import datetime
from enum import Enum
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import field_validator

from clientela.accounts.selectors import account_visible_to
from clientela.api.auth import api_user
from clientela.api.pagination import PageQuery, paginate
from clientela.api.payloads import active_user, by_code, by_pk, service_data
from clientela.api.schemas import ERRORS, ConflictOut, InputSchema, Page, TrackedOut, choice_field
from clientela.api.versioning import expected_version, patch_fields, set_etag
from clientela.core.access import require
from clientela.users.models import User

from . import services
from .models import COMMENT_MAX_LENGTH, Case, CaseComment
from .selectors import (
    SORTS,
    CaseFilters,
    case_comments,
    case_get_for_user,
    case_queue,
    contacts_for_account,
)

router = Router(tags=["cases"])

# The OpenAPI document names an enum's schema after its class, and Account.Status is
# also "Status": copies under their own names keep the two from overwriting each other.
CaseStatus = Enum(  # type: ignore[misc]
    "CaseStatus", {member.name: member.value for member in Case.Status}, type=str
)
CasePriority = Enum(  # type: ignore[misc]
    "CasePriority", {member.name: member.value for member in Case.Priority}, type=str
)
CaseOrdering = Enum(  # type: ignore[misc]
    "CaseOrdering", {f"{p}{key}": f"{p}{key}" for key in SORTS for p in ("", "-")}, type=str
)

# The largest id the database can hold: a bigger one is bad input, not an overflow.
# Ids and versions are strict: JSON `true` is not the number 1.
MAX_ID = 2**63 - 1
NUMBER_EXAMPLE = "K-000001"


class CaseOut(TrackedOut):
    number: str = Field(..., examples=[NUMBER_EXAMPLE])
    account: str = Field(
        ..., alias="account.code", examples=["C-000001"], description="Account code"
    )
    account_name: str = Field(..., alias="account.name", examples=["Distribuidora Peña, S.A."])
    contact: int | None = Field(None, alias="contact_id", examples=[12], description="Contact id")
    contact_name: str | None = Field(None, examples=["Lucía Peña"])
    subject: str = Field(..., examples=["La factura de marzo no llegó"])
    description: str
    priority: CasePriority = choice_field(Case.Priority)
    status: CaseStatus = choice_field(Case.Status)
    assignee: str | None = Field(
        None, alias="assignee.username", examples=["ana.gomez"], description="Username"
    )
    due_at: datetime = Field(..., description="When the case must be answered")
    is_overdue: bool = Field(..., description="Still open and past due_at")
    opened_at: datetime
    resolved_at: datetime | None = None
    resolution: str

    @staticmethod
    def resolve_contact_name(obj: Case) -> str | None:
        return str(obj.contact) if obj.contact_id and obj.contact else None


class CaseIn(InputSchema):
    """The writable fields; number, status, dates, resolution and version are the
    system's (the status moves through `POST /cases/{number}/status`)."""

    account: str = Field(..., max_length=20, examples=["C-000001"], description="Account code")
    contact: int | None = Field(
        None, ge=1, le=MAX_ID, strict=True, description="Contact id: one of the account's contacts"
    )
    subject: str = Field(..., max_length=200, examples=["La factura de marzo no llegó"])
    description: str = Field("", max_length=COMMENT_MAX_LENGTH)
    priority: CasePriority = choice_field(Case.Priority, CasePriority(Case.Priority.NORMAL))
    assignee: str | None = Field(
        None, max_length=150, examples=["ana.gomez"], description="Username; blank: nobody"
    )


class CasePatch(InputSchema):
    """Any subset of the editable fields, plus the version you read (or If-Match). The
    account is fixed once the case is opened; a closed case must be reopened first."""

    version: int | None = Field(None, ge=1, strict=True, examples=[1])
    contact: int | None = Field(
        None, ge=1, le=MAX_ID, strict=True, description="Contact id; null: none"
    )
    subject: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=COMMENT_MAX_LENGTH)
    priority: CasePriority | None = None
    assignee: str | None = Field(None, max_length=150, description="Username; null: nobody")


class CaseStatusIn(InputSchema):
    """Move the case along the workflow: new → in_progress | waiting_customer | resolved;
    in_progress ↔ waiting_customer; in_progress | waiting_customer → resolved;
    resolved → closed; resolved | closed → in_progress (reopen, clears the resolution)."""

    status: CaseStatus = choice_field(Case.Status, lead="Target status.")
    resolution: str = Field(
        "",
        max_length=COMMENT_MAX_LENGTH,
        description="How it was solved: required to resolve",
        examples=["Se reenvió la factura por correo."],
    )
    version: int | None = Field(None, ge=1, strict=True, examples=[1])


class CaseCommentOut(Schema):
    id: int
    author: str = Field(
        ..., alias="author.username", examples=["ana.gomez"], description="Username"
    )
    author_name: str = Field(..., examples=["Ana Gómez"])
    body: str = Field(..., description="Plain text, as written (escape it when showing it)")
    created_at: datetime

    @staticmethod
    def resolve_author_name(obj: CaseComment) -> str:
        return obj.author.get_full_name() or obj.author.username


class CaseCommentIn(InputSchema):
    body: str = Field(
        ..., max_length=COMMENT_MAX_LENGTH, examples=["Llamé al cliente; envía la copia hoy."]
    )


class CaseQuery(PageQuery):
    q: str = Field("", max_length=200, description="Search number, subject, account, contact")
    scope: Literal["all", "mine", "unassigned"] = Field(
        "all", description="`all`; `mine`: assigned to you; `unassigned`: to nobody"
    )
    priority: CasePriority | None = None
    status: CaseStatus | None = Field(None, description="Default: every open status")
    all_statuses: bool = Field(False, description="Include resolved and closed cases")
    account: str | None = Field(None, max_length=20, description="Account code")
    assignee: str | None = Field(None, max_length=150, description="Username")
    ordering: CaseOrdering | None = Field(
        None,
        description=(
            "A column, `-` for descending (`priority`: urgent first). Default: the queue's "
            "order, overdue first, then by priority, then oldest first."
        ),
    )

    @field_validator("*", mode="after")
    @classmethod
    def no_nul_characters(cls, value: Any) -> Any:
        # PostgreSQL cannot compare text with NUL: bad input, not a 500.
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("NUL characters are not allowed")
        return value


# Fields the database cannot leave empty: a null in a PATCH is bad input.
NOT_NULL = frozenset({"subject", "description", "priority"})


def _service_data(payload: dict[str, Any], *, user: User, case: Case | None) -> dict[str, Any]:
    """API values (codes, ids, usernames) to the service's (records); unknown ones → 422.
    A contact is looked up among the account's only, as the form's choices are."""
    account = case.account if case is not None else None
    if payload.get("account"):
        account = account_visible_to(user).filter(code=payload["account"].strip().upper()).first()
    lookups = {
        "account": by_code(account_visible_to(user), _("No account with this code.")),
        "assignee": active_user,
        "contact": by_pk(
            contacts_for_account(user=user, account=account),
            _("This contact does not belong to the case's account."),
        ),
    }
    data = service_data(payload, lookups=lookups, not_null=NOT_NULL)
    # Text as the form's fields give it.
    return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}


def _value(choice: Enum | None) -> str:
    return str(choice.value) if choice is not None else ""


def _answer(user: User, number: str, response: HttpResponse) -> Case:
    """The case as the user may see it now, with its relations, and its ETag."""
    case = case_get_for_user(user, number)
    set_etag(response, case.version)
    return case


@router.get("", response={200: Page[CaseOut], **ERRORS}, summary="List cases (the queue)")
def list_cases(request: HttpRequest, filters: Query[CaseQuery]) -> Any:
    found = case_queue(
        user=api_user(request),
        filters=CaseFilters(
            q=filters.q,
            scope=filters.scope,
            priority=_value(filters.priority),
            status="all" if filters.all_statuses else _value(filters.status),
            account=(filters.account or "").strip().upper(),
            assignee=filters.assignee or "",
            sort=_value(filters.ordering),
        ),
    ).select_related("created_by", "updated_by")
    return paginate(found, filters.page, filters.page_size, user=api_user(request))


@router.post("", response={201: CaseOut, **ERRORS}, summary="Open a case")
def create_case(request: HttpRequest, payload: CaseIn, response: HttpResponse) -> Any:
    user = api_user(request)
    require(user, "add", Case)
    data = _service_data(payload.model_dump(), user=user, case=None)
    saved = services.case_create(user=user, data=data)
    return Status(201, _answer(user, saved.record.number, response))


@router.get("/{number}", response={200: CaseOut, **ERRORS}, summary="Read a case")
def get_case(request: HttpRequest, number: str, response: HttpResponse) -> Any:
    return _answer(api_user(request), number, response)


@router.patch(
    "/{number}", response={200: CaseOut, 409: ConflictOut, **ERRORS}, summary="Change a case"
)
def update_case(
    request: HttpRequest, number: str, payload: CasePatch, response: HttpResponse
) -> Any:
    user = api_user(request)
    case = case_get_for_user(user, number, action="change")
    fields, version = patch_fields(request, payload)
    data = _service_data(fields, user=user, case=case)
    services.case_update(user=user, case=case, data=data, version=version)
    return _answer(user, number, response)


@router.post(
    "/{number}/status",
    response={200: CaseOut, 409: ConflictOut, **ERRORS},
    summary="Move a case along the workflow",
)
def change_case_status(
    request: HttpRequest, number: str, payload: CaseStatusIn, response: HttpResponse
) -> Any:
    """Resolving needs a `resolution`; a move the workflow does not allow is a 422 on
    `status` that lists the allowed ones. Asking for the current status changes nothing."""
    user = api_user(request)
    case = case_get_for_user(user, number, action="change")
    services.case_change_status(
        user=user,
        case=case,
        status=payload.status.value,
        resolution=payload.resolution,
        version=expected_version(request, payload.version),
    )
    return _answer(user, number, response)


@router.post("/{number}/take", response={200: CaseOut, **ERRORS}, summary="Take a case")
def take_case(request: HttpRequest, number: str, response: HttpResponse) -> Any:
    """The case page's “Asignarme”: the case is assigned to you, and a `new` one moves
    to `in_progress`."""
    user = api_user(request)
    case = case_get_for_user(user, number, action="change")
    services.case_assign(user=user, case=case, assignee=user)
    return _answer(user, number, response)


@router.delete("/{number}", response={204: None, **ERRORS}, summary="Delete a case")
def delete_case(request: HttpRequest, number: str) -> Any:
    """Administrators and managers only: a case is normally closed, not deleted."""
    user = api_user(request)
    services.case_delete(user=user, case=case_get_for_user(user, number, action="delete"))
    return Status(204, None)


@router.get(
    "/{number}/comments",
    response={200: Page[CaseCommentOut], **ERRORS},
    summary="List a case's comments (oldest first)",
    operation_id="listCaseComments",
)
def list_comments(request: HttpRequest, number: str, query: Query[PageQuery]) -> Any:
    case = case_get_for_user(api_user(request), number)
    return paginate(case_comments(case), query.page, query.page_size, user=api_user(request))


@router.post(
    "/{number}/comments",
    response={201: CaseCommentOut, **ERRORS},
    summary="Comment on a case",
    operation_id="addCaseComment",
)
def add_comment(request: HttpRequest, number: str, payload: CaseCommentIn) -> Any:
    user = api_user(request)
    case = case_get_for_user(user, number, action="comment")
    return Status(201, services.case_comment(user=user, case=case, body=payload.body).record)
