from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from clientela.audit.selectors import history_page
from clientela.core.access import may, permission_required
from clientela.core.forms import submit
from clientela.core.pages import confirm_delete, list_page, list_template
from clientela.core.panels import profile_panels
from clientela.users.auth import current_user

from . import services
from .forms import AccountFilterForm, AccountForm
from .models import SECTIONS, Account
from .selectors import AccountFilters, account_get_for_user, account_list

LOGO_SIZES = {"large": "logo", "thumb": "logo_thumb"}
LIST_COLUMNS = [
    ("code", gettext_lazy("Code")),
    ("name", gettext_lazy("Name")),
    ("tax_id", gettext_lazy("Tax id")),
    ("customer_type", gettext_lazy("Customer type")),
    ("salesperson", gettext_lazy("Salesperson")),
    ("city", gettext_lazy("City")),
    ("country", gettext_lazy("Country")),
    ("status", gettext_lazy("Status")),
]
FORM = "accounts/account_form.html"


@require_GET
@vary_on_headers("HX-Request")
def account_list_view(request: HttpRequest) -> HttpResponse:
    form = AccountFilterForm(request.GET)
    filters = form.filters()
    ctx = {
        "form": form,
        "filters": filters,
        "page": list_page(request, account_list(user=current_user(request), filters=filters)),
        "sort": filters.sort,
        "columns": LIST_COLUMNS,
    }
    return render(request, list_template(request, "accounts/account_list.html"), ctx)


@require_http_methods(["GET", "POST"])
@permission_required("add", Account)
def account_create_view(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = AccountForm(
        request.POST or None,
        can_reassign=may(user, "reassign", Account),
        initial={"salesperson": user},
    )
    sub = submit(
        request,
        form,
        lambda data, _version: services.account_create(user=user, data=data),
        success=lambda account: _("Account %(code)s created.") % {"code": account.code},
    )
    if sub.saved:
        return redirect(sub.saved.record)
    return render(request, FORM, {"account": None, **sub.context()}, status=sub.status)


@require_http_methods(["GET", "POST"])
def account_edit_view(request: HttpRequest, code: str) -> HttpResponse:
    user = current_user(request)
    account = account_get_for_user(user, code, action="change")
    form = AccountForm(
        request.POST or None, instance=account, can_reassign=may(user, "reassign", Account)
    )
    sub = submit(
        request,
        form,
        lambda data, version: services.account_update(
            user=user, account=account, data=data, version=version
        ),
        version=account.version,
        success=lambda saved: _("Account %(code)s saved.") % {"code": saved.code},
    )
    if sub.saved:
        return redirect(sub.saved.record)
    return render(request, FORM, {"account": account, **sub.context()}, status=sub.status)


@require_GET
def account_autocomplete_view(request: HttpRequest) -> HttpResponse:
    """<option>s for an account <datalist>: the list's search, scoped to the user."""
    field = request.GET.get("field", "q")
    query = request.GET.get(field, "")
    accounts = account_list(
        user=current_user(request), filters=AccountFilters(q=query, status="all")
    )
    ctx = {"accounts": accounts[:10] if query.strip() else accounts.none()}
    return render(request, "accounts/account_options.html", ctx)


@require_GET
def account_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    user = current_user(request)
    account = account_get_for_user(user, code)
    panels = [
        {"key": panel.key, "template": panel.template, **panel.context(request, account)}
        for panel in profile_panels()
    ]
    ctx = {
        "account": account,
        "sections": _profile_sections(account),
        "panels": panels,
        "can_edit": may(user, "change", account),
        "can_delete": may(user, "delete", account),
        "history": history_page(account, request.GET.get("history_page")),
    }
    return render(request, "accounts/account_detail.html", ctx)


@require_GET
def account_history_view(request: HttpRequest, code: str) -> HttpResponse:
    """The Historial panel alone, for htmx paging inside the profile."""
    account = account_get_for_user(current_user(request), code)
    ctx = {"account": account, "history": history_page(account, request.GET.get("history_page"))}
    return render(request, "accounts/account_detail.html#history", ctx)


@require_http_methods(["GET", "POST"])
def account_delete_view(request: HttpRequest, code: str) -> HttpResponse:
    user = current_user(request)
    account = account_get_for_user(user, code, action="delete")
    return confirm_delete(
        request,
        delete=lambda: services.account_delete(user=user, account=account),
        template="accounts/account_confirm_delete.html",
        ctx={"account": account},
        done=_("Account %(code)s deleted.") % {"code": account.code},
        then="account_list",
    )


def _profile_sections(account: Account) -> list[dict[str, Any]]:
    sections = []
    for key, title, names in SECTIONS:
        rows = []
        for name in names:
            label = Account._meta.get_field(name).verbose_name  # type: ignore[union-attr]
            rows.append({"name": name, "label": label, "value": _display(account, name)})
        sections.append({"key": key, "title": title, "rows": rows})
    return sections


def _display(account: Account, name: str) -> Any:
    getter = getattr(account, f"get_{name}_display", None)
    if getter is not None:
        return getter()
    value = getattr(account, name)
    if name == "country":
        return account.country.name
    return value


@require_POST
def account_logo_upload_view(request: HttpRequest, code: str) -> HttpResponse:
    user = current_user(request)
    account = account_get_for_user(user, code, action="change")
    try:
        services.account_set_logo(user=user, account=account, upload=request.FILES.get("logo"))
    except ValidationError as exc:
        for message in exc.message_dict.get("logo", exc.messages):
            messages.error(request, message)
    else:
        messages.success(request, _("Logo updated."))
    return redirect(account)


@require_GET
def account_logo_view(request: HttpRequest, code: str, size: str) -> FileResponse:
    """Logos are served through the access gate, never from a public media URL."""
    account = account_get_for_user(current_user(request), code)
    image = getattr(account, LOGO_SIZES.get(size, ""), None)
    if not image:
        raise Http404("logo")
    response = FileResponse(image.open("rb"), content_type="image/webp")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
