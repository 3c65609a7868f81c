"""/api/v1/users: who can be a salesperson, owner or assignee (read-only)."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from clientela.api.auth import api_user
from clientela.api.pagination import PageQuery, paginate
from clientela.api.schemas import ERRORS, Page, choices_description

from .models import User
from .roles import Role
from .selectors import user_list, user_search

router = Router(tags=["users"])


class UserOut(Schema):
    id: int
    username: str = Field(..., examples=["ana.gomez"])
    name: str = Field(..., examples=["Ana Gómez"])
    role: str | None = Field(None, description=choices_description(Role))
    is_active: bool

    @staticmethod
    def resolve_name(obj: User) -> str:
        return obj.get_full_name()

    @staticmethod
    def resolve_role(obj: User) -> str | None:
        return obj.role.value if obj.role else None


class UserQuery(PageQuery):
    q: str = Field("", max_length=150, description="Search username and name")


@router.get("", response={200: Page[UserOut], **ERRORS})
def list_users(request: HttpRequest, query: Query[UserQuery]) -> Any:
    users = user_list()
    if query.q.strip():
        # user_search is sliced (autocompletes): paging counts and slices again.
        users = users.filter(pk__in=user_search(query.q, limit=10**9).values("pk"))
    return paginate(
        users.prefetch_related("groups"), query.page, query.page_size, user=api_user(request)
    )
