"""SQL of the database triggers on accounts_account (migrations 0006 and later).

On SQLite, a migration that makes Django rebuild the table (AlterField, most
AddField) drops its triggers with it: `ensure_sqlite_count_triggers` runs after every
migrate and puts them back (the FTS triggers: clientela.core.fts.ensure_sqlite_fts)."""

from typing import Any

from clientela.core.fts import sqlite_fts_sql

TABLE = "accounts_account"
COUNTS = "accounts_accountstatuscount"

SQLITE_COUNT_TRIGGERS = [
    f"""CREATE TRIGGER account_count_ai AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {COUNTS}(salesperson_id, status, n) VALUES (new.salesperson_id, new.status, 1)
        ON CONFLICT(salesperson_id, status) DO UPDATE SET n = n + 1;
    END""",
    f"""CREATE TRIGGER account_count_ad AFTER DELETE ON {TABLE} BEGIN
        UPDATE {COUNTS} SET n = n - 1
        WHERE salesperson_id = old.salesperson_id AND status = old.status;
    END""",
    f"""CREATE TRIGGER account_count_au AFTER UPDATE OF status, salesperson_id ON {TABLE}
    WHEN old.status IS NOT new.status OR old.salesperson_id IS NOT new.salesperson_id BEGIN
        UPDATE {COUNTS} SET n = n - 1
        WHERE salesperson_id = old.salesperson_id AND status = old.status;
        INSERT INTO {COUNTS}(salesperson_id, status, n) VALUES (new.salesperson_id, new.status, 1)
        ON CONFLICT(salesperson_id, status) DO UPDATE SET n = n + 1;
    END""",
]
SQLITE_COUNT_DROP = [
    "DROP TRIGGER IF EXISTS account_count_ai",
    "DROP TRIGGER IF EXISTS account_count_ad",
    "DROP TRIGGER IF EXISTS account_count_au",
]

_PG_ADD = f"""
    INSERT INTO {COUNTS}(salesperson_id, status, n)
    SELECT salesperson_id, status, count(*) FROM new_rows GROUP BY 1, 2
    ON CONFLICT (salesperson_id, status) DO UPDATE SET n = {COUNTS}.n + EXCLUDED.n;"""
_PG_SUBTRACT = f"""
    UPDATE {COUNTS} c SET n = c.n - d.k
    FROM (SELECT salesperson_id, status, count(*) AS k FROM old_rows GROUP BY 1, 2) d
    WHERE c.salesperson_id = d.salesperson_id AND c.status = d.status;"""
PG_COUNT_TRIGGERS = [
    f"""CREATE OR REPLACE FUNCTION account_count_ins() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN {_PG_ADD} RETURN NULL; END $$""",
    f"""CREATE OR REPLACE FUNCTION account_count_del() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN {_PG_SUBTRACT} RETURN NULL; END $$""",
    f"""CREATE OR REPLACE FUNCTION account_count_upd() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
                 WHERE o.status <> n.status OR o.salesperson_id <> n.salesperson_id) THEN
        {_PG_SUBTRACT}
        {_PG_ADD}
      END IF;
      RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER account_count_ins AFTER INSERT ON {TABLE}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION account_count_ins()""",
    f"""CREATE TRIGGER account_count_del AFTER DELETE ON {TABLE}
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION account_count_del()""",
    f"""CREATE TRIGGER account_count_upd AFTER UPDATE ON {TABLE}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION account_count_upd()""",
]
PG_COUNT_DROP = [
    f"DROP TRIGGER IF EXISTS account_count_ins ON {TABLE}",
    f"DROP TRIGGER IF EXISTS account_count_del ON {TABLE}",
    f"DROP TRIGGER IF EXISTS account_count_upd ON {TABLE}",
    "DROP FUNCTION IF EXISTS account_count_ins()",
    "DROP FUNCTION IF EXISTS account_count_del()",
    "DROP FUNCTION IF EXISTS account_count_upd()",
]

FILL_SORT_COLUMNS = f"""
    UPDATE {TABLE} SET
      customer_type_name = COALESCE((SELECT name FROM catalogs_customertype t
                                      WHERE t.id = {TABLE}.customer_type_id), ''),
      salesperson_name = COALESCE((SELECT CASE WHEN trim(u.first_name || ' ' || u.last_name) = ''
                                               THEN u.username
                                               ELSE trim(u.first_name || ' ' || u.last_name) END
                                    FROM users_user u WHERE u.id = {TABLE}.salesperson_id), '')
"""
FILL_COUNTS = f"""
    INSERT INTO {COUNTS}(salesperson_id, status, n)
    SELECT salesperson_id, status, count(*) FROM {TABLE} GROUP BY salesperson_id, status
"""


def refill_counts(schema_editor: Any) -> None:
    schema_editor.execute(f"DELETE FROM {COUNTS}")
    schema_editor.execute(FILL_COUNTS)


def install_sqlite_triggers(schema_editor: Any) -> None:
    """The status-count triggers and the FTS table (refilled) on SQLite; nothing elsewhere."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in [*SQLITE_COUNT_DROP, *SQLITE_COUNT_TRIGGERS, *sqlite_fts_sql(TABLE)]:
        schema_editor.execute(sql)
    refill_counts(schema_editor)


def ensure_sqlite_count_triggers(connection: Any) -> bool:
    """Put the status-count triggers back (and recount) where a table rebuild on SQLite
    dropped them; True when it had to."""
    if connection.vendor != "sqlite":
        return False
    names = ["account_count_ai", "account_count_ad", "account_count_au"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s, %s)",
            names,
        )
        if cursor.fetchone()[0] == len(names):
            return False
        for sql in [*SQLITE_COUNT_DROP, *SQLITE_COUNT_TRIGGERS]:
            cursor.execute(sql)
        cursor.execute(f"DELETE FROM {COUNTS}")
        cursor.execute(FILL_COUNTS)
    return True
