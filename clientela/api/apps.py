from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "clientela.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from clientela.core.bodies import register_user_source

        register_user_source(_bearer_user)


def _bearer_user(request: HttpRequest) -> Any:
    """The user of the request's `Authorization: Bearer` token, for the body limit."""
    from .selectors import api_token_user

    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return api_token_user(token.strip())
