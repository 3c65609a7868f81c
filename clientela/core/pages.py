"""Pieces of the pages every module has, so each module writes only what is its own."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .access import may
from .exceptions import RecordsAttachedError
from .htmx import wants_fragment


def list_template(request: HttpRequest, template: str) -> str:
    """A list's page, or only its results for an htmx swap (filters, sort, paging)."""
    return f"{template}#results" if wants_fragment(request) else template


def can(user: Any, record: Model, *actions: str) -> dict[str, bool]:
    """{"can_change": True, …}: which of `actions` the page may offer on `record`."""
    return {f"can_{action}": may(user, action, record) for action in actions}


def confirm_delete(
    request: HttpRequest,
    delete: Callable[[], Any],
    template: str,
    ctx: dict[str, Any],
    done: str,
    to: str,
) -> HttpResponse:
    """GET: the confirmation page. POST: `delete()`, then the message `done` and a
    redirect to `to`; when other records still depend on the record, the page again with
    why (409)."""
    if request.method == "POST":
        try:
            delete()
        except RecordsAttachedError as exc:
            return render(request, template, {**ctx, "errors": exc.messages}, status=409)
        messages.success(request, done)
        return redirect(to)
    return render(request, template, ctx)
