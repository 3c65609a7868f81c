from django.contrib.auth.models import Group
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from clientela.core.search import normalize_text

from .models import User


def user_active_list() -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("username")


def user_list() -> QuerySet[User]:
    """Every user with their role groups, for the administrators' page."""
    return User.objects.order_by("-is_active", "username").prefetch_related(
        Prefetch("groups", queryset=Group.objects.only("name"))
    )


def user_search(query: str, limit: int | None = 10) -> QuerySet[User]:
    """Active users whose username or name matches: the first `limit` for autocompletes,
    all of them (an unsliced queryset a pager can count) with `limit=None`."""
    users = user_active_list()
    for word in normalize_text(query).split():
        users = users.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
        )
    return users if limit is None else users[:limit]


def user_get_for_admin(username: str) -> User:
    """Any user, active or not, for the administrators' page; 404 if unknown."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise Http404("user")
    return user


def user_get_active_by_username(username: str) -> User | None:
    return user_active_list().filter(username=username).first()
