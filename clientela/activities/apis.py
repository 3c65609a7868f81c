"""/api/v1/activities: the same services, selectors and rules as the HTML views.

Marking done goes through `POST /activities/{id}/done` (it stamps when and by whom), like
the pages' button; "my day" is `GET /activities/my-day`."""

from datetime import date, datetime
from enum import Enum
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool

from clientela.accounts.selectors import account_visible_to
from clientela.api.auth import api_user
from clientela.api.pagination import PageQuery, paginate
from clientela.api.payloads import active_user, by_code, by_pk, service_data
from clientela.api.schemas import (
    ERRORS,
    ConflictOut,
    InputSchema,
    IsoDate,
    Page,
    TrackedOut,
    choice_field,
)
from clientela.api.versioning import patch_fields, set_etag
from clientela.cases.models import Case
from clientela.contacts.models import Contact
from clientela.core.access import require, scope_to_user
from clientela.opportunities.models import Opportunity
from clientela.users.models import User

from . import services
from .models import NOTES_MAX_LENGTH, Activity
from .selectors import ActivityFilters, activity_get_for_user, activity_list, my_day

router = Router(tags=["activities"])

ActivityKind = Enum(  # type: ignore[misc]
    "ActivityKind", {m.name: m.value for m in Activity.Kind}, type=str
)
ActivityResult = Enum(  # type: ignore[misc]
    "ActivityResult", {m.name: m.value for m in Activity.Result}, type=str
)
MAX_ID = 2**63 - 1


class ActivityOut(TrackedOut):
    id: int
    account: str = Field(..., alias="account.code", examples=["C-000001"])
    account_name: str = Field(..., alias="account.name")
    contact: int | None = Field(None, alias="contact_id")
    opportunity: int | None = Field(None, alias="opportunity_id")
    case: str | None = Field(None, description="Case number")
    kind: ActivityKind = choice_field(Activity.Kind)
    subject: str
    notes: str
    starts_at: datetime
    ends_at: datetime | None = None
    due_date: date | None = None
    assigned_to: str = Field(..., alias="assigned_to.username", examples=["ana.gomez"])
    done: bool
    done_at: datetime | None = None
    done_by: str | None = None
    result: str = Field(..., description="`answered`, `no_answer`, `call_back` or empty")
    remind_at: datetime | None = None
    is_overdue: bool

    @staticmethod
    def resolve_case(obj: Activity) -> str | None:
        return obj.case.number if obj.case_id and obj.case else None

    @staticmethod
    def resolve_done_by(obj: Activity) -> str | None:
        return obj.done_by.username if obj.done_by_id and obj.done_by else None


class ActivityIn(InputSchema):
    account: str = Field(..., max_length=20, examples=["C-000001"], description="Account code")
    kind: ActivityKind = choice_field(Activity.Kind, ActivityKind(Activity.Kind.CALL))
    subject: str = Field(..., max_length=200, examples=["Llamar por la cotización"])
    notes: str = Field("", max_length=NOTES_MAX_LENGTH)
    starts_at: datetime | None = Field(None, description="Default: now")
    ends_at: datetime | None = None
    due_date: IsoDate | None = Field(None, description="Tasks only")
    assigned_to: str | None = Field(None, max_length=150, description="Username; default: you")
    contact: int | None = Field(None, ge=1, le=MAX_ID, strict=True)
    opportunity: int | None = Field(None, ge=1, le=MAX_ID, strict=True)
    case: str | None = Field(None, max_length=20, description="Case number")
    result: ActivityResult | None = Field(None, description="Calls only")
    remind_at: datetime | None = None
    done: StrictBool = Field(False, description="Log it as already done")


class ActivityPatch(InputSchema):
    version: int | None = Field(None, ge=1, strict=True, examples=[1])
    kind: ActivityKind | None = None
    subject: str | None = Field(None, max_length=200)
    notes: str | None = Field(None, max_length=NOTES_MAX_LENGTH)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    due_date: IsoDate | None = None
    assigned_to: str | None = Field(None, max_length=150)
    contact: int | None = Field(None, ge=1, le=MAX_ID, strict=True)
    opportunity: int | None = Field(None, ge=1, le=MAX_ID, strict=True)
    case: str | None = Field(None, max_length=20)
    result: ActivityResult | None = None
    remind_at: datetime | None = None


class DoneIn(InputSchema):
    done: StrictBool = True
    result: ActivityResult | None = None


class ActivityQuery(PageQuery):
    account: str | None = Field(None, max_length=20, description="Account code")
    assigned: str | None = Field(None, max_length=150, description="Username")
    kind: ActivityKind | None = None
    done: bool | None = None
    due_from: IsoDate | None = Field(None, description="On the agenda from this day")
    due_to: IsoDate | None = Field(None, description="… to this day, included")


class OpportunityDayOut(Schema):
    id: int
    name: str
    account: str = Field(..., alias="account.code")
    expected_close_date: date | None = None


class CaseDayOut(Schema):
    number: str
    subject: str
    account: str = Field(..., alias="account.code")
    due_at: datetime


class MyDayOut(Schema):
    date: date
    overdue: list[ActivityOut]
    today: list[ActivityOut]
    week: list[ActivityOut]
    opportunities: list[OpportunityDayOut] = Field(
        ..., description="Closing this month without a planned next step"
    )
    cases: list[CaseDayOut] = Field(..., description="Open cases due today or earlier")


NOT_NULL = frozenset({"subject", "notes", "kind", "starts_at", "assigned_to"})


def _service_data(payload: dict[str, Any], *, user: User, activity: Activity | None) -> Any:
    account = activity.account if activity is not None else None
    if payload.get("account"):
        account = account_visible_to(user).filter(code=payload["account"].strip().upper()).first()
    wrong = _("This record does not belong to the activity's account.")
    lookups = {
        "account": by_code(account_visible_to(user), _("No account with this code.")),
        "assigned_to": active_user,
        "contact": by_pk(scope_to_user(user, Contact.objects.filter(account=account)), wrong),
        "opportunity": by_pk(
            scope_to_user(user, Opportunity.objects.filter(account=account)), wrong
        ),
        "case": lambda value: _case(user, account, value, wrong),
    }
    payload = {k: v for k, v in payload.items() if k != "done"}
    if "result" in payload and payload["result"] is None:
        payload["result"] = ""
    blank = ("starts_at", "assigned_to") if activity is None else ()
    data = service_data(
        payload, lookups=lookups, not_null=NOT_NULL - set(blank), blank_means_unchanged=blank
    )
    return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}


def _case(user: User, account: Any, value: Any, message: str) -> Case:
    from django.core.exceptions import ValidationError

    found = scope_to_user(user, Case.objects.filter(account=account, number=str(value))).first()
    if found is None:
        raise ValidationError(message)
    return found


def _answer(user: User, pk: int, response: HttpResponse) -> Activity:
    activity = activity_get_for_user(user, pk)
    set_etag(response, activity.version)
    return activity


@router.get("", response={200: Page[ActivityOut], **ERRORS}, summary="List activities")
def list_activities(request: HttpRequest, filters: Query[ActivityQuery]) -> Any:
    found = activity_list(
        user=api_user(request),
        filters=ActivityFilters(
            account=(filters.account or "").strip().upper(),
            assigned=filters.assigned or "",
            kind=filters.kind.value if filters.kind else "",
            done=filters.done,
            due_from=filters.due_from,
            due_to=filters.due_to,
        ),
    ).select_related("created_by", "updated_by", "done_by")
    return paginate(found, filters.page, filters.page_size, user=api_user(request))


@router.get("/my-day", response={200: MyDayOut, **ERRORS}, summary="My day (Mi día)")
def get_my_day(request: HttpRequest, user: str | None = None) -> Any:
    """Overdue, today's and this week's activities, opportunities closing this month
    without a next step, cases due today. Managers may ask for another `user`."""
    me = api_user(request)
    require(me, "view", Activity)
    who = me
    if user and user != me.username:
        from django.core.exceptions import PermissionDenied

        from clientela.users.roles import Role

        if me.role not in (Role.ADMIN, Role.MANAGER):
            raise PermissionDenied
        who = active_user(user)
    return my_day(user=me, who=who, with_authors=True)


@router.post("", response={201: ActivityOut, **ERRORS}, summary="Create an activity")
def create_activity(request: HttpRequest, payload: ActivityIn, response: HttpResponse) -> Any:
    user = api_user(request)
    require(user, "add", Activity)
    data = _service_data(payload.model_dump(), user=user, activity=None)
    saved = services.activity_create(user=user, data=data, done=payload.done)
    return Status(201, _answer(user, saved.record.pk, response))


@router.get("/{id}", response={200: ActivityOut, **ERRORS}, summary="Read an activity")
def get_activity(request: HttpRequest, id: int, response: HttpResponse) -> Any:
    return _answer(api_user(request), id, response)


@router.patch(
    "/{id}", response={200: ActivityOut, 409: ConflictOut, **ERRORS}, summary="Change an activity"
)
def update_activity(
    request: HttpRequest, id: int, payload: ActivityPatch, response: HttpResponse
) -> Any:
    user = api_user(request)
    activity = activity_get_for_user(user, id, action="change")
    fields, version = patch_fields(request, payload)
    data = _service_data(fields, user=user, activity=activity)
    services.activity_update(user=user, activity=activity, data=data, version=version)
    return _answer(user, id, response)


@router.post(
    "/{id}/done",
    response={200: ActivityOut, **ERRORS},
    summary="Mark an activity done (or pending again)",
)
def mark_done(request: HttpRequest, id: int, payload: DoneIn, response: HttpResponse) -> Any:
    user = api_user(request)
    activity = activity_get_for_user(user, id, action="change")
    services.activity_set_done(
        user=user,
        activity=activity,
        done=payload.done,
        result=payload.result.value if payload.result else "",
    )
    return _answer(user, id, response)


@router.delete("/{id}", response={204: None, **ERRORS}, summary="Delete an activity")
def delete_activity(request: HttpRequest, id: int) -> Any:
    user = api_user(request)
    services.activity_delete(user=user, activity=activity_get_for_user(user, id, action="delete"))
    return Status(204, None)
