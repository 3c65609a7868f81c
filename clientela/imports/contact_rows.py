"""Checking rows of contacts against the contact form's and service's rules
(clientela.contacts.services): the model's field rules and clean(), the account a contact
attaches to (by the account's code, or its tax id), who may add to that account, and one
primary contact per account (a new primary takes the flag from the current one, as the
service does, with both changes recorded)."""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from clientela.accounts import taxid
from clientela.accounts.models import Account
from clientela.audit.services import snapshot
from clientela.contacts.models import Contact, name_sort_key
from clientela.contacts.services import EDITABLE_FIELDS
from clientela.core.access import is_owner_scoped, may
from clientela.users.models import User

from . import bulk
from .rows import CREATE, REFUSED, UNCHANGED, UPDATE, Outcome, Row, add_validation_error
from .values import CountryReader, clean_text, parse_bool, parse_checked_phone

PHONES = ("phone", "mobile")
CHECKED_HERE = frozenset(
    {"account", "search_text", "sort_name", "initial", "created_by", "updated_by", *PHONES}
)


def split_full_name(text: str) -> tuple[str, str]:
    """'Pérez Gómez, Ana María' or 'Ana María Pérez Gómez' -> ('Ana María', 'Pérez Gómez'):
    two surnames, as Latin American names usually carry, when there are four words."""
    if "," in text:
        last, first = (part.strip() for part in text.split(",", 1))
        return first, last
    words = text.split()
    if len(words) <= 1:
        return "", text.strip()
    surnames = 2 if len(words) >= 4 else 1
    return " ".join(words[:-surnames]), " ".join(words[-surnames:])


class ContactImporter:
    kind = "contacts"
    model = Contact

    def __init__(self, *, user: User, mode: str) -> None:
        self.user = user
        self.mode = mode
        self.countries = CountryReader()
        self.seen: dict[tuple[Any, str], int] = {}
        self.primary_lines: dict[int, int] = {}

    def _values(self, row: Row) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if row.text("full_name") and not (row.has("last_name") and row.text("last_name")):
            first, last = split_full_name(row.text("full_name"))
            data["first_name"], data["last_name"] = first, last
        for name in ("first_name", "last_name", "job_title", "notes"):
            if row.has(name) and (row.text(name) or name not in data):
                data[name] = row.text(name)
        if row.has("email"):
            data["email"] = row.text("email").lower()
        if row.has("is_primary"):
            data["is_primary"] = row.read("is_primary", parse_bool, default=False)
        return data

    def _account_keys(self, row: Row) -> tuple[str, tuple[str, str] | None]:
        code = clean_text(row.text("account")).upper().split(" ")[0] if row.text("account") else ""
        number = row.text("account_tax_id")
        if not number:
            return code, None
        country = (
            row.read("account_country", self.countries) if row.text("account_country") else None
        ) or settings.DEFAULT_COUNTRY
        try:
            normalized = taxid.validate_tax_id(country, number).number
        except ValidationError:
            row.refuse("account_tax_id", _("No account has this tax id."))
            return code, None
        return code, (country, normalized)

    def _visible_account(self, account: Account) -> bool:
        return not is_owner_scoped(self.user) or account.salesperson_id == self.user.pk

    def _visible_contact(self, contact: Contact) -> bool:
        if contact.account_id is None:
            return not is_owner_scoped(self.user) or contact.created_by_id == self.user.pk
        return contact.account is not None and self._visible_account(contact.account)

    def check(self, rows: Sequence[Row], *, lock: bool = False) -> list[Outcome]:
        keys = [self._account_keys(row) for row in rows]
        codes = {code for code, _id in keys if code}
        numbers = {identity[1] for _code, identity in keys if identity}
        accounts = Account.objects.select_related("salesperson")
        by_code = {a.code: a for a in accounts.filter(code__in=codes)} if codes else {}
        by_id = (
            {(str(a.country), a.tax_id): a for a in accounts.filter(tax_id__in=numbers)}
            if numbers
            else {}
        )
        drafts = []
        for row, (code, identity) in zip(rows, keys, strict=True):
            account: Account | None = None
            if code:
                account = by_code.get(code)
                if account is None or not self._visible_account(account):
                    row.refuse("account", _("No account with this code."))
                    account = None
            elif identity:
                account = by_id.get(identity)
                if account is None or not self._visible_account(account):
                    row.refuse("account_tax_id", _("No account has this tax id."))
                    account = None
            drafts.append((row, account, self._values(row)))
        existing = self._existing(drafts, lock)
        return [self._check_row(row, account, data, existing) for row, account, data in drafts]

    @staticmethod
    def _key(account_id: int | None, data: dict[str, Any]) -> tuple[Any, str] | None:
        email = (data.get("email") or "").strip().lower()
        if email:
            return (account_id, f"e:{email}")
        last = data.get("last_name") or ""
        if not last.strip():
            return None
        return (
            account_id,
            f"n:{name_sort_key(last.strip(), (data.get('first_name') or '').strip())}",
        )

    def _existing(
        self, drafts: list[tuple[Row, Account | None, dict[str, Any]]], lock: bool
    ) -> dict[tuple[Any, str], Contact]:
        account_ids = {account.pk for _row, account, _data in drafts if account is not None}
        emails = {
            (data.get("email") or "").lower()
            for _row, account, data in drafts
            if account is None and data.get("email")
        }
        names = {
            key[1][2:]
            for _row, account, data in drafts
            if account is None and (key := self._key(None, data)) and key[1].startswith("n:")
        }
        condition = Q(account_id__in=account_ids) | Q(account__isnull=True) & (
            Q(email__in=emails) | Q(sort_name__in=names)
        )
        contacts = Contact.objects.filter(condition).select_related(
            "account", "account__salesperson"
        )
        if lock and connection.vendor == "postgresql":
            contacts = contacts.select_for_update(of=("self",))
        table: dict[tuple[Any, str], Contact] = {}
        for contact in contacts:
            if contact.email:
                table.setdefault((contact.account_id, f"e:{contact.email.lower()}"), contact)
            table.setdefault((contact.account_id, f"n:{contact.sort_name}"), contact)
        return table

    def _check_row(
        self,
        row: Row,
        account: Account | None,
        data: dict[str, Any],
        existing: dict[tuple[Any, str], Contact],
    ) -> Outcome:
        if row.errors:
            return Outcome(row.line, REFUSED, refusals=row.refusals())
        key = self._key(account.pk if account else None, data)
        contact = existing.get(key) if key else None
        if contact is not None and not self._visible_contact(contact):
            contact = None
        if key is not None:
            first = self.seen.setdefault(key, row.line)
            if first != row.line:
                row.refuse(
                    "email" if key[1].startswith("e:") else "last_name",
                    _("This contact is already on line %(line)s of the file.") % {"line": first},
                )
                return Outcome(row.line, REFUSED, refusals=row.refusals())
        if contact is None:
            return self._create(row, account, data)
        return self._update(row, account, data, contact)

    def _phones(self, row: Row, contact: Contact, account: Account | None) -> None:
        region = str(account.country) if account else None
        for name in PHONES:
            if row.has(name):
                text = row.text(name)
                setattr(
                    contact,
                    name,
                    row.read(name, lambda t: parse_checked_phone(t, region)) if text else "",
                )

    def _validate(self, row: Row, contact: Contact) -> None:
        try:
            contact.full_clean(
                exclude=CHECKED_HERE | set(row.errors),
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            add_validation_error(row, exc)
        if contact.is_primary and contact.account_id:
            first = self.primary_lines.setdefault(contact.account_id, row.line)
            if first != row.line:
                row.refuse(
                    "is_primary",
                    _("Line %(line)s already makes another contact this account's primary.")
                    % {"line": first},
                )

    def _create(self, row: Row, account: Account | None, data: dict[str, Any]) -> Outcome:
        if self.mode == "update":
            row.refuse("__all__", _("No such contact: “update only” creates none."))
            return Outcome(row.line, REFUSED, refusals=row.refusals())
        if not may(self.user, "add", Contact, account=account):
            row.refuse("__all__", _("Your role does not allow adding contacts to this account."))
            return Outcome(row.line, REFUSED, refusals=row.refusals())
        contact = Contact(account=account)
        for name, value in data.items():
            setattr(contact, name, value)
        self._phones(row, contact, account)
        self._validate(row, contact)
        if row.errors:
            return Outcome(row.line, REFUSED, refusals=row.refusals())
        return Outcome(row.line, CREATE, record=contact)

    def _update(
        self, row: Row, account: Account | None, data: dict[str, Any], contact: Contact
    ) -> Outcome:
        if self.mode == "create":
            row.refuse("__all__", _("This contact already exists: “create only” changes none."))
            return Outcome(row.line, REFUSED, refusals=row.refusals())
        if not may(self.user, "change", contact):
            row.refuse("__all__", _("Your role does not allow changing this contact."))
            return Outcome(row.line, REFUSED, refusals=row.refusals())
        before = snapshot(contact)
        for name, value in data.items():
            if name in EDITABLE_FIELDS:
                setattr(contact, name, value)
        self._phones(row, contact, account)
        self._validate(row, contact)
        if row.errors:
            return Outcome(row.line, REFUSED, refusals=row.refusals())
        if snapshot(contact) == before:
            return Outcome(row.line, UNCHANGED, record=contact)
        return Outcome(row.line, UPDATE, record=contact, before=before)

    def write(self, outcomes: Sequence[Outcome], *, source: str) -> None:
        created: list[Any] = [o.record for o in outcomes if o.action == CREATE]
        changed: list[tuple[Any, dict[str, str | None]]] = [
            (o.record, o.before) for o in outcomes if o.action == UPDATE
        ]
        new_primaries = {
            r.account_id: r.pk
            for r in [*created, *(c for c, _b in changed)]
            if r.is_primary and r.account_id
        }
        if new_primaries:
            # As contact_create does: the account's current primary stops being it.
            current = Contact.objects.filter(
                account_id__in=list(new_primaries), is_primary=True
            ).select_related("account")
            demoted = []
            for other in current:
                if other.pk != new_primaries[other.account_id]:
                    before = snapshot(other)
                    other.is_primary = False
                    demoted.append((other, before))
            bulk.update_records(Contact, demoted, user=self.user, source=source)
        bulk.update_records(Contact, changed, user=self.user, source=source)
        bulk.create_records(Contact, created, user=self.user, source=source)
