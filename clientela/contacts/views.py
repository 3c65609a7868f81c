from functools import partial
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
from clientela.audit.selectors import history_page
from clientela.core.access import may, permission_required, require
from clientela.core.forms import Submission, form_page, submit
from clientela.core.htmx import wants_fragment
from clientela.core.pages import can, confirm_delete, list_template
from clientela.users.auth import current_user
from clientela.users.models import User

from . import services
from .forms import ContactFilterForm, ContactForm
from .models import LETTERS, OTHER_INITIAL, Contact
from .panels import panel_context
from .selectors import contact_get_for_user, contact_list, contact_page
from .vcard import contact_vcard, vcard_filename, vcards

LIST_COLUMNS = [
    ("name", gettext_lazy("Name")),
    ("job_title", gettext_lazy("Job title")),
    ("account", gettext_lazy("Account")),
    ("email", gettext_lazy("E-mail")),
]
# The columns a phone keeps (narrower than 600 px hides the rest: app.css .col-opt);
# the numbers are one tap away on the contact's page.
PHONE_COLUMNS = ("name", "account")
FORM = "contacts/contact_form.html"
# The profile's other panels listen for this event to refresh (e.g. the history).
CHANGED_EVENT = "clientela:contacts-changed"


def _attachment(filename: str) -> str:
    # Never None for as_attachment=True; the name is ASCII already (vcard_filename).
    return content_disposition_header(True, filename) or "attachment"


def _saved_text(contact: Contact) -> str:
    return _("Contact %(name)s saved.") % {"name": contact}


# ── Directory ─────────────────────────────────────────────────────────────────────────────


@require_GET
@vary_on_headers("HX-Request")
def contact_list_view(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = ContactFilterForm(request.GET)
    filters = form.filters()
    page = contact_page(user=user, filters=filters, params=request.GET)
    ctx = {
        "form": form,
        "filters": filters,
        "page": page,
        "sort": filters.sort,
        "columns": LIST_COLUMNS,
        "phone_columns": PHONE_COLUMNS,
        "letters": [*LETTERS, OTHER_INITIAL],
        "can_export": may(user, "export", Contact),
    }
    return render(request, list_template(request, "contacts/contact_list.html"), ctx)


@require_GET
@permission_required("export", Contact)
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
    user = current_user(request)
    contact = contact_get_for_user(user, pk)
    ctx = {
        "contact": contact,
        "account": contact.account,
        "history": history_page(contact, request.GET.get("history_page")),
        **can(user, contact, "change", "delete"),
        # A vCard is an export (SPEC §7: viewers read, no export).
        "can_download": may(user, "export", contact),
    }
    return render(request, "contacts/contact_detail.html", ctx)


def _account_from_query(user: User, code: str) -> Account | None:
    code = (code or "").strip().upper()
    return account_visible_to(user).filter(code=code).first() if code else None


def _created(contact: Contact) -> str:
    return _("Contact %(name)s created.") % {"name": contact}


@require_http_methods(["GET", "POST"])
@permission_required("add", Contact)
def contact_create_view(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    preselected = _account_from_query(user, request.GET.get("account", ""))
    form = ContactForm(request.POST or None, user=user, initial={"account": preselected})
    ctx = {"contact": None, "account": preselected}
    save = partial(services.contact_create, user=user)
    return form_page(request, form, save, FORM, ctx, success=_created)


@require_http_methods(["GET", "POST"])
def contact_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    contact = contact_get_for_user(user, pk, action="change")
    form = ContactForm(request.POST or None, instance=contact, user=user)
    ctx = {"contact": contact, "account": contact.account}
    save = partial(services.contact_update, user=user, contact=contact)
    return form_page(request, form, save, FORM, ctx, success=_saved_text)


@require_http_methods(["GET", "POST"])
def contact_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    contact = contact_get_for_user(user, pk, action="delete")
    then = contact.account.get_absolute_url() if contact.account else reverse("contact_list")
    ctx = {"contact": contact, "account": contact.account}
    done = _("Contact %(name)s deleted.") % {"name": contact}
    delete = partial(services.contact_delete, user=user, contact=contact)
    return confirm_delete(request, delete, "contacts/contact_confirm_delete.html", ctx, done, then)


@require_GET
def contact_vcard_view(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_get_for_user(current_user(request), pk, action="export")
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
        instance=contact,
        user=current_user(request),
        account=account,
        auto_id=f"{prefix}_%s",
    )
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
    return HttpResponseRedirect(f"{account.get_absolute_url()}#panel-contacts", status=303)


def _panel_contact(user: User, account: Account, pk: int, action: str) -> Contact:
    contact = contact_get_for_user(user, pk, action=action)
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
        require(user, "add", Contact, account=account)
        if not fragment:
            return redirect(f"{reverse('contact_create')}?account={account.code}")
        return _render_panel(request, account, form=_panel_form(request, account))
    if request.GET.get("edit", "").isdigit():
        contact = _panel_contact(user, account, int(request.GET["edit"]), "change")
        if not fragment:
            return redirect("contact_edit", pk=contact.pk)
        form = _panel_form(request, account, contact)
        return _render_panel(
            request, account, form=form, editing=contact.pk, version=contact.version
        )
    if not fragment:
        return redirect(f"{account.get_absolute_url()}#panel-contacts")
    return _render_panel(request, account)


@require_POST
def contact_panel_create_view(request: HttpRequest, code: str) -> HttpResponse:
    user = current_user(request)
    account = account_get_for_user(user, code)
    require(user, "add", Contact, account=account)
    form = _panel_form(request, account)
    sub = submit(request, form, partial(services.contact_create, user=user))
    if sub.saved:
        notice = _("Contact %(name)s added.") % {"name": sub.saved.record}
        return _after_panel_post(request, account, notice)
    return _panel_form_failed(request, account, sub)


@require_POST
def contact_panel_edit_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    user = current_user(request)
    account = account_get_for_user(user, code)
    contact = _panel_contact(user, account, pk, "change")
    save = partial(services.contact_update, user=user, contact=contact)
    sub = submit(request, _panel_form(request, account, contact), save)
    if sub.saved:
        return _after_panel_post(request, account, _saved_text(sub.saved.record))
    return _panel_form_failed(request, account, sub, editing=contact.pk)


def _panel_form_failed(
    request: HttpRequest, account: Account, sub: Submission[Contact], editing: int | None = None
) -> HttpResponse:
    """422 with what the user typed and each error beside its field; the first wrong
    field takes the focus."""
    form = sub.form
    wrong = next((name for name in form.fields if name in form.errors), None)
    if wrong is not None:
        form.fields[wrong].widget.attrs["autofocus"] = True
    if wants_fragment(request):
        return _render_panel(
            request, account, status=422, form=form, editing=editing, version=sub.version
        )
    ctx = {
        "contact": None,
        "account": account,
        "fixed_account": True,
        "form_action": request.path,
        **sub.context(),
    }
    return render(request, FORM, ctx, status=422)


@require_POST
def contact_panel_delete_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    user = current_user(request)
    account = account_get_for_user(user, code)
    contact = _panel_contact(user, account, pk, "delete")
    try:
        services.contact_delete(user=user, contact=contact)
    except ValidationError as exc:
        if wants_fragment(request):
            return _render_panel(request, account, status=409, errors=exc.messages)
        for message in exc.messages:
            messages.error(request, message)
        return redirect(contact)
    return _after_panel_post(request, account, _("Contact %(name)s deleted.") % {"name": contact})


@require_POST
def contact_panel_primary_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    user = current_user(request)
    account = account_get_for_user(user, code)
    contact = _panel_contact(user, account, pk, "change")
    saved = services.contact_make_primary(user=user, contact=contact)
    notice = _("%(name)s is now the primary contact.") % {"name": saved.record}
    return _after_panel_post(request, account, notice)
