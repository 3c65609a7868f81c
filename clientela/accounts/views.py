import copy
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from clientela.audit.selectors import change_lines, entry_kind, history_for_account
from clientela.core.access import may, permission_required, require
from clientela.core.exceptions import StaleVersionError
from clientela.core.htmx import wants_fragment
from clientela.core.paging import page_number, panel_page
from clientela.core.panels import profile_panels
from clientela.core.requests import add_service_errors, current_user, posted_version

from . import services
from .forms import SECTIONS, AccountFilterForm, AccountForm
from .models import Account
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
]


@require_GET
@vary_on_headers("HX-Request")
def account_list_view(request: HttpRequest) -> HttpResponse:
    form = AccountFilterForm(request.GET)
    filters = form.filters()
    page = account_page(user=current_user(request), filters=filters, params=request.GET)
    ctx = {
        "form": form,
        "filters": filters,
        "page": page,
        "sort": filters.sort,
        "columns": LIST_COLUMNS,
    }
    template = "accounts/account_list.html"
    if wants_fragment(request):
        template += "#results"
    return render(request, template, ctx)


@require_http_methods(["GET", "POST"])
@permission_required("accounts.add_account")
def account_create_view(request: HttpRequest) -> HttpResponse:
    can_reassign = may(request.user, "accounts.reassign_account")
    form = AccountForm(
        request.POST or None, can_reassign=can_reassign, initial={"salesperson": request.user}
    )
    ctx: dict[str, Any] = {"form": form, "account": None}
    if request.method == "POST" and form.is_valid():
        try:
            account = services.account_create(user=current_user(request), data=form.cleaned_data)
        except services.DuplicateTaxIdError as exc:
            add_service_errors(form, exc)
            ctx["duplicate_code"] = exc.existing_code
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _notify_saved(request, account, created=True)
            return redirect("account_detail", code=account.code)
    return render(request, "accounts/account_form.html", ctx, status=_form_status(request, form))


@require_http_methods(["GET", "POST"])
def account_edit_view(request: HttpRequest, code: str) -> HttpResponse:
    account = account_get_for_user(current_user(request), code)
    require(request.user, "accounts.change_account", account)
    can_reassign = may(request.user, "accounts.reassign_account")
    # The form writes what it parsed onto its instance: give it a copy, so the page
    # header keeps showing the saved account.
    form = AccountForm(request.POST or None, instance=copy.copy(account), can_reassign=can_reassign)
    ctx: dict[str, Any] = {"form": form, "account": account, "version": account.version}
    if request.method == "POST" and form.is_valid():
        version = posted_version(request)
        try:
            account = services.account_update(
                user=current_user(request), account=account, data=form.cleaned_data, version=version
            )
        except StaleVersionError as exc:
            # Keep what the user typed; show what changed; the next save is deliberate.
            ctx["stale"] = exc.current
            ctx["version"] = exc.current.version
            form.add_error(
                None,
                _(
                    "%(user)s saved this account after you opened it. Your changes were not "
                    "saved: review them and save again to overwrite."
                )
                % {"user": exc.current.updated_by or _("Another user")},
            )
        except services.DuplicateTaxIdError as exc:
            add_service_errors(form, exc)
            ctx["duplicate_code"] = exc.existing_code
            ctx["version"] = version
        except ValidationError as exc:
            add_service_errors(form, exc)
            ctx["version"] = version
        else:
            _notify_saved(request, account, created=False)
            return redirect("account_detail", code=account.code)
    elif request.method == "POST":
        ctx["version"] = posted_version(request)
    return render(request, "accounts/account_form.html", ctx, status=_form_status(request, form))


def _form_status(request: HttpRequest, form: AccountForm) -> int:
    return 422 if request.method == "POST" and form.errors else 200


def _notify_saved(request: HttpRequest, account: Account, *, created: bool) -> None:
    text = _("Account %(code)s created.") if created else _("Account %(code)s saved.")
    messages.success(request, text % {"code": account.code})
    warning = getattr(account, "tax_warning", "")
    if warning:
        messages.warning(request, warning)


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
    account = account_get_for_user(current_user(request), code)
    user = request.user
    panels = [
        {"key": panel.key, "template": panel.template, **panel.context(request, account)}
        for panel in profile_panels()
    ]
    ctx = {
        "account": account,
        "sections": _profile_sections(account),
        "panels": panels,
        "can_edit": may(user, "accounts.change_account", account),
        "can_delete": may(user, "accounts.delete_account", account),
        "history": _history_page(request, account),
    }
    return render(request, "accounts/account_detail.html", ctx)


HISTORY_PAGE_SIZE = 20


def _history_page(request: HttpRequest, account: Account) -> Any:
    page = panel_page(
        history_for_account(account.pk), page_number(request.GET, "history_page"), HISTORY_PAGE_SIZE
    )
    page.entries = [  # type: ignore[attr-defined]
        (entry, entry_kind(entry), change_lines(entry)) for entry in page.object_list
    ]
    return page


@require_GET
def account_history_view(request: HttpRequest, code: str) -> HttpResponse:
    """The Historial panel alone, for htmx paging inside the profile."""
    account = account_get_for_user(current_user(request), code)
    ctx = {"account": account, "history": _history_page(request, account)}
    return render(request, "accounts/account_detail.html#history", ctx)


@require_http_methods(["GET", "POST"])
def account_delete_view(request: HttpRequest, code: str) -> HttpResponse:
    account = account_get_for_user(current_user(request), code)
    require(request.user, "accounts.delete_account", account)
    ctx: dict[str, Any] = {"account": account}
    if request.method == "POST":
        try:
            services.account_delete(user=current_user(request), account=account)
        except ValidationError as exc:
            ctx["errors"] = exc.messages
        else:
            messages.success(request, _("Account %(code)s deleted.") % {"code": account.code})
            return redirect("account_list")
    return render(
        request, "accounts/account_confirm_delete.html", ctx, status=409 if "errors" in ctx else 200
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
    account = account_get_for_user(current_user(request), code)
    require(request.user, "accounts.change_account", account)
    try:
        services.account_set_logo(
            user=current_user(request), account=account, upload=request.FILES.get("logo")
        )
    except ValidationError as exc:
        for message in exc.message_dict.get("logo", exc.messages):
            messages.error(request, message)
    else:
        messages.success(request, _("Logo updated."))
    return redirect("account_detail", code=account.code)


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
