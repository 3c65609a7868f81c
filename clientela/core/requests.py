"""Small helpers every module's views share."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from clientela.users.models import User


def current_user(request: HttpRequest) -> User:
    """The logged-in user (login is enforced globally, so never anonymous here)."""
    assert isinstance(request.user, User)
    return request.user


def posted_version(request: HttpRequest) -> int:
    """The record version the form was loaded with; a missing one never matches."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def add_service_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's ValidationError beside the form's fields (or on top)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)
