"""The single access gate (SPEC §7).

Two questions, asked everywhere:
- which records may this user see? `scope_to_user` narrows a queryset of records that
  hang off an account (and the accounts themselves): a salesperson sees only the
  accounts they are the salesperson of; every other role sees all.
- may this user do this action on this record? `may` / `require`: the role's group
  permission (see clientela.users.roles), plus ownership for a salesperson.
A record outside the scope answers 404 (the selectors raise it); an action refused on
a visible record answers 403 (`require` raises PermissionDenied) and changes nothing.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse

from clientela.users.roles import Role

M = TypeVar("M", bound=Model)


class HasSalesperson(Protocol):
    salesperson_id: Any


def _user_ok(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_owner_scoped(user: Any) -> bool:
    """Salespeople work only their own accounts."""
    return getattr(user, "role", None) == Role.SALES


def scope_to_user(user: Any, queryset: QuerySet[M], *, account_path: str) -> QuerySet[M]:
    """`queryset` narrowed to what `user` may see. `account_path` leads from the model to
    its account: "" for accounts themselves, "account" for a contact, and so on."""
    if not _user_ok(user):
        return queryset.none()
    if is_owner_scoped(user):
        field = f"{account_path}__salesperson" if account_path else "salesperson"
        return queryset.filter(**{field: user})
    if getattr(user, "role", None) is None:
        return queryset.none()
    return queryset


def may(user: Any, permission: str, account: HasSalesperson | None = None) -> bool:
    """Whether `user` may use `permission` ("app.action_model"), on `account`'s records."""
    if not _user_ok(user) or not user.has_perm(permission):
        return False
    if account is not None and is_owner_scoped(user):
        return bool(account.salesperson_id == user.pk)
    return True


def require(user: Any, permission: str, account: HasSalesperson | None = None) -> None:
    if not may(user, permission, account):
        raise PermissionDenied(permission)


def admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Administrators only; anyone else logged in gets 403 (login is enforced globally)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request.user, "role", None) != Role.ADMIN:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def permission_required(permission: str) -> Callable[..., Any]:
    """403 unless the user's role holds `permission` (before any record is loaded)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            require(request.user, permission)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
