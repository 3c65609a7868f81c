from typing import Any

from django.conf import settings
from django.http import HttpRequest

from clientela.users.roles import Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the layout needs on every page: the regional defaults and the user's menu."""
    user = getattr(request, "user", None)
    return {
        "is_admin": bool(user and user.is_authenticated and user.role == Role.ADMIN),
        "DEFAULT_CURRENCY": settings.DEFAULT_CURRENCY,
    }
