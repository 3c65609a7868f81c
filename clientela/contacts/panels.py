"""The account profile's Contactos panel context (registered in apps.py)."""

from typing import Any

from django.http import HttpRequest

from clientela.accounts.models import Account
from clientela.core.access import may
from clientela.users.auth import current_user

from .models import Contact
from .selectors import PANEL_LIMIT, contacts_of_account


def panel_context(
    request: HttpRequest,
    account: Account,
    *,
    form: Any = None,
    editing: int | None = None,
    notice: str = "",
    errors: list[str] | None = None,
    version: int | None = None,
) -> dict[str, Any]:
    """The panel's context: the account's contacts (primary first) and, when the user
    opened one, the add or edit form in place. One query whatever the number of rows."""
    user = current_user(request)
    contacts = contacts_of_account(user=user, account_id=account.pk)
    return {
        "contacts": contacts[:PANEL_LIMIT],
        "more": len(contacts) > PANEL_LIMIT,
        "form": form,
        "adding": form is not None and editing is None,
        "editing": editing,
        "version": version,
        "notice": notice,
        "errors": errors or [],
        "can_add": may(user, "add", Contact, account=account),
        "can_change": may(user, "change", Contact, account=account),
        "can_delete": may(user, "delete", Contact, account=account),
        "can_download": may(user, "export", Contact, account=account),
    }
