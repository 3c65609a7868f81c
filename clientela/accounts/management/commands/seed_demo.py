"""`manage.py seed_demo --accounts N [--seed S]`: realistic Latin American demo accounts.

Fast enough for 100,000 accounts at a time: the rows come from the pure generator in
`clientela.accounts.demo_data`, catalogs and users are loaded once, and the accounts go in with
bulk_create inside one transaction. bulk_create skips save() and full_clean(): the generator
produces values the form would accept (the tests validate a sample with full_clean()), and
search_text is filled here the way save() fills it.
"""

import argparse
import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Model
from phonenumber_field.phonenumber import PhoneNumber

from clientela.accounts import taxid
from clientela.accounts.demo_data import (
    DEFAULT_SEED,
    PHONE_PLANS,
    SALES_TEAM,
    DemoAccount,
    iter_demo_rows,
    national_digits,
)
from clientela.accounts.models import (
    CODE_PREFIX,
    CODE_SEQUENCE,
    Account,
    salesperson_display_name,
)
from clientela.audit.demo import seed_history
from clientela.catalogs.models import CustomerType, EconomicActivity, LedgerAccount, PriceList
from clientela.core.bulk import bulk_insert, bulk_load
from clientela.core.demo import DemoDensity, demo_seeders
from clientela.core.search import build_search_text
from clientela.core.sequences import format_code, sequence_next
from clientela.users.roles import Role
from clientela.users.services import demo_user_ensure

# One demo user per role besides the sales team; `make run` gives them a password.
DEMO_STAFF = [
    ("gerente", "Gabriela", "Morales", Role.MANAGER),
    ("soporte", "Ricardo", "Vásquez", Role.SUPPORT),
    ("consulta", "Elena", "Quintero", Role.VIEWER),
]


@dataclass(frozen=True)
class SeedResult:
    created: int
    first_code: str
    last_code: str


@dataclass(frozen=True)
class _Lookups:
    """Catalog ids by code and user ids by username, loaded once for the whole run."""

    customer_types: dict[str, int]
    activities: dict[str, int]
    price_lists: dict[str, int]
    ledger_accounts: dict[str, int]
    users: dict[str, tuple[int, str]]  # id and the name the list shows
    type_names: dict[int, str]


class Command(BaseCommand):
    help = "Create N realistic demo accounts (Latin American names, valid tax ids and phones)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--accounts", type=int, required=True, help="How many accounts to add (0: none)."
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed; the same seed gives the same data (default {DEFAULT_SEED}).",
        )
        # The related records' mix; each module's own realistic default when not given.
        parser.add_argument("--contacts-per-account", type=float, default=None)
        parser.add_argument("--opportunities-per-account", type=float, default=None)
        parser.add_argument("--cases-per-account", type=float, default=None)
        parser.add_argument("--documents-per-account", type=float, default=None)
        parser.add_argument("--activities-per-account", type=float, default=None)
        parser.add_argument(
            "--history",
            action=argparse.BooleanOptionalAction,
            default=None,
            help=(
                "Write each record's 'created' history entry (default: only when --accounts "
                f"is at most {HISTORY_MAX_ACCOUNTS:,})."
            ),
        )
        parser.add_argument("--progress", action="store_true", help="Print each step's time.")

    def handle(self, *args: Any, **options: Any) -> None:
        count: int = options["accounts"]
        if count < 0:
            raise CommandError("--accounts must be zero or more.")
        if count == 0:
            self.stdout.write("Nothing to do: --accounts 0.")
            return
        started = time.perf_counter()
        density = DemoDensity(
            contacts=options["contacts_per_account"],
            opportunities=options["opportunities_per_account"],
            cases=options["cases_per_account"],
            documents=options["documents_per_account"],
            activities=options["activities_per_account"],
        )
        result = seed_demo_accounts(
            count=count,
            seed=options["seed"],
            density=density if density.given() else None,
            history=options["history"],
            progress=self.stdout.write if options["progress"] else None,
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Created {result.created} accounts ({result.first_code}..{result.last_code}) "
            f"in {elapsed:.1f}s"
        )


@transaction.atomic
def seed_demo_accounts(
    *,
    count: int,
    seed: int = DEFAULT_SEED,
    density: DemoDensity | None = None,
    history: bool | None = None,
    progress: Callable[[str], None] | None = None,
) -> SeedResult:
    """Add `count` demo accounts with codes reserved in one go, after any existing ones,
    and each module's related demo records (`density` overrides their default mix).
    `history`: write their creation history too (None: when `count` is small)."""
    started = time.perf_counter()
    lookups = _load_lookups()
    # Reserved inside this transaction: accounts created later in the UI continue after these,
    # and a failed run gives the whole range back.
    first = sequence_next(CODE_SEQUENCE, count=count)
    accounts_started = time.perf_counter()
    last_id_before = Account.objects.order_by("-id").values_list("id", flat=True).first() or 0
    taken = {(str(country), tax_id) for country, tax_id in _existing_tax_ids()}
    if progress is not None:
        progress(f"lookups: {time.perf_counter() - started:.1f}s")
    rows = iter_demo_rows(count, seed, start=first, taken=taken)
    # As many new accounts as there were before (or more): cheaper to build each index
    # once at the end than to update it for every row.
    large = count >= LARGE_LOAD and count >= last_id_before
    with _loading([Account], large):
        # A generator: the bulk writer takes it in batches, so a million accounts never
        # sit in memory at once.
        bulk_insert(Account, (_account(row, lookups) for row in rows))
    if progress is not None:
        progress(f"accounts: {count} in {time.perf_counter() - accounts_started:.1f}s")
    new_accounts = Account.objects.filter(id__gt=last_id_before)
    for seeder in demo_seeders():
        # Each module's own demo data for these accounts, seeded from the same --seed.
        started = time.perf_counter()
        rng = random.Random(f"clientela-demo:{seeder.key}:{seed}:{first}")
        with _loading(seeder.models, large):
            made = (
                seeder.seed(new_accounts, rng, density)
                if density
                else seeder.seed(new_accounts, rng)
            )
        if progress is not None:
            progress(f"{seeder.key}: {made} in {time.perf_counter() - started:.1f}s")
    if history is None:
        history = count <= HISTORY_MAX_ACCOUNTS
    if history:
        started = time.perf_counter()
        seeded = [model for seeder in demo_seeders() for model in seeder.models]
        rng = random.Random(f"clientela-demo:history:{seed}:{first}")
        made = seed_history(new_accounts, seeded, rng)
        if progress is not None:
            progress(f"history: {made} in {time.perf_counter() - started:.1f}s")
    if large:
        # Fresh statistics, so the planners see the new sizes (on_commit: SQLite's ANALYZE
        # would otherwise run inside this long write transaction).
        transaction.on_commit(analyze)
    return SeedResult(
        count, format_code(CODE_PREFIX, first), format_code(CODE_PREFIX, first + count - 1)
    )


def analyze() -> None:
    """Table statistics for PostgreSQL's planner after a large load. SQLite is left
    without them on purpose: with statistics it starts a list from a small joined table
    (the users, the catalogs) and sorts a million rows, while its default guesses walk
    the sort's index."""
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            # VACUUM too: it sets the visibility map, without which PostgreSQL's
            # index-only scans (the totals, the capped counts) read the heap anyway.
            cursor.execute("VACUUM (ANALYZE)")


LARGE_LOAD = 10_000
# Above this many accounts a seeding writes no history unless asked (--history): a
# million accounts' entries would take longer than the accounts themselves.
HISTORY_MAX_ACCOUNTS = 10_000


@contextmanager
def _loading(models: Iterable[type[Model]], large: bool) -> Iterator[None]:
    with ExitStack() as stack:
        if large:
            for model in models:
                stack.enter_context(bulk_load(model))
        yield


class _CheckedPhone(PhoneNumber):
    """A phone number the generator has already validated.

    django-phonenumber-field re-runs phonenumbers' validation on every str() and len(), and
    bulk_create plus build_search_text print each number several times: skipping the repeats
    took about a sixth off a 100,000-account run.
    """

    _e164: str

    @classmethod
    def checked(cls, e164: str, calling_code: str) -> "_CheckedPhone | str":
        if not e164:
            return ""
        # No parse either: the generator wrote "+<calling code><national number>".
        phone = cls(
            country_code=int(calling_code), national_number=int(e164[len(calling_code) + 1 :])
        )
        phone._e164 = e164
        return phone

    def is_valid(self) -> bool:
        return True

    def __str__(self) -> str:
        return self._e164


def _existing_tax_ids() -> list[tuple[str, str]]:
    # One query for every account, not one per generated tax id.
    return list(Account.objects.values_list("country", "tax_id"))


def _sales_users() -> dict[str, tuple[int, str]]:
    """One demo user per role (SPEC §7) and the sales team that owns the accounts."""
    for username, first_name, last_name, role in DEMO_STAFF:
        demo_user_ensure(username=username, first_name=first_name, last_name=last_name, role=role)
    users = {}
    for username, first_name, last_name in SALES_TEAM:
        user = demo_user_ensure(
            username=username, first_name=first_name, last_name=last_name, role=Role.SALES
        )
        users[username] = (user.pk, salesperson_display_name(user))
    return users


def _catalog(
    model: type[CustomerType | EconomicActivity | PriceList | LedgerAccount],
) -> dict[str, int]:
    return dict(model.objects.values_list("code", "pk"))


def _load_lookups() -> _Lookups:
    lookups = _Lookups(
        customer_types=_catalog(CustomerType),
        activities=_catalog(EconomicActivity),
        price_lists=_catalog(PriceList),
        ledger_accounts=_catalog(LedgerAccount),
        users=_sales_users(),
        type_names=dict(CustomerType.objects.values_list("pk", "name")),
    )
    if not lookups.customer_types:
        raise CommandError("The catalogs are empty: run `manage.py migrate` first.")
    return lookups


def _catalog_id(ids: dict[str, int], code: str, catalog: str) -> int:
    try:
        return ids[code]
    except KeyError:
        # An administrator may have renamed or removed a default entry.
        raise CommandError(f"The {catalog} catalog has no entry with code {code!r}.") from None


def _optional_catalog_id(ids: dict[str, int], code: str, catalog: str) -> int | None:
    return _catalog_id(ids, code, catalog) if code else None


def _account(row: DemoAccount, lookups: _Lookups) -> Account:
    salesperson_id, salesperson_name = lookups.users[row.salesperson]
    customer_type_id = _catalog_id(lookups.customer_types, row.customer_type, "customer type")
    calling_code = PHONE_PLANS[row.country].calling_code
    values = {
        "code": format_code(CODE_PREFIX, row.number),
        "person_kind": row.person_kind,
        "name": row.name,
        "tax_id": row.tax_id,
        "tax_dv": row.tax_dv,
        "contact_name": row.contact_name,
        "email": row.email,
        "phone": _CheckedPhone.checked(row.phone, calling_code),
        "phone_alt": _CheckedPhone.checked(row.phone_alt, calling_code),
        "mobile": _CheckedPhone.checked(row.mobile, calling_code),
        "website": row.website,
        "address": row.address,
        "city": row.city,
        "state": row.state,
        "country": row.country,
        "customer_type_id": customer_type_id,
        "priority": row.priority,
        "economic_activity_id": _optional_catalog_id(
            lookups.activities, row.economic_activity, "economic activity"
        ),
        "price_list_id": _optional_catalog_id(lookups.price_lists, row.price_list, "price list"),
        "taxable": row.taxable,
        "status": row.status,
        "salesperson_id": salesperson_id,
        "payment_terms": row.payment_terms,
        "credit_days": row.credit_days,
        "credit_limit": row.credit_limit,
        "ledger_account_id": _optional_catalog_id(
            lookups.ledger_accounts, row.ledger_account, "ledger"
        ),
        "is_supplier": row.is_supplier,
        "created_by_id": salesperson_id,
        "updated_by_id": salesperson_id,
        "version": 1,
        "logo": "",
        "logo_thumb": "",
        "customer_type_name": lookups.type_names[customer_type_id][:100],
        "salesperson_name": salesperson_name,
    }
    # Positional arguments take Model.__init__'s fast path (keywords cost a third of
    # the time of making a million accounts).
    account = Account(*[values.get(name) for name in _ATTNAMES])
    # What Account.build_search_text() writes, without parsing each phone back: the
    # generator knows its digits (the tests compare the two on a sample).
    phones = [
        term
        for number in (row.phone, row.phone_alt, row.mobile)
        if number
        for term in (number[1:], national_digits(calling_code, number[len(calling_code) + 1 :]))
    ]
    account.search_text = build_search_text(
        [
            values["code"],
            row.name,
            row.tax_id,
            taxid.search_key(row.tax_id),
            row.email,
            row.contact_name,
            *phones,
        ]
    )
    return account


_ATTNAMES = tuple(field.attname for field in Account._meta.concrete_fields)
