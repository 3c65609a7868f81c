"""The user menu's "API tokens" page: create (shown once) and revoke personal tokens."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from clientela.users.auth import current_user

from .selectors import api_token_get_for_user, api_tokens_of
from .services import api_token_create, api_token_revoke


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. the program that will use it."),
    )


@require_http_methods(["GET", "POST"])
def api_tokens_view(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    ctx: dict[str, object] = {"form": form, "new_token": None}
    if request.method == "POST" and form.is_valid():
        # Shown in this response only: we keep just its hash.
        record, token = api_token_create(user=current_user(request), name=form.cleaned_data["name"])
        ctx["new_token"] = token
        ctx["new_record"] = record
        ctx["form"] = TokenForm()
    ctx["tokens"] = api_tokens_of(current_user(request))
    status = 422 if request.method == "POST" and form.errors else 200
    return render(request, "api/api_tokens.html", ctx, status=status)


@require_POST
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = api_token_get_for_user(current_user(request), token_id)
    api_token_revoke(user=current_user(request), token=token)
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("api_tokens")
