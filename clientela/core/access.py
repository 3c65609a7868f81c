"""The single access gate (SPEC §7).

Two questions, asked everywhere:
- which records may this user see? `scope_to_user` narrows a queryset of records that
  hang off an account (and the accounts themselves): a salesperson sees only the
  accounts they are the salesperson of; every other role sees all.
- may this user do this action on this record? `may` / `require`: the role's group
  permission for the action on the record's model, plus ownership for a salesperson.

A record outside the scope answers 404; an action refused on a visible record answers
403 and changes nothing. `get_for_user` asks both questions in one call, which is how
every view and API operation fetches the record it works on:

    contact = get_for_user(contact_visible_to(user), user, action="change", pk=pk)

Models say how they reach their account with `account_path` ("" for the account
itself, "account" for a contact…). Core knows users only through two attributes of
the user object (`role`, `owner_scoped`), so it depends on no app above it.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol, TypeVar, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import BooleanField, F, Func, Model, QuerySet
from django.db.models.lookups import Exact
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

M = TypeVar("M", bound=Model)

# The permission of every action that needs no more than seeing the record.
VIEW = "view"


class HasSalesperson(Protocol):
    salesperson_id: Any


def _user_ok(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_owner_scoped(user: Any) -> bool:
    """Salespeople work only their own accounts."""
    return bool(getattr(user, "owner_scoped", False))


def account_path(model: type[Model]) -> str:
    path = getattr(model, "account_path", None)
    if path is None:
        raise TypeError(f"{model.__name__} does not say how it reaches its account")
    return str(path)


def account_of(record: Model) -> Any:
    """The account a record belongs to (the record itself for an account), or None."""
    target: Any = record
    path = account_path(type(record))
    for part in path.split("__") if path else ():
        target = getattr(target, part, None)
        if target is None:
            return None
    return target


def permission(model: type[Model], action: str) -> str:
    """'contacts.change_contact' for (Contact, "change"): the Django permission that
    guards `action` on `model`'s records (see clientela.users.roles)."""
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


class _Likely(Func):
    """SQLite's `likelihood(condition, 0.9)`: the same condition, which the planner takes
    as true for most rows and so never starts a query from."""

    # The probability must be written in the SQL: SQLite refuses a bound parameter.
    template = "likelihood(%(expressions)s, 0.9)"
    output_field = BooleanField()


def scope_to_user(user: Any, queryset: QuerySet[M], *, searching: bool = False) -> QuerySet[M]:
    """`queryset` narrowed to what `user` may see. `searching`: the caller narrows it
    further by a full-text search, which should drive the query."""
    if not _user_ok(user) or getattr(user, "role", None) is None:
        return queryset.none()
    if is_owner_scoped(user):
        path = account_path(queryset.model)
        field = f"{path}__salesperson" if path else "salesperson"
        if searching and path and connection.vendor == "sqlite":
            # SQLite keeps no planner statistics (docs/performance.md), so it takes an
            # account's salesperson for a rare value and starts from the salesperson's
            # accounts (250,000 at a million), probing the search's matches for each:
            # minutes for a common word. Marked likely, the condition is checked on each
            # match instead. The same rows either way.
            return queryset.filter(_Likely(Exact(F(field), user.pk)))
        return queryset.filter(**{field: user})
    return queryset


def may(user: Any, action: str, target: Model | type[Model], *, account: Any = None) -> bool:
    """Whether `user` may do `action` ("change", "export"…) on `target`: a record, or a
    model for what applies to no record yet (adding, exporting). For a new record of a
    known account, pass `account`: a salesperson adds only to their own accounts."""
    if isinstance(target, Model):
        model: type[Model] = type(target)
        account = account_of(target)
    else:
        model = target
    if not _user_ok(user) or not user.has_perm(permission(model, action)):
        return False
    if account is not None and is_owner_scoped(user):
        if account.salesperson_id == user.pk:
            return True
        # A record may also belong to someone else than the account's salesperson (an
        # activity assigned to them): it says so with `owned_by(user)`.
        owned_by = getattr(target, "owned_by", None) if isinstance(target, Model) else None
        return bool(owned_by is not None and owned_by(user))
    return True


def require(user: Any, action: str, target: Model | type[Model], *, account: Any = None) -> None:
    if not may(user, action, target, account=account):
        raise PermissionDenied(
            permission(target if isinstance(target, type) else type(target), action)
        )


def _export_model(model: type[Model]) -> type[Model] | None:
    """The model whose export permission guards `model`'s records in bulk: its own, else
    the first one on its way to the account that has one (a document: the account's)."""
    path = getattr(model, "account_path", None)
    if path is None:
        return None
    hops = path.split("__") if path else []
    current: Any = model
    while current is not None:
        codename = f"export_{current._meta.model_name}"
        if any(code == codename for code, _name in current._meta.permissions):
            return cast(type[Model], current)
        current = current._meta.get_field(hops.pop(0)).related_model if hops else None
    return None


def may_read_in_bulk(user: Any, model: type[Model]) -> bool:
    """SPEC §7: viewers read, no export. A list of customer records in pages larger than
    a screen's (settings.PAGE_SIZE) is an export: it takes the export permission."""
    guard = _export_model(model)
    return guard is None or may(user, "export", guard)


def require_page_size(user: Any, model: type[Model], page_size: int) -> None:
    """422 on `page_size` for a user who may read `model` only a screen at a time."""
    limit = settings.PAGE_SIZE
    if page_size > limit and not may_read_in_bulk(user, model):
        raise ValidationError(
            {
                "page_size": _(
                    "Your role reads at most %(limit)d items per page: larger pages are an export."
                )
                % {"limit": limit}
            },
            code="page_size",
        )


def get_for_user(visible: QuerySet[M], user: Any, *, action: str = VIEW, **lookup: Any) -> M:
    """The record of `visible` (already scoped to `user`) matching `lookup`: 404 when the
    user may not see it, 403 when they may see it but not do `action` on it."""
    record = visible.filter(**lookup).first()
    if record is None:
        raise Http404(visible.model._meta.model_name)
    if action != VIEW:
        require(user, action, record)
    return record


def role_required(*roles: str) -> Callable[..., Any]:
    """Only users of these roles; anyone else logged in gets 403 (login is enforced
    globally)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if getattr(request.user, "role", None) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def permission_required(action: str, model: type[Model]) -> Callable[..., Any]:
    """403 unless the user's role may do `action` on `model` (before any record is
    loaded or any body is read)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            require(request.user, action, model)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
