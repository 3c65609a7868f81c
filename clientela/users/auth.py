"""The logged-in user of a request, typed for the services."""

from django.http import HttpRequest

from .models import User


def current_user(request: HttpRequest) -> User:
    """The logged-in user (login is enforced globally, so never anonymous here)."""
    assert isinstance(request.user, User)
    return request.user
