from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from .selectors import api_token_user


class BearerToken(HttpBearer):
    """`Authorization: Bearer TOKEN`; a revoked token or a deactivated user gets 401."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is None:
            return None
        request.user = user
        return user


class BrowserSession(SessionAuth):
    """The logged-in browser; ninja enforces CSRF on its unsafe requests.

    A request that sends `Authorization` chose token auth: when its token is bad,
    revoked or its user deactivated, the answer is 401, not a CSRF 403 from here."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if "HTTP_AUTHORIZATION" in request.META:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None:
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


def api_user(request: HttpRequest) -> Any:
    """The user the request authenticated as (token or session); every operation has one."""
    from clientela.users.models import User

    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user
