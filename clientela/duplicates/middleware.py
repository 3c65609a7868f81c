"""A merged account's code keeps answering (SPEC §11): its pages and its API path
redirect permanently to the survivor's. Only looked at when the answer is a 404, so
every other request pays nothing."""

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

_ACCOUNT_PATH = re.compile(r"^(?P<prefix>/(?:api/v1/)?accounts/)(?P<code>[^/]+)(?P<rest>/.*)?$")


class PermanentRedirect308(HttpResponsePermanentRedirect):
    status_code = 308


class MergedCodeRedirectMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        match = _ACCOUNT_PATH.match(request.path_info)
        if match is None:
            return response
        from clientela.accounts.selectors import account_visible_to

        from .selectors import survivor_of_code

        survivor = survivor_of_code(match["code"])
        user = getattr(request, "user", None)
        if survivor is None or not account_visible_to(user).filter(pk=survivor.pk).exists():  # type: ignore[arg-type]
            return response
        script = request.META.get("SCRIPT_NAME", "")
        location = f"{script}{match['prefix']}{survivor.code}{match['rest'] or ''}"
        if request.META.get("QUERY_STRING"):
            location += "?" + request.META["QUERY_STRING"]
        # 301 for reads; a write keeps its method and body with 308.
        redirect = (
            HttpResponsePermanentRedirect
            if request.method in ("GET", "HEAD")
            else PermanentRedirect308
        )
        return redirect(location)
