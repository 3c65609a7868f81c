"""Demo activities for `seed_demo`: a few calls, visits and tasks per account, some done
in the past weeks, some planned for the coming days (so Mi día has something to show)."""

import random
from datetime import timedelta
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from clientela.accounts.models import Account
from clientela.core.bulk import bulk_insert
from clientela.core.demo import DemoDensity, count_for_mean

from .models import Activity, agenda_time

BATCH_SIZE = 2000
SUBJECTS = {
    "call": ["Llamada de seguimiento", "Confirmar pedido", "Cobro de factura pendiente"],
    "meeting": ["Visita comercial", "Presentación de productos", "Reunión de cierre"],
    "email": ["Enviar cotización", "Enviar estado de cuenta"],
    "whatsapp": ["Confirmar entrega por WhatsApp"],
    "task": ["Preparar propuesta", "Actualizar datos fiscales"],
    "note": ["Prefiere que lo llamen por la mañana"],
}
RESULTS = ["answered", "answered", "no_answer", "call_back"]


def seed_activities(
    accounts: QuerySet[Any], rng: random.Random, density: DemoDensity | None = None
) -> int:
    """About two activities per account (`density.activities` when given); returns how
    many."""
    mean = density.activities if density is not None else None
    now = timezone.now()
    rows = accounts.order_by("id").values_list("id", "salesperson_id")
    batch: list[Activity] = []
    made = 0
    for account_id, salesperson_id in rows.iterator(chunk_size=BATCH_SIZE):
        count = rng.choice((0, 1, 2, 2, 3)) if mean is None else count_for_mean(rng, mean)
        for _ in range(count):
            kind = rng.choice(list(SUBJECTS))
            past = rng.random() < 0.6
            starts = now + timedelta(
                days=-rng.randint(1, 60) if past else rng.randint(0, 10),
                hours=rng.randint(-3, 3),
            )
            due = starts.date() if kind == "task" else None
            batch.append(
                Activity(
                    account_id=account_id,
                    kind=kind,
                    subject=rng.choice(SUBJECTS[kind]),
                    starts_at=starts,
                    due_date=due,
                    agenda_at=agenda_time(kind, starts, due),
                    assigned_to_id=salesperson_id,
                    created_by_id=salesperson_id,
                    updated_by_id=salesperson_id,
                    done=past,
                    done_at=starts if past else None,
                    done_by_id=salesperson_id if past else None,
                    result=rng.choice(RESULTS) if past and kind == "call" else "",
                )
            )
        if len(batch) >= BATCH_SIZE:
            made += _flush(batch)
    made += _flush(batch)
    _refresh_dates(accounts)
    return made


def _flush(batch: list[Activity]) -> int:
    count = bulk_insert(Activity, batch)
    batch.clear()
    return count


def _refresh_dates(accounts: QuerySet[Any]) -> None:
    """Every new account's last and next activity, from one grouped pass over the
    activities: a correlated subquery per account would read the whole table once per
    account while a large seed has the table's indexes dropped (clientela.core.bulk)."""
    account_table = Account._meta.db_table
    table = Activity._meta.db_table
    sql, params = accounts.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {account_table} SET "  # noqa: S608 (our table names)
            "last_activity_at = dates.last_at, next_activity_at = dates.next_at "
            "FROM (SELECT account_id, MAX(CASE WHEN done THEN agenda_at END) AS last_at, "
            "MIN(CASE WHEN NOT done THEN agenda_at END) AS next_at "
            f"FROM {table} WHERE account_id IN ({sql}) GROUP BY account_id) AS dates "
            f"WHERE {account_table}.id = dates.account_id",
            params,
        )
