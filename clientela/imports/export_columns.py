"""The columns of each list's export. An accounts export has exactly the columns the
accounts importer reads (the code, then every editable field, headed by the field's
label), so a file exported, edited in Excel and imported again changes only what was
edited. Values are what the importer reads back: catalog codes, usernames, choice
labels, ISO country codes, phones in E.164.

Rows are read with `values()` (plain dicts, no model instances: a million rows export
without parsing three phone numbers per row); each column says which keys it needs."""

from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from django.db.models import Model, TextChoices
from django.utils.translation import gettext_lazy as _

from clientela.accounts.models import EDITABLE_FIELDS as ACCOUNT_FIELDS
from clientela.accounts.models import Account
from clientela.cases.models import Case
from clientela.contacts.models import Contact
from clientela.opportunities.models import Opportunity

TEXT, NUMBER, MONEY, INTEGER, BOOLEAN, DATE, DATETIME = (
    "text",
    "number",
    "money",
    "integer",
    "boolean",
    "date",
    "datetime",
)


@dataclass(frozen=True)
class Column:
    header: Any  # lazy text: the active language's at export time
    kind: str
    value: Callable[[Any], Any]
    keys: tuple[str, ...] = ()  # the values() keys `value` reads
    choices: type[TextChoices] | None = None  # a code shown as its label


def _label(model: type[Model], name: str) -> Any:
    return model._meta.get_field(name).verbose_name  # type: ignore[union-attr]


def _plain(model: type[Model], name: str, kind: str = TEXT, key: str = "") -> Column:
    key = key or name
    return Column(_label(model, name), kind, itemgetter(key), (key,))


def _choice(model: type[Model], name: str, choices: type[TextChoices]) -> Column:
    return Column(_label(model, name), TEXT, itemgetter(name), (name,), choices)


def _blank_or(key: str) -> Callable[[Any], Any]:
    return lambda row: row[key] or ""


_ACCOUNT_CHOICES: dict[str, type[TextChoices]] = {
    "person_kind": Account.PersonKind,
    "priority": Account.Priority,
    "status": Account.Status,
    "payment_terms": Account.PaymentTerms,
}
_ACCOUNT_KINDS = {
    "taxable": BOOLEAN,
    "is_supplier": BOOLEAN,
    "credit_days": INTEGER,
    "credit_limit": MONEY,
}


def _account_column(name: str) -> Column:
    if name in ("customer_type", "economic_activity", "price_list", "ledger_account"):
        key = f"{name}__code"
        return Column(_label(Account, name), TEXT, _blank_or(key), (key,))
    if name == "salesperson":
        return _plain(Account, name, key="salesperson__username")
    if name in _ACCOUNT_CHOICES:
        return _choice(Account, name, _ACCOUNT_CHOICES[name])
    return _plain(Account, name, _ACCOUNT_KINDS.get(name, TEXT))


ACCOUNT_COLUMNS: list[Column] = [
    _plain(Account, "code"),
    *(_account_column(name) for name in ACCOUNT_FIELDS),
]

CONTACT_COLUMNS: list[Column] = [
    _plain(Contact, "first_name"),
    _plain(Contact, "last_name"),
    _plain(Contact, "job_title"),
    _plain(Contact, "email"),
    _plain(Contact, "phone"),
    _plain(Contact, "mobile"),
    Column(_label(Contact, "account"), TEXT, _blank_or("account__code"), ("account__code",)),
    Column(_("account name"), TEXT, _blank_or("account__name"), ("account__name",)),
    _plain(Contact, "is_primary", BOOLEAN),
    _plain(Contact, "notes"),
]

OPPORTUNITY_COLUMNS: list[Column] = [
    _plain(Opportunity, "name"),
    _plain(Opportunity, "account", key="account__code"),
    Column(_("account name"), TEXT, itemgetter("account__name"), ("account__name",)),
    _choice(Opportunity, "stage", Opportunity.Stage),
    _plain(Opportunity, "amount", MONEY),
    _plain(Opportunity, "currency"),
    _plain(Opportunity, "probability", INTEGER),
    _plain(Opportunity, "expected_close_date", DATE),
    _plain(Opportunity, "owner", key="owner__username"),
    _plain(Opportunity, "closed_at", DATETIME),
    _plain(Opportunity, "lost_reason"),
    _plain(Opportunity, "description"),
]


def _contact_name(row: Any) -> str:
    return f"{row['contact__first_name'] or ''} {row['contact__last_name'] or ''}".strip()


CASE_COLUMNS: list[Column] = [
    _plain(Case, "number"),
    _plain(Case, "subject"),
    _plain(Case, "account", key="account__code"),
    Column(_("account name"), TEXT, itemgetter("account__name"), ("account__name",)),
    Column(
        _label(Case, "contact"), TEXT, _contact_name, ("contact__first_name", "contact__last_name")
    ),
    _choice(Case, "priority", Case.Priority),
    _choice(Case, "status", Case.Status),
    Column(
        _label(Case, "assignee"), TEXT, _blank_or("assignee__username"), ("assignee__username",)
    ),
    _plain(Case, "opened_at", DATETIME),
    _plain(Case, "due_at", DATETIME),
    _plain(Case, "resolved_at", DATETIME),
    _plain(Case, "description"),
    _plain(Case, "resolution"),
]


def keys(columns: list[Column]) -> list[str]:
    return list(dict.fromkeys(key for column in columns for key in column.keys))
