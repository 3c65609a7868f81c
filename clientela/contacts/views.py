import copy
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from clientela.accounts.models import Account
from clientela.accounts.selectors import account_get_for_user, account_visible_to
from clientela.audit.selectors import change_lines, entry_kind
from clientela.core.access import may, permission_required, require
from clientela.core.exceptions import StaleVersionError
from clientela.core.htmx import wants_fragment
from clientela.core.requests import add_service_errors, current_user, posted_version
from clientela.users.models import User

from . import services
from .forms import ContactFilterForm, ContactForm
from .models import LETTERS, OTHER_INITIAL, Contact
from .panels import panel_context
from .selectors import contact_get_for_user, contact_history, contact_list, contact_page
from .vcard import contact_vcard, vcard_filename, vcards

LIST_COLUMNS = [
    ("name", gettext_lazy("Name")),
    ("job_title", gettext_lazy("Job title")),
    ("account", gettext_lazy("Account")),
    ("email", gettext_lazy("E-mail")),
]
HISTORY_LIMIT = 50
# The profile's other panels listen for this event to refresh (e.g. the history).
CHANGED_EVENT = "clientela:contacts-changed"


def _attachment(filename: str) -> str:
    # Never None for as_attachment=True; the name is ASCII already (vcard_filename).
    return content_disposition_header(True, filename) or "attachment"


def _stale_message(exc: StaleVersionError) -> str:
    return _(
        "%(user)s saved this contact after you opened it. Your changes were not saved: "
        "review them and save again to overwrite."
    ) % {"user": exc.current.updated_by or _("Another user")}


# ── Directory ─────────────────────────────────────────────────────────────────────────────


@require_GET
@vary_on_headers("HX-Request")
def contact_list_view(request: HttpRequest) -> HttpResponse:
    form = ContactFilterForm(request.GET)
    filters = form.filters()
    page = contact_page(user=current_user(request), filters=filters, params=request.GET)
    ctx = {
        "form": form,
        "filters": filters,
        "page": page,
        "sort": filters.sort,
        "columns": LIST_COLUMNS,
        "letters": [*LETTERS, OTHER_INITIAL],
        "can_export": may(request.user, "contacts.export_contact"),
    }
    template = "contacts/contact_list.html"
    if wants_fragment(request):
        template += "#results"
    return render(request, template, ctx)


@require_GET
@permission_required("contacts.export_contact")
def contact_directory_vcard_view(request: HttpRequest) -> StreamingHttpResponse:
    """The directory as filtered (every page) in one .vcf, streamed."""
    filters = ContactFilterForm(request.GET).filters()
    contacts = contact_list(user=current_user(request), filters=filters)
    response = StreamingHttpResponse(
        vcards(contacts.iterator(chunk_size=500)), content_type="text/vcard; charset=utf-8"
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = _attachment(vcard_filename(f"{_('contacts')}-{stamp}"))
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ── Contact pages ─────────────────────────────────────────────────────────────────────────


@require_GET
def contact_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_get_for_user(current_user(request), pk)
    user = request.user
    entries = list(contact_history(contact)[:HISTORY_LIMIT])
    ctx = {
        "contact": contact,
        "account": contact.account,
        "can_edit": may(user, "contacts.change_contact", contact.account),
        "can_delete": may(user, "contacts.delete_contact", contact.account),
        "can_download": may(user, "contacts.download_contact", contact.account),
        "history": [(entry, entry_kind(entry), change_lines(entry)) for entry in entries],
    }
    return render(request, "contacts/contact_detail.html", ctx)


def _account_from_query(user: User, code: str) -> Account | None:
    code = (code or "").strip().upper()
    return account_visible_to(user).filter(code=code).first() if code else None


@require_http_methods(["GET", "POST"])
@permission_required("contacts.add_contact")
def contact_create_view(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    preselected = _account_from_query(user, request.GET.get("account", ""))
    form = ContactForm(request.POST or None, user=user, initial={"account": preselected})
    ctx: dict[str, Any] = {"form": form, "contact": None, "account": preselected}
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_create(user=user, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contact %(name)s created.") % {"name": contact})
            return redirect("contact_detail", pk=contact.pk)
    return render(request, "contacts/contact_form.html", ctx, status=_status(request, form))


@require_http_methods(["GET", "POST"])
def contact_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    contact = contact_get_for_user(user, pk)
    require(user, "contacts.change_contact", contact.account)
    # The form writes what it parsed onto its instance: a copy keeps the header intact.
    form = ContactForm(request.POST or None, instance=copy.copy(contact), user=user)
    ctx: dict[str, Any] = {
        "form": form,
        "contact": contact,
        "account": contact.account,
        "version": contact.version,
    }
    if request.method == "POST":
        ctx["version"] = posted_version(request)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_update(
                user=user, contact=contact, data=form.service_data(), version=ctx["version"]
            )
        except StaleVersionError as exc:
            ctx["version"] = exc.current.version
            form.add_error(None, _stale_message(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contact %(name)s saved.") % {"name": contact})
            return redirect("contact_detail", pk=contact.pk)
    return render(request, "contacts/contact_form.html", ctx, status=_status(request, form))


def _status(request: HttpRequest, form: ContactForm) -> int:
    return 422 if request.method == "POST" and form.errors else 200


@require_http_methods(["GET", "POST"])
def contact_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    contact = contact_get_for_user(user, pk)
    require(user, "contacts.delete_contact", contact.account)
    ctx: dict[str, Any] = {"contact": contact, "account": contact.account}
    if request.method == "POST":
        try:
            services.contact_delete(user=user, contact=contact)
        except ValidationError as exc:
            ctx["errors"] = exc.messages
        else:
            messages.success(request, _("Contact %(name)s deleted.") % {"name": contact})
            if contact.account is not None:
                return redirect("account_detail", code=contact.account.code)
            return redirect("contact_list")
    status = 409 if "errors" in ctx else 200
    return render(request, "contacts/contact_confirm_delete.html", ctx, status=status)


@require_GET
def contact_vcard_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    contact = contact_get_for_user(user, pk)
    require(user, "contacts.download_contact", contact.account)
    response = HttpResponse(contact_vcard(contact), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = _attachment(vcard_filename(contact.display_name))
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ── The profile's Contactos panel ─────────────────────────────────────────────────────────


def _panel_form(
    request: HttpRequest, account: Account, contact: Contact | None = None
) -> ContactForm:
    # Ids of their own, so the panel's inputs never collide with the profile's.
    prefix = f"contact{contact.pk}" if contact else "contact"
    form = ContactForm(
        request.POST if request.method == "POST" else None,
        instance=copy.copy(contact) if contact else None,
        user=current_user(request),
        account=account,
        auto_id=f"{prefix}_%s",
    )
    form.version = contact.version if contact else None  # type: ignore[attr-defined]
    if request.method != "POST":
        form.fields["first_name"].widget.attrs["autofocus"] = True
    return form


def _render_panel(
    request: HttpRequest, account: Account, status: int = 200, **kwargs: Any
) -> HttpResponse:
    ctx = {"account": account, "panel": panel_context(request, account, **kwargs)}
    response = render(request, "contacts/account_panel.html", ctx, status=status)
    if status == 200 and request.method == "POST":
        response["HX-Trigger"] = CHANGED_EVENT
    return response


def _after_panel_post(
    request: HttpRequest, account: Account, notice: str, **kwargs: Any
) -> HttpResponse:
    """htmx gets the updated panel; a plain POST goes back to the profile (303)."""
    if wants_fragment(request):
        return _render_panel(request, account, notice=notice, **kwargs)
    messages.success(request, notice)
    url = reverse("account_detail", kwargs={"code": account.code}) + "#panel-contacts"
    return HttpResponseRedirect(url, status=303)


def _panel_contact(user: User, account: Account, pk: int) -> Contact:
    contact = contact_get_for_user(user, pk)
    if contact.account_id != account.pk:
        raise Http404("contact")
    return contact


@require_GET
@vary_on_headers("HX-Request")
def contact_panel_view(request: HttpRequest, code: str) -> HttpResponse:
    """The panel alone: `?add=1` opens the add form, `?edit=<id>` a contact's form. A
    plain browser request (a bookmarked or reopened link) gets the full page instead."""
    user = current_user(request)
    account = account_get_for_user(user, code)
    fragment = wants_fragment(request)
    if request.GET.get("add"):
        require(user, "contacts.add_contact", account)
        if not fragment:
            return redirect(f"{reverse('contact_create')}?account={account.code}")
        return _render_panel(request, account, form=_panel_form(request, account))
    if request.GET.get("edit", "").isdigit():
        contact = _panel_contact(user, account, int(request.GET["edit"]))
        require(user, "contacts.change_contact", account)
        if not fragment:
            return redirect("contact_edit", pk=contact.pk)
        form = _panel_form(request, account, contact)
        return _render_panel(request, account, form=form, editing=contact.pk)
    if not fragment:
        return redirect(
            reverse("account_detail", kwargs={"code": account.code}) + "#panel-contacts"
        )
    return _render_panel(request, account)


@require_POST
def contact_panel_create_view(request: HttpRequest, code: str) -> HttpResponse:
    user = current_user(request)
    account = account_get_for_user(user, code)
    require(user, "contacts.add_contact", account)
    form = _panel_form(request, account)
    if form.is_valid():
        try:
            contact = services.contact_create(user=user, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            notice = _("Contact %(name)s added.") % {"name": contact}
            return _after_panel_post(request, account, notice)
    return _panel_form_failed(request, account, form)


@require_POST
def contact_panel_edit_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    user = current_user(request)
    account = account_get_for_user(user, code)
    contact = _panel_contact(user, account, pk)
    require(user, "contacts.change_contact", account)
    form = _panel_form(request, account, contact)
    version = posted_version(request)
    form.version = version  # type: ignore[attr-defined]
    if form.is_valid():
        try:
            contact = services.contact_update(
                user=user, contact=contact, data=form.service_data(), version=version
            )
        except StaleVersionError as exc:
            form.version = exc.current.version  # type: ignore[attr-defined]
            form.add_error(None, _stale_message(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            notice = _("Contact %(name)s saved.") % {"name": contact}
            return _after_panel_post(request, account, notice)
    return _panel_form_failed(request, account, form, editing=contact.pk)


def _panel_form_failed(
    request: HttpRequest, account: Account, form: ContactForm, editing: int | None = None
) -> HttpResponse:
    """422 with what the user typed and each error beside its field; the first wrong
    field takes the focus."""
    wrong = next((name for name in form.fields if name in form.errors), None)
    if wrong is not None:
        form.fields[wrong].widget.attrs["autofocus"] = True
    if wants_fragment(request):
        return _render_panel(request, account, status=422, form=form, editing=editing)
    ctx = {
        "form": form,
        "contact": None,
        "account": account,
        "fixed_account": True,
        "form_action": request.path,
        "version": getattr(form, "version", None),
    }
    return render(request, "contacts/contact_form.html", ctx, status=422)


@require_POST
def contact_panel_delete_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    user = current_user(request)
    account = account_get_for_user(user, code)
    contact = _panel_contact(user, account, pk)
    require(user, "contacts.delete_contact", account)
    try:
        services.contact_delete(user=user, contact=contact)
    except ValidationError as exc:
        if wants_fragment(request):
            return _render_panel(request, account, status=409, errors=exc.messages)
        for message in exc.messages:
            messages.error(request, message)
        return redirect("contact_detail", pk=contact.pk)
    return _after_panel_post(request, account, _("Contact %(name)s deleted.") % {"name": contact})


@require_POST
def contact_panel_primary_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    user = current_user(request)
    account = account_get_for_user(user, code)
    contact = _panel_contact(user, account, pk)
    require(user, "contacts.change_contact", account)
    contact = services.contact_make_primary(user=user, contact=contact)
    notice = _("%(name)s is now the primary contact.") % {"name": contact}
    return _after_panel_post(request, account, notice)
