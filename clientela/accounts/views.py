from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from clientela.audit.selectors import history_page
from clientela.core.access import may, permission_required
from clientela.core.forms import form_page
from clientela.core.pages import can, confirm_delete, list_template
from clientela.core.panels import profile_panels
from clientela.users.auth import current_user

from . import services, taxid
from .forms import HINTED_FIELDS, AccountFilterForm, AccountForm
from .models import SECTIONS, Account
from .selectors import AccountFilters, account_get_for_user, account_list, account_page

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
    ("last_activity", gettext_lazy("Last activity")),
    ("next_activity", gettext_lazy("Next activity")),
]
# The columns a phone keeps (narrower than 600 px hides the rest: app.css .col-opt).
PHONE_COLUMNS = ("code", "name", "status")
FORM = "accounts/account_form.html"
DELETE = "accounts/account_confirm_delete.html"


@require_GET
@vary_on_headers("HX-Request")
def account_list_view(request: HttpRequest) -> HttpResponse:
    form = AccountFilterForm(request.GET)
    filters = form.filters()
    page = account_page(user=current_user(request), filters=filters, params=request.GET)
    for account in page.object_list:
        # The copied name (sorting by an index) is the installation's language.
        account.customer_type_label = form.customer_type_names.get(
            account.customer_type_id, account.customer_type_name
        )
    ctx = {
        "form": form,
        "filters": filters,
        "page": page,
        "sort": filters.sort,
        "columns": _list_columns(filters),
        "phone_columns": PHONE_COLUMNS,
    }
    return render(request, list_template(request, "accounts/account_list.html"), ctx)


def _list_columns(filters: AccountFilters) -> list[tuple[str, Any]]:
    """A list of one country names the tax id as that country does ("NIT"); a mixed one
    says "Identificación fiscal"."""
    if not filters.country:
        return LIST_COLUMNS
    label = taxid.tax_id_label(filters.country)
    return [(key, label if key == "tax_id" else title) for key, title in LIST_COLUMNS]


def _created(account: Account) -> str:
    return _("Account %(code)s created.") % {"code": account.code}


def _saved(account: Account) -> str:
    return _("Account %(code)s saved.") % {"code": account.code}


@require_http_methods(["GET", "POST"])
@permission_required("add", Account)
def account_create_view(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    reassign = may(user, "reassign", Account)
    form = AccountForm(request.POST or None, can_reassign=reassign, initial={"salesperson": user})
    save = partial(services.account_create, user=user)
    return form_page(request, form, save, FORM, {"account": None}, success=_created)


@require_http_methods(["GET", "POST"])
def account_edit_view(request: HttpRequest, code: str) -> HttpResponse:
    user = current_user(request)
    account = account_get_for_user(user, code, action="change")
    reassign = may(user, "reassign", Account)
    form = AccountForm(request.POST or None, instance=account, can_reassign=reassign)
    save = partial(services.account_update, user=user, account=account)
    return form_page(request, form, save, FORM, {"account": account}, success=_saved)


@require_GET
def account_form_hints_view(request: HttpRequest) -> HttpResponse:
    """The fields that follow the country and person kind (the tax id's name, Panama's DV,
    the phones' example), drawn again with what the user typed: htmx swaps them in place."""
    typed = {name: request.GET.get(name, "") for name in ("country", "person_kind", *HINTED_FIELDS)}
    form = AccountForm(initial={k: v for k, v in typed.items() if v})
    ctx = {"form": form, "hinted": [form[name] for name in HINTED_FIELDS], "oob": True}
    return render(request, "accounts/account_form.html#hints", ctx)


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
        "history": history_page(account, request.GET.get("history_page")),
        **can(user, account, "change", "delete"),
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
    delete = partial(services.account_delete, user=user, account=account)
    done = _("Account %(code)s deleted.") % {"code": account.code}
    ctx = {"account": account}
    return confirm_delete(request, delete, DELETE, ctx, done, reverse("account_list"))


def _profile_sections(account: Account) -> list[dict[str, Any]]:
    sections = []
    for key, title, names in SECTIONS:
        rows = []
        for name in names:
            label = Account._meta.get_field(name).verbose_name  # type: ignore[union-attr]
            if name == "tax_id":
                label = account.tax_id_label
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
