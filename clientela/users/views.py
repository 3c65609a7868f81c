from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .selectors import user_search


@require_GET
def user_autocomplete(request: HttpRequest) -> HttpResponse:
    """Options for a user <datalist>: never a <select> of every user (SPEC §11)."""
    # The input sends its own name (e.g. salesperson=ana); `field` says which one it is.
    field = request.GET.get("field", "q")
    ctx = {"users": user_search(request.GET.get(field, ""))}
    return render(request, "users/user_options.html", ctx)
