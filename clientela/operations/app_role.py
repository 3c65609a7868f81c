"""The database role the app runs as in production (issue 14, docs/deployment.md): it
reads and writes every table but may only add to and read the history. It owns nothing,
so it can neither TRUNCATE a table nor switch a trigger off; the migrations, `restore`
and the demo seeding run as the owner role."""

from __future__ import annotations

import re

from django.db import connection

from clientela.audit.models import HistoryEntry

_ROLE = re.compile(r"^[a-z_][a-z0-9_$]{0,62}$")


def grant_statements(role: str) -> list[str]:
    if not _ROLE.match(role):
        raise ValueError(f"{role!r} is not a plain PostgreSQL role name")
    quote = connection.ops.quote_name
    who = quote(role)
    history = quote(HistoryEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = quote(cursor.fetchone()[0])
    return [
        f"GRANT USAGE ON SCHEMA {schema} TO {who}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {who}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {who}",
        # The history: add and read, nothing else (and never TRUNCATE, REFERENCES, TRIGGER).
        f"REVOKE ALL ON {history} FROM {who}",
        f"GRANT SELECT, INSERT ON {history} TO {who}",
    ]


def grant_app_role(role: str) -> list[str]:
    """Give `role` what the running app needs; run again after every migrate and
    restore (new tables, privileges not restored). Idempotent."""
    if connection.vendor != "postgresql":
        raise RuntimeError("a separate application role is a PostgreSQL setup")
    statements = grant_statements(role)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return statements
