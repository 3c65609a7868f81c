"""The permission matrix (SPEC §7): a table per module of role x action x ownership.

Each module's `tests/test_permissions.py` writes its table as text, one row per role
and ownership, one column per action, and gives each action a function that performs
it over HTTP. `run_cell` asserts the status code and, after any refusal (4xx), that the
database did not change: a write-then-authorize bug fails here.

    TABLE = '''
                    list  view  create  edit  delete
    admin   own     200   200   302     302   302
    sales   other   200-  404   -       404   404
    '''

Expectations: a status code; `200+`/`200-` for a list that must / must not show the
record; `-` for a cell that does not apply.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.test import Client

SNAPSHOT_APPS = (
    "accounts",
    "contacts",
    "opportunities",
    "cases",
    "documents",
    "activities",
    "audit",
)


@dataclass(frozen=True)
class Cell:
    role: str
    owner: str
    action: str
    expected: str

    @property
    def id(self) -> str:
        return f"{self.role}-{self.owner}-{self.action}"


def parse_table(text: str) -> list[Cell]:
    lines = [line.split() for line in text.strip().splitlines() if line.strip()]
    actions = lines[0]
    cells: list[Cell] = []
    for row in lines[1:]:
        role, owner, *values = row
        if len(values) != len(actions):
            raise ValueError(f"row {row} does not match the header {actions}")
        cells.extend(
            Cell(role, owner, action, value)
            for action, value in zip(actions, values, strict=True)
            if value != "-"
        )
    return cells


def database_snapshot() -> list[tuple[str, list[dict[str, Any]]]]:
    """Every row of the customer-record tables (test data is small)."""
    snapshot = []
    for app_label in SNAPSHOT_APPS:
        try:
            models = apps.get_app_config(app_label).get_models()
        except LookupError:
            continue
        for model in models:
            rows = list(model._default_manager.order_by("pk").values())
            snapshot.append((model._meta.label, rows))
    return snapshot


@dataclass
class Outcome:
    status: int
    body: str


def run_cell(
    cell: Cell,
    client: Client,
    action: Callable[[Client], Outcome],
    *,
    marker: str = "",
) -> None:
    before = database_snapshot()
    outcome = action(client)
    expected = cell.expected
    if expected in {"200+", "200-"}:
        assert outcome.status == 200, f"{cell.id}: status {outcome.status}"
        shown = marker in outcome.body
        assert shown == (expected == "200+"), (
            f"{cell.id}: record {'missing' if not shown else 'leaked'}"
        )
    else:
        assert outcome.status == int(expected), f"{cell.id}: {outcome.status} != {expected}"
    if outcome.status >= 400:
        assert database_snapshot() == before, f"{cell.id}: refused but the database changed"
