"""/api/v1/duplicates, /api/v1/accounts/<survivor>/merge, /api/v1/contacts/<id>/merge and
/api/v1/merges/<id>/undo (SPEC §11): the same services and rules as the pages."""

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from clientela.accounts.selectors import account_get_for_user
from clientela.api.auth import api_user
from clientela.api.pagination import PageQuery, paginate
from clientela.api.schemas import ERRORS, Page
from clientela.contacts.selectors import contact_get_for_user

from . import services
from .matching import Reason
from .models import Kind, Merge
from .selectors import QueueFilters, candidate_list, pairs_of
from .views import REVIEWERS, _merge_for_user

router = Router(tags=["duplicates"])

Choice = Literal["survivor", "merged"]


class ReasonOut(Schema):
    code: str = Field(..., examples=["name"], description="email, domain, phone, tax_id, name")
    detail: str = Field(..., examples=["87 %"])
    text: str = Field(..., examples=["nombre parecido (87 %)"])


class RecordRef(Schema):
    id: int
    code: str = Field("", description="The account's code (empty for a contact)")
    name: str


class CandidateOut(Schema):
    kind: str = Field(..., examples=["account"])
    score: float = Field(..., examples=[0.87], description="0 to 1")
    records: list[RecordRef]
    reasons: list[ReasonOut]


class DuplicatesQuery(PageQuery):
    kind: Kind = Kind.ACCOUNT
    salesperson: str = Field("", description="Username")
    country: str = Field("", description="ISO 3166-1 alpha-2")
    min_score: int = Field(0, ge=0, le=100, description="Percent")


class MergeIn(Schema):
    merged: str = Field(
        ..., examples=["C-000002"], description="The account's code (a contact's id)"
    )
    values: dict[str, Choice] = Field(
        default_factory=dict,
        examples=[{"email": "merged", "name": "survivor"}],
        description="For each field, whose value stays; unsaid: the survivor's, or the one filled",
    )


class MergeOut(Schema):
    id: int
    kind: str
    survivor: str = Field(..., description="Code of the survivor (contact: its id)")
    merged: str = Field(..., description="Code of the merged record (contact: its id)")
    at: datetime
    undone_at: datetime | None
    fields: dict[str, list[str | None]] = Field(
        ..., description="{field: [survivor's value, merged's value, chosen]}"
    )


def _merge_out(merge: Merge) -> dict[str, Any]:
    return {
        "id": merge.pk,
        "kind": merge.kind,
        "survivor": merge.survivor_code or str(merge.survivor_id),
        "merged": merge.merged_code or str(merge.merged_id),
        "at": merge.at,
        "undone_at": merge.undone_at,
        "fields": merge.history,
    }


def _ref(record: Any) -> dict[str, Any]:
    return {"id": record.pk, "code": getattr(record, "code", ""), "name": str(record)}


@router.get(
    "/duplicates",
    response={200: Page[CandidateOut], **ERRORS},
    summary="List likely duplicates",
)
def list_duplicates(request: HttpRequest, filters: Query[DuplicatesQuery]) -> Any:
    user = api_user(request)
    if user.role not in REVIEWERS:
        raise PermissionDenied("duplicates.review")
    queue = QueueFilters(
        kind=filters.kind,
        salesperson=filters.salesperson,
        country=filters.country.upper(),
        min_score=filters.min_score / 100,
    )
    page = paginate(candidate_list(user, queue), filters.page, filters.page_size, user=user)
    page["items"] = [
        {
            "kind": pair.candidate.kind,
            "score": pair.candidate.score,
            "records": [_ref(pair.a), _ref(pair.b)],
            "reasons": [
                {
                    "code": r["code"],
                    "detail": r["detail"],
                    "text": str(Reason(r["code"], r["detail"])),
                }
                for r in pair.candidate.reasons
            ],
        }
        for pair in pairs_of(page["items"], filters.kind)
    ]
    return page


@router.post(
    "/accounts/{code}/merge",
    response={201: MergeOut, **ERRORS},
    summary="Merge another account into this one",
)
def merge_accounts(request: HttpRequest, code: str, payload: MergeIn) -> Any:
    user = api_user(request)
    survivor = account_get_for_user(user, code, action="change")
    merged = account_get_for_user(user, payload.merged, action="change")
    merge = services.record_merge(
        user=user, survivor=survivor, merged=merged, values=dict(payload.values)
    )
    return Status(201, _merge_out(merge))


@router.post(
    "/contacts/{id}/merge",
    response={201: MergeOut, **ERRORS},
    summary="Merge another contact into this one",
)
def merge_contacts(request: HttpRequest, id: int, payload: MergeIn) -> Any:
    user = api_user(request)
    survivor = contact_get_for_user(user, id, action="change")
    try:
        merged_id = int(payload.merged)
    except ValueError:
        raise Http404("contact") from None
    merged = contact_get_for_user(user, merged_id, action="change")
    merge = services.record_merge(
        user=user, survivor=survivor, merged=merged, values=dict(payload.values)
    )
    return Status(201, _merge_out(merge))


@router.get("/merges/{id}", response={200: MergeOut, **ERRORS}, summary="Read a merge")
def get_merge(request: HttpRequest, id: int) -> Any:
    return _merge_out(_merge_for_user(api_user(request), id))


@router.post("/merges/{id}/undo", response={200: MergeOut, **ERRORS}, summary="Undo a merge")
def undo_merge(request: HttpRequest, id: int) -> Any:
    """Refused with 422 and the reason (nothing changes) when it is no longer possible."""
    user = api_user(request)
    merge = services.merge_undo(user=user, merge=_merge_for_user(user, id))
    return _merge_out(merge)


def possible_duplicates(account: Any, user: Any) -> list[dict[str, Any]]:
    """Accounts that look like `account` (the create answer's `possible_duplicates`)."""
    from clientela.accounts.selectors import account_visible_to

    from .keys import find_matches
    from .kinds import profile_of

    found = find_matches(Kind.ACCOUNT, profile_of(account), limit=5)
    visible = (
        account_visible_to(user).select_related("salesperson").in_bulk([pk for pk, _ in found])
    )
    return [
        {
            "code": visible[pk].code,
            "name": visible[pk].name,
            "tax_id": visible[pk].tax_id,
            "salesperson": visible[pk].salesperson.username,
            "score": match.score,
            "reasons": [
                {"code": r.code, "detail": r.detail, "text": str(r)} for r in match.reasons
            ],
        }
        for pk, match in found
        if pk in visible
    ]
