"""SQL of the database triggers that keep OpenPipelineSummary (migration 0007).

Every write path (the services, the bulk writer and COPY, merges, imports, a manual
UPDATE) moves the summary alike. An open opportunity counts under its account's
salesperson (a salesperson's scope), its owner, stage, currency and the month of its
expected close; so the account's salesperson changing moves its open deals too.

SQLite has row triggers; PostgreSQL statement triggers with transition tables, so a
COPY of half a million opportunities is one grouped upsert. On PostgreSQL the
opportunity triggers first take a share lock on the accounts of the rows they count:
an account reassigned at the same time then waits for them (or they for it), and the
deals are never counted under the salesperson the account just left.

On SQLite, a migration that rebuilds opportunities_opportunity or accounts_account
drops their triggers: `ensure_sqlite_pipeline_triggers` runs after every migrate and
puts them back (and refills the summary)."""

from typing import Any

TABLE = "opportunities_opportunity"
ACCOUNTS = "accounts_account"
SUMMARY = "opportunities_openpipelinesummary"
# Opportunity.OPEN_STAGES (a test holds them equal; migrations import no models).
OPEN = "('prospecting', 'qualification', 'proposal', 'negotiation')"
COLUMNS = "salesperson_id, owner_id, stage, currency, close_month, n, amount_cents, weighted_cents"
_ACCUMULATE = f"""n = {SUMMARY}.n + EXCLUDED.n,
        amount_cents = {SUMMARY}.amount_cents + EXCLUDED.amount_cents,
        weighted_cents = {SUMMARY}.weighted_cents + EXCLUDED.weighted_cents"""
_DROP_EMPTY = f"DELETE FROM {SUMMARY} WHERE n = 0;"  # open_pipeline_empty_idx


class _Dialect:
    def __init__(self, undated: str, month: str, cents: str) -> None:
        self.undated = undated
        self.month_sql = month
        self.cents_sql = cents

    def month(self, column: str) -> str:
        return self.month_sql.format(column)

    def cents(self, column: str) -> str:
        return self.cents_sql.format(column)

    @property
    def key(self) -> str:
        """The conflict target: the expressions of open_pipeline_summary_key."""
        return f"salesperson_id, owner_id, stage, currency, COALESCE(close_month, {self.undated})"

    def grouped(self, salesperson: str, rows: str, join: str, where: str) -> str:
        """The groups of `rows` (an alias r) with their counts and sums in cents."""
        return f"""SELECT {salesperson} AS salesperson_id, r.owner_id, r.stage, r.currency,
                   {self.month("r.expected_close_date")} AS close_month, count(*) AS k,
                   sum({self.cents("r.amount")}) AS c,
                   sum({self.cents("r.amount")} * r.probability) AS w
            FROM {rows} r {join}
            WHERE r.stage IN {OPEN} {where}
            GROUP BY 1, 2, 3, 4, 5"""

    def add(self, groups: str) -> str:
        return f"""INSERT INTO {SUMMARY}({COLUMNS})
            SELECT salesperson_id, owner_id, stage, currency, close_month, k, c, w
            FROM ({groups}) g WHERE true
            ON CONFLICT ({self.key}) DO UPDATE SET {_ACCUMULATE};"""

    def subtract(self, groups: str) -> str:
        return f"""UPDATE {SUMMARY} SET n = {SUMMARY}.n - d.k,
                amount_cents = {SUMMARY}.amount_cents - d.c,
                weighted_cents = {SUMMARY}.weighted_cents - d.w
            FROM ({groups}) d
            WHERE {SUMMARY}.salesperson_id = d.salesperson_id
              AND {SUMMARY}.owner_id = d.owner_id AND {SUMMARY}.stage = d.stage
              AND {SUMMARY}.currency = d.currency
              AND COALESCE({SUMMARY}.close_month, {self.undated})
                  = COALESCE(d.close_month, {self.undated});"""

    def fill(self) -> str:
        join = f"JOIN {ACCOUNTS} a ON a.id = r.account_id"
        return self.add(self.grouped("a.salesperson_id", TABLE, join, ""))


# SQLite keeps a decimal as a float: whole cents keep additions exact.
SQLITE = _Dialect(
    undated="'0001-01-01'",
    month="date({0}, 'start of month')",
    cents="CAST(round({0} * 100) AS INTEGER)",
)
POSTGRES = _Dialect(
    undated="'0001-01-01'::date",
    month="date_trunc('month', {0}::timestamp)::date",
    cents="({0} * 100)",
)


def _sqlite_add_row(row: str) -> str:
    """Count one row (NEW) under its account's salesperson, if it is open."""
    cents = SQLITE.cents(f"{row}.amount")
    return f"""INSERT INTO {SUMMARY}({COLUMNS})
        SELECT a.salesperson_id, {row}.owner_id, {row}.stage, {row}.currency,
               {SQLITE.month(f"{row}.expected_close_date")}, 1, {cents},
               {cents} * {row}.probability
        FROM {ACCOUNTS} a WHERE a.id = {row}.account_id AND {row}.stage IN {OPEN}
        ON CONFLICT ({SQLITE.key}) DO UPDATE SET {_ACCUMULATE};"""


def _sqlite_subtract_row(row: str) -> str:
    """Take one row (OLD) away from its group, if it was open: one keyed UPDATE."""
    cents = SQLITE.cents(f"{row}.amount")
    month = SQLITE.month(f"{row}.expected_close_date")
    return f"""UPDATE {SUMMARY} SET n = n - 1, amount_cents = amount_cents - {cents},
            weighted_cents = weighted_cents - {cents} * {row}.probability
        WHERE {row}.stage IN {OPEN}
          AND salesperson_id = (SELECT salesperson_id FROM {ACCOUNTS} WHERE id = {row}.account_id)
          AND owner_id = {row}.owner_id AND stage = {row}.stage AND currency = {row}.currency
          AND COALESCE(close_month, {SQLITE.undated}) = COALESCE({month}, {SQLITE.undated});"""


_RELEVANT = ("account_id", "owner_id", "stage", "currency", "amount", "probability")
_CHANGED = " OR ".join(f"old.{c} IS NOT new.{c}" for c in (*_RELEVANT, "expected_close_date"))

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER opp_pipeline_ai AFTER INSERT ON {TABLE}
    WHEN new.stage IN {OPEN} BEGIN
        {_sqlite_add_row("new")}
    END""",
    f"""CREATE TRIGGER opp_pipeline_ad AFTER DELETE ON {TABLE}
    WHEN old.stage IN {OPEN} BEGIN
        {_sqlite_subtract_row("old")}
        {_DROP_EMPTY}
    END""",
    f"""CREATE TRIGGER opp_pipeline_au
    AFTER UPDATE OF {", ".join((*_RELEVANT, "expected_close_date"))} ON {TABLE}
    WHEN (old.stage IN {OPEN} OR new.stage IN {OPEN}) AND ({_CHANGED}) BEGIN
        {_sqlite_subtract_row("old")}
        {_sqlite_add_row("new")}
        {_DROP_EMPTY}
    END""",
    # The account's open deals follow it to its new salesperson.
    f"""CREATE TRIGGER account_pipeline_au AFTER UPDATE OF salesperson_id ON {ACCOUNTS}
    WHEN old.salesperson_id IS NOT new.salesperson_id BEGIN
        {SQLITE.subtract(SQLITE.grouped("old.salesperson_id", TABLE, "", "AND r.account_id = new.id"))}
        {SQLITE.add(SQLITE.grouped("new.salesperson_id", TABLE, "", "AND r.account_id = new.id"))}
        {_DROP_EMPTY}
    END""",
]
SQLITE_TRIGGER_NAMES = [
    "opp_pipeline_ai",
    "opp_pipeline_ad",
    "opp_pipeline_au",
    "account_pipeline_au",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGER_NAMES]


def _pg_lock(rows: str) -> str:
    return f"""PERFORM 1 FROM {ACCOUNTS} a
        WHERE a.id IN (SELECT account_id FROM {rows} WHERE stage IN {OPEN})
        ORDER BY a.id FOR SHARE OF a;"""


_PG_ACCOUNT = f"JOIN {ACCOUNTS} a ON a.id = r.account_id"
_PG_CHANGED = (
    "(o.account_id, o.owner_id, o.stage, o.currency, o.amount, o.probability,"
    " o.expected_close_date) IS DISTINCT FROM (n.account_id, n.owner_id, n.stage,"
    " n.currency, n.amount, n.probability, n.expected_close_date)"
)


def _changed(side: str) -> str:
    """The old (o) or new (n) rows of the opportunities an UPDATE changed."""
    return f"(SELECT {side}.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {_PG_CHANGED})"


_PG_BOTH = f"(SELECT account_id, stage FROM {_changed('o')} o UNION ALL SELECT account_id, stage FROM {_changed('n')} n) b"
# The accounts whose salesperson changed, with the old and the new one.
_PG_MOVED = """JOIN (SELECT o.id, o.salesperson_id AS old_sp, n.salesperson_id AS new_sp
                  FROM old_rows o JOIN new_rows n ON n.id = o.id
                  WHERE o.salesperson_id <> n.salesperson_id) m ON m.id = r.account_id"""

PG_TRIGGERS = [
    f"""CREATE OR REPLACE FUNCTION opp_pipeline_ins() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      {_pg_lock("new_rows")}
      {POSTGRES.add(POSTGRES.grouped("a.salesperson_id", "new_rows", _PG_ACCOUNT, ""))}
      RETURN NULL;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION opp_pipeline_del() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      {_pg_lock("old_rows")}
      {POSTGRES.subtract(POSTGRES.grouped("a.salesperson_id", "old_rows", _PG_ACCOUNT, ""))}
      {_DROP_EMPTY}
      RETURN NULL;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION opp_pipeline_upd() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
                 WHERE (o.stage IN {OPEN} OR n.stage IN {OPEN}) AND {_PG_CHANGED}) THEN
        {_pg_lock(_PG_BOTH)}
        {POSTGRES.subtract(POSTGRES.grouped("a.salesperson_id", _changed("o"), _PG_ACCOUNT, ""))}
        {POSTGRES.add(POSTGRES.grouped("a.salesperson_id", _changed("n"), _PG_ACCOUNT, ""))}
        {_DROP_EMPTY}
      END IF;
      RETURN NULL;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION account_pipeline_upd() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
                 WHERE o.salesperson_id <> n.salesperson_id) THEN
        {POSTGRES.subtract(POSTGRES.grouped("m.old_sp", TABLE, _PG_MOVED, ""))}
        {POSTGRES.add(POSTGRES.grouped("m.new_sp", TABLE, _PG_MOVED, ""))}
        {_DROP_EMPTY}
      END IF;
      RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER opp_pipeline_ins AFTER INSERT ON {TABLE}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION opp_pipeline_ins()""",
    f"""CREATE TRIGGER opp_pipeline_del AFTER DELETE ON {TABLE}
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION opp_pipeline_del()""",
    f"""CREATE TRIGGER opp_pipeline_upd AFTER UPDATE ON {TABLE}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION opp_pipeline_upd()""",
    f"""CREATE TRIGGER account_pipeline_upd AFTER UPDATE ON {ACCOUNTS}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION account_pipeline_upd()""",
]
PG_DROP = [
    f"DROP TRIGGER IF EXISTS opp_pipeline_ins ON {TABLE}",
    f"DROP TRIGGER IF EXISTS opp_pipeline_del ON {TABLE}",
    f"DROP TRIGGER IF EXISTS opp_pipeline_upd ON {TABLE}",
    f"DROP TRIGGER IF EXISTS account_pipeline_upd ON {ACCOUNTS}",
    "DROP FUNCTION IF EXISTS opp_pipeline_ins()",
    "DROP FUNCTION IF EXISTS opp_pipeline_del()",
    "DROP FUNCTION IF EXISTS opp_pipeline_upd()",
    "DROP FUNCTION IF EXISTS account_pipeline_upd()",
]


def refill_sql(vendor: str) -> list[str]:
    """Empty the summary and add up every open opportunity again."""
    dialect = POSTGRES if vendor == "postgresql" else SQLITE
    return [f"DELETE FROM {SUMMARY}", dialect.fill()]


def install(schema_editor: Any) -> None:
    """The triggers of this vendor, and the summary filled from the rows there are."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = [*PG_DROP, *PG_TRIGGERS]
    else:
        statements = [*SQLITE_DROP, *SQLITE_TRIGGERS]
    for sql in [*statements, *refill_sql(vendor)]:
        schema_editor.execute(sql)


def uninstall(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for sql in PG_DROP if vendor == "postgresql" else SQLITE_DROP:
        schema_editor.execute(sql)


def ensure_sqlite_pipeline_triggers(connection: Any) -> bool:
    """Put the summary's triggers back (and add up again) where a table rebuild on
    SQLite dropped them; True when it had to."""
    if connection.vendor != "sqlite":
        return False
    names = SQLITE_TRIGGER_NAMES
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(names))
        cursor.execute(
            f"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})",
            names,
        )
        if cursor.fetchone()[0] == len(names):
            return False
        # The summary's table may not exist yet (a migrate that stops before 0006).
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = %s", [SUMMARY]
        )
        if not cursor.fetchone()[0]:
            return False
        for sql in [*SQLITE_DROP, *SQLITE_TRIGGERS, *refill_sql("sqlite")]:
            cursor.execute(sql)
    return True
