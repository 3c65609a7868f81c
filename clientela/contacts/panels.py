"""The account profile's Contactos panel context (registered in apps.py)."""

from typing import Any

from django.http import HttpRequest

from clientela.accounts.models import Account
from clientela.core.access import may

from .selectors import PANEL_LIMIT, contacts_of_account


def panel_context(
    request: HttpRequest,
    account: Account,
    *,
    form: Any = None,
    editing: int | None = None,
    notice: str = "",
    errors: list[str] | None = None,
) -> dict[str, Any]:
    """The panel's context: the account's contacts (primary first) and, when the user
    opened one, the add or edit form in place. One query whatever the number of rows."""
    user = request.user
    contacts = contacts_of_account(account.pk)
    return {
        "contacts": contacts[:PANEL_LIMIT],
        "more": len(contacts) > PANEL_LIMIT,
        "form": form,
        "adding": form is not None and editing is None,
        "editing": editing,
        "version": getattr(form, "version", None),
        "notice": notice,
        "errors": errors or [],
        "can_add": may(user, "contacts.add_contact", account),
        "can_change": may(user, "contacts.change_contact", account),
        "can_delete": may(user, "contacts.delete_contact", account),
        "can_download": may(user, "contacts.download_contact", account),
    }
