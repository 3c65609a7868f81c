"""Checking rows of accounts against the same rules as the account form and service
(clientela.accounts.services): the model's field rules and clean() (tax id with its DV,
conditional requirements, status effects), the duplicate tax id check, who may create,
change or reassign. Catalogs, users and existing identities are looked up once per
batch, never per row."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from clientela.accounts import taxid
from clientela.accounts.models import CODE_PREFIX, CODE_SEQUENCE, EDITABLE_FIELDS, Account
from clientela.accounts.services import DuplicateTaxIdError
from clientela.audit.services import snapshot
from clientela.catalogs.models import CustomerType, EconomicActivity, LedgerAccount, PriceList
from clientela.core.access import is_owner_scoped, may
from clientela.core.search import normalize_text
from clientela.users.models import User

from . import bulk
from .rows import CREATE, REFUSED, UNCHANGED, UPDATE, Outcome, Row, add_validation_error
from .values import (
    CatalogReader,
    ChoiceReader,
    CountryReader,
    clean_text,
    parse_bool,
    parse_checked_phone,
    parse_decimal,
    parse_int,
)

CATALOGS: dict[str, Any] = {
    "customer_type": CustomerType,
    "economic_activity": EconomicActivity,
    "price_list": PriceList,
    "ledger_account": LedgerAccount,
}
PHONES = ("phone", "phone_alt", "mobile")
# A blank cell leaves these as they are (or at their default for a new account): they
# always hold a value.
BLANK_KEEPS = frozenset(
    {
        "person_kind",
        "priority",
        "status",
        "payment_terms",
        "taxable",
        "is_supplier",
        "country",
        "customer_type",
        "salesperson",
        "credit_days",
        "credit_limit",
    }
)
# Resolved by the importer itself (catalog tables, CountryReader, parse_phone): the
# per-row queries and 250-choice scans of the model's field checks are not repeated.
CHECKED_HERE = frozenset(
    {"code", "logo", "logo_thumb", "search_text", "created_by", "updated_by", "country"}
    # Read by ChoiceReader / parse_bool: only valid choices get this far.
    | {"person_kind", "priority", "status", "payment_terms", "taxable", "is_supplier"}
    | set(CATALOGS)
    | {"salesperson"}
    | set(PHONES)
)


def _catalog_table(model: Any) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for entry in model.objects.filter(is_active=True):
        table.setdefault(normalize_text(entry.name), entry)
    for entry in model.objects.filter(is_active=True):
        table[normalize_text(entry.code)] = entry
    return table


def user_table() -> dict[str, User]:
    """Active users by username, e-mail and full name (folded)."""
    table: dict[str, User] = {}
    users = list(User.objects.filter(is_active=True).prefetch_related("groups"))
    for user in users:
        full = normalize_text(user.get_full_name())
        if full:
            table.setdefault(full, user)
        if user.email:
            table.setdefault(normalize_text(user.email), user)
    for user in users:
        table[normalize_text(user.username)] = user
    return table


@dataclass
class Draft:
    """A row read: its values, and the identity its tax id gives (read once)."""

    row: Row
    data: dict[str, Any]
    identity: tuple[str, str] | None
    document: str
    code: str


class AccountImporter:
    kind = "accounts"
    model = Account
    code = ("code", CODE_PREFIX, CODE_SEQUENCE)

    def __init__(self, *, user: User, mode: str) -> None:
        self.user = user
        self.mode = mode
        self.can_add = may(user, "add", Account)
        self.can_reassign = may(user, "reassign", Account)
        self.catalogs = {
            name: CatalogReader(
                _catalog_table(model),
                _(
                    "“%(value)s” matches the code or name of no active entry of “%(catalog)s”."
                ).replace("%(catalog)s", capfirst(str(model._meta.verbose_name_plural))),
            )
            for name, model in CATALOGS.items()
        }
        self.users = CatalogReader(
            user_table(), _("No active user has the username, e-mail or name “%(value)s”.")
        )
        self.countries = CountryReader()
        self.person_kind = ChoiceReader(
            Account.PersonKind,
            {
                "juridica": "legal",
                "persona juridica": "legal",
                "empresa": "legal",
                "company": "legal",
                "sociedad": "legal",
                "persona natural": "natural",
                "individual": "natural",
                "person": "natural",
            },
        )
        self.priority = ChoiceReader(Account.Priority)
        self.status = ChoiceReader(Account.Status)
        self.payment_terms = ChoiceReader(
            Account.PaymentTerms, {"contado": "cash", "credito": "credit"}
        )
        # Identities met so far in the file: the line that brought each one first.
        self.seen_ids: dict[tuple[str, str], int] = {}
        self.seen_codes: dict[str, int] = {}

    # ── reading a row ─────────────────────────────────────────────────────────────────────

    def _values(self, row: Row) -> dict[str, Any]:
        """The row's mapped cells as the service takes them (records, choices, numbers)."""
        data: dict[str, Any] = {}
        country = row.read("country", self.countries) if row.has("country") else None
        region = country or None
        for name in EDITABLE_FIELDS:
            if not row.has(name):
                continue
            text = row.text(name)
            if not text:
                if name not in BLANK_KEEPS:
                    data[name] = None if name in CATALOGS else ""
                continue
            if name == "country":
                value: Any = country
            elif name in CATALOGS:
                value = row.read(name, self.catalogs[name])
            elif name == "salesperson":
                value = row.read(name, self.users)
            elif name in PHONES:
                value = row.read(name, lambda t: parse_checked_phone(t, region))
            elif name == "person_kind":
                value = row.read(name, self.person_kind)
            elif name in ("priority", "status", "payment_terms"):
                value = row.read(name, getattr(self, name))
            elif name in ("taxable", "is_supplier"):
                value = row.read(name, parse_bool)
            elif name == "credit_days":
                value = row.read(name, parse_int)
            elif name == "credit_limit":
                value = row.read(name, parse_decimal)
            elif name == "email":
                value = text.lower()
            elif name == "website" and "://" not in text:
                value = f"https://{text}"
            elif name == "tax_dv":
                value = text.zfill(2) if text.isdigit() and len(text) == 1 else text
            else:
                value = text
            if value is not None and name not in row.errors:
                data[name] = value
        return data

    def _identity(self, data: dict[str, Any]) -> tuple[tuple[str, str] | None, str]:
        """((country, tax id as the authority prints it), the document it is) — None
        when the id is invalid (the model's check then says why)."""
        country = self._default_country(data).upper()
        number = data.get("tax_id")
        if not number:
            return None, ""
        kind = data.get("person_kind") or None
        try:
            result = taxid.validate_tax_id(country, number, data.get("tax_dv") or "", kind)
        except ValidationError:
            return None, ""
        return (country, result.number), result.document

    def _infer_person_kind(self, country: str, document: str) -> str:
        """A file without the column: a tax id that is a person's document (read as a
        person's first when the digits could be either) makes a natural person."""
        natural = taxid.documents_for(country, Account.PersonKind.NATURAL)
        return Account.PersonKind.NATURAL if document in natural else Account.PersonKind.LEGAL

    # ── checking a batch ──────────────────────────────────────────────────────────────────

    def _existing(self, drafts: list[Draft], lock: bool) -> tuple[Any, Any]:
        codes = {d.code for d in drafts if d.code}
        numbers = {d.identity[1] for d in drafts if d.identity}
        base = Account.objects.select_related(
            "customer_type", "economic_activity", "price_list", "ledger_account", "salesperson"
        )
        if lock and connection.vendor == "postgresql":
            # Nobody changes these accounts between our check and our write.
            base = base.select_for_update(of=("self",))
        by_code = {a.code: a for a in base.filter(code__in=codes)} if codes else {}
        by_id: dict[tuple[str, str], Account] = {}
        if numbers:
            for account in base.filter(tax_id__in=numbers):
                by_id[(str(account.country), account.tax_id)] = account
        for account in by_code.values():
            by_id.setdefault((str(account.country), account.tax_id), account)
        return by_code, by_id

    def _default_country(self, data: dict[str, Any]) -> str:
        from django.conf import settings

        return str(data.get("country") or settings.DEFAULT_COUNTRY)

    def check(self, rows: Sequence[Row], *, lock: bool = False) -> list[Outcome]:
        drafts = []
        for row in rows:
            data = self._values(row)
            identity, document = self._identity(data)
            code = clean_text(row.text("code")).upper()
            drafts.append(Draft(row, data, identity, document, code))
        by_code, by_id = self._existing(drafts, lock)
        return [self._check_row(draft, by_code, by_id) for draft in drafts]

    def _visible(self, account: Account) -> bool:
        return not is_owner_scoped(self.user) or account.salesperson_id == self.user.pk

    def _check_row(
        self,
        draft: Draft,
        by_code: dict[str, Account],
        by_id: dict[tuple[str, str], Account],
    ) -> Outcome:
        row, data, code = draft.row, draft.data, draft.code
        existing: Account | None = None
        if code:
            first = self.seen_codes.setdefault(code, row.line)
            if first != row.line:
                row.refuse("code", _("This code is already on line %(line)s.") % {"line": first})
            existing = by_code.get(code)
            if existing is None or not self._visible(existing):
                row.refuse("code", _("No account with this code."))
                existing = None
        else:
            existing = by_id.get(draft.identity) if draft.identity else None
            if existing is not None and not self._visible(existing):
                row.refuse("tax_id", str(DuplicateTaxIdError(existing).messages[0]))
                return Outcome(row.line, REFUSED, refusals=row.refusals())
        if "code" in row.errors:
            return Outcome(row.line, REFUSED, refusals=row.refusals())
        # Cells that did not parse are already refused; the model's rules still run on
        # the others, so the user sees every problem of the row at once.
        if existing is None:
            return self._create(draft, by_id)
        return self._update(row, data, existing, by_id)

    def _remember(self, row: Row, account: Account, country: str) -> None:
        identity = (country, account.tax_id)
        first = self.seen_ids.setdefault(identity, row.line)
        if first != row.line:
            row.refuse(
                "tax_id",
                _("This tax id is already on line %(line)s of the file.") % {"line": first},
            )

    def _validate(self, row: Row, account: Account, by_id: dict[tuple[str, str], Account]) -> None:
        failed = set(row.errors)
        try:
            account.full_clean(
                exclude=CHECKED_HERE | failed, validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            add_validation_error(row, exc)
        for name in ("customer_type", "salesperson", "phone"):
            value = getattr(account, f"{name}_id" if name != "phone" else name, None)
            if not value and name not in failed:
                row.refuse(name, _("This field is required."))
        if row.errors:
            return
        country = str(account.country)
        other = by_id.get((country, account.tax_id))
        if other is not None and other.pk != account.pk:
            row.refuse("tax_id", str(DuplicateTaxIdError(other).messages[0]))
        self._remember(row, account, country)

    def _create(self, draft: Draft, by_id: dict[tuple[str, str], Account]) -> Outcome:
        row, data = draft.row, draft.data
        if self.mode == "update":
            row.refuse("tax_id", _("No account has this tax id: “update only” creates none."))
            return Outcome(row.line, REFUSED, refusals=row.refusals())
        if not self.can_add:
            row.refuse("__all__", _("Your role does not allow creating accounts."))
            return Outcome(row.line, REFUSED, refusals=row.refusals())
        values = {"salesperson": self.user, **data}
        values.setdefault("country", self._default_country(data))
        if not values.get("person_kind"):
            values["person_kind"] = self._infer_person_kind(
                str(values["country"]).upper(), draft.document
            )
        if values["salesperson"] != self.user and not self.can_reassign:
            row.refuse("salesperson", _("Your role does not allow giving accounts to others."))
        account = Account()
        for name, value in values.items():
            setattr(account, name, value)
        self._validate(row, account, by_id)
        if row.errors:
            return Outcome(row.line, REFUSED, refusals=row.refusals())
        return Outcome(row.line, CREATE, record=account)

    def _update(
        self,
        row: Row,
        data: dict[str, Any],
        account: Account,
        by_id: dict[tuple[str, str], Account],
    ) -> Outcome:
        if self.mode == "create":
            row.refuse(
                "tax_id" if not row.text("code") else "code",
                str(DuplicateTaxIdError(account).messages[0]),
            )
            return Outcome(row.line, REFUSED, refusals=row.refusals())
        if not may(self.user, "change", account):
            row.refuse(
                "__all__",
                _("Your role does not allow changing account %(code)s.") % {"code": account.code},
            )
            return Outcome(row.line, REFUSED, refusals=row.refusals())
        before = snapshot(account)
        salesperson = data.get("salesperson")
        if salesperson is not None and salesperson != account.salesperson and not self.can_reassign:
            row.refuse("salesperson", _("Your role does not allow giving accounts to others."))
        if "tax_id" in data and "tax_dv" not in data:
            data = {**data, "tax_dv": ""}  # computed again for the new number
        for name, value in data.items():
            setattr(account, name, value)
        self._validate(row, account, by_id)
        if row.errors:
            return Outcome(row.line, REFUSED, refusals=row.refusals())
        if snapshot(account) == before:
            return Outcome(row.line, UNCHANGED, record=account)
        return Outcome(row.line, UPDATE, record=account, before=before)

    # ── writing ───────────────────────────────────────────────────────────────────────────

    def write(self, outcomes: Sequence[Outcome], *, source: str) -> None:
        created: list[Any] = [o.record for o in outcomes if o.action == CREATE]
        changed: list[tuple[Any, dict[str, str | None]]] = [
            (o.record, o.before) for o in outcomes if o.action == UPDATE
        ]
        bulk.create_records(Account, created, user=self.user, source=source, code=self.code)
        bulk.update_records(Account, changed, user=self.user, source=source)
