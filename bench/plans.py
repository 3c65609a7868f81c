"""The query plans behind the list, the search and the queue, read in this process from
the same database the server uses. Written to <var>/plans-<vendor>.txt for
docs/performance.md; on SQLite a plan that scans a whole big table (a `SCAN t` that uses
no index) or sorts an unbounded list fails the bench."""

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection
from django.http import QueryDict

from clientela.accounts.selectors import AccountFilters, account_page
from clientela.cases.selectors import CaseFilters, case_queue_counts, case_queue_page
from clientela.contacts.selectors import ContactFilters, contact_page
from clientela.opportunities.selectors import OpportunityFilters, opportunity_page
from clientela.users.models import User

BIG_TABLES = ("accounts_account", "contacts_contact", "opportunities_opportunity", "cases_case")
_FULL_SCAN = re.compile(r"\bSCAN (" + "|".join(BIG_TABLES) + r")\b(?! USING)")
_SORT = "USE TEMP B-TREE FOR ORDER BY"


# Plans known to sort, reported without failing the bench (docs/performance.md says why).
KNOWN_SORTS = {
    # SQLite starts from the salesperson's accounts (their index) and sorts their pending
    # cases; PostgreSQL walks the queue's index and probes each case's account.
    ("sqlite", "salesperson cases queue"),
}


def _scenarios(data: dict[str, str]) -> list[tuple[str, bool, Callable[[], Any]]]:
    """(name, may sort a bounded candidate set, call)."""
    manager = User.objects.get(username="gerente")
    sales = User.objects.get(username="ana.gomez")
    empty = QueryDict("")
    deep = QueryDict(f"page=5000&after={data['deep_cursor']}")

    def accounts(user: User, params: QueryDict = empty, **f: Any) -> Callable[[], Any]:
        return lambda: account_page(user=user, filters=AccountFilters(**f), params=params)

    def queue(user: User) -> Callable[[], Any]:
        def call() -> Any:
            # As the view: the tab counts first, the page then reuses the scope's count.
            counts = case_queue_counts(user=user, filters=CaseFilters())
            count = (counts["all"], bool(counts["all_capped"]))
            return case_queue_page(user=user, filters=CaseFilters(), params=empty, count=count)

        return call

    return [
        ("account list", False, accounts(manager)),
        ("account list by customer type", False, accounts(manager, sort="customer_type")),
        ("account search 'comercial'", True, accounts(manager, q="comercial")),
        ("account search zero-match", True, accounts(manager, q="zzqxwv")),
        ("salesperson list, deep keyset page", False, accounts(sales, deep)),
        ("cases queue", False, queue(manager)),
        ("salesperson cases queue", False, queue(sales)),
        (
            "contact search 'gonzalez'",
            True,
            lambda: contact_page(user=manager, filters=ContactFilters(q="gonzalez"), params=empty),
        ),
        (
            "opportunities list",
            False,
            lambda: opportunity_page(user=manager, filters=OpportunityFilters(), params=empty),
        ),
    ]


def _explain(sql: str, params: Any) -> list[str]:
    """The plan for the statement as the server runs it: with bound parameters, which
    SQLite plans differently from literals (a partial index, for one, is not used)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return [row[3] for row in cursor.fetchall()]
        cursor.execute(f"EXPLAIN {sql}", params)
        return [row[0] for row in cursor.fetchall()]


def _is_count(sql: str) -> bool:
    return sql.lstrip().upper().startswith("SELECT COUNT(") or sql.lstrip().startswith(
        "SELECT (SELECT COUNT("
    )


def _statements(call: Callable[[], Any]) -> list[tuple[str, Any]]:
    """The SELECTs `call` runs, with their parameters."""
    statements: list[tuple[str, Any]] = []

    def record(execute: Callable[..., Any], sql: str, params: Any, *args: Any) -> Any:
        if sql.lstrip().upper().startswith("SELECT"):
            statements.append((sql, params))
        return execute(sql, params, *args)

    with connection.execute_wrapper(record):
        call()
    return statements


def check(data: dict[str, str]) -> list[str]:
    failures: list[str] = []
    lines: list[str] = []
    for name, bounded, call in _scenarios(data):
        statements = _statements(call)
        lines.append(f"## {name}")
        for sql, params in statements:
            plan = _explain(sql, params)
            lines += ["", f"{sql}  -- {params!r}", *(f"    {line}" for line in plan)]
            if connection.vendor != "sqlite":
                continue
            for line in plan:
                if _FULL_SCAN.search(line):
                    failures.append(f"{name}: {line}")
                if _SORT in line and not bounded and "LIMIT" in sql and not _is_count(sql):
                    if (connection.vendor, name) in KNOWN_SORTS:
                        print(f"known: {name} sorts its rows ({line.strip()})")
                    else:
                        failures.append(f"{name}: sorts the whole list ({line})")
        lines.append("")
    target = Path(os.environ["CLIENTELA_VAR_DIR"]) / f"plans-{connection.vendor}.txt"
    target.write_text("\n".join(lines), encoding="utf-8")
    print(f"query plans: {target}" + (f" ({len(failures)} failing)" if failures else ""))
    return failures
