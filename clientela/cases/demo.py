"""Demo cases for `seed_demo`: every status and priority, some overdue, with comments.

Registered in CasesConfig.ready(). No query per account or per case: the accounts and
their contacts are read in chunks, the numbers are reserved in one sequence call, and
cases and comments go in with bulk_create. No history entries: demo data is not user
activity.
"""

import random
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from clientela.contacts.models import Contact
from clientela.core.bulk import bulk_insert
from clientela.core.demo import DemoDensity, count_for_mean
from clientela.core.sequences import format_code, sequence_next
from clientela.users.models import User

from .models import (
    NUMBER_PREFIX,
    NUMBER_SEQUENCE,
    PRIORITY_RANK,
    Case,
    CaseComment,
    case_search_text,
)

BATCH_SIZE = 2000

# (subject, description): what Latin American customers write to support.
REQUESTS: tuple[tuple[str, str], ...] = (
    (
        "No llega la factura electrónica",
        "El cliente indica que no ha recibido la factura electrónica de su última compra. "
        "Solicita reenvío al correo de cuentas por pagar.",
    ),
    (
        "Solicitud de cambio de dirección de entrega",
        "La empresa se mudó de oficina y pide actualizar la dirección de entrega para los "
        "próximos despachos.",
    ),
    (
        "Error en el monto facturado",
        "La factura refleja un monto mayor al cotizado. Adjuntan la cotización aprobada para "
        "su revisión.",
    ),
    (
        "Pedido incompleto",
        "Faltan dos cajas del último pedido. El transportista entregó solo una parte.",
    ),
    (
        "Producto llegó dañado",
        "Una de las unidades llegó con el empaque roto y el equipo no enciende. Piden reposición.",
    ),
    (
        "Solicitud de estado de cuenta",
        "El departamento de contabilidad solicita el estado de cuenta al cierre del mes.",
    ),
    (
        "Consulta sobre nota de crédito",
        "El cliente pregunta cuándo se aplicará la nota de crédito por la devolución.",
    ),
    (
        "Actualización de datos fiscales",
        "Cambiaron la razón social y necesitan que las próximas facturas salgan con los "
        "datos nuevos.",
    ),
    (
        "No puede acceder al portal de clientes",
        "El usuario del cliente no puede iniciar sesión en el portal; dice que la clave "
        "no funciona.",
    ),
    (
        "Solicitud de garantía",
        "El equipo presenta fallas dentro del período de garantía. Solicitan visita técnica.",
    ),
    (
        "Retraso en la entrega",
        "El pedido tenía fecha de entrega para esta semana y aún no ha llegado.",
    ),
    (
        "Cotización de repuestos",
        "Piden precio y disponibilidad de repuestos para el mantenimiento preventivo.",
    ),
    (
        "Cambio de condición de pago",
        "El cliente solicita pasar de contado a crédito a 30 días.",
    ),
    (
        "Duplicado de cobro en tarjeta",
        "Se realizó el cargo dos veces en la tarjeta corporativa. Solicitan el reverso.",
    ),
    (
        "Capacitación para nuevo personal",
        "Ingresó personal nuevo y solicitan una capacitación sobre el uso del equipo.",
    ),
    (
        "Reclamo por atención en sucursal",
        "El cliente se queja del tiempo de espera en la sucursal de la ciudad.",
    ),
)

RESOLUTIONS: tuple[str, ...] = (
    "Se reenvió el documento al correo indicado y el cliente confirmó la recepción.",
    "Se actualizaron los datos en el sistema; los próximos documentos saldrán correctos.",
    "Se emitió la nota de crédito correspondiente y se envió al cliente.",
    "Se coordinó la reposición con bodega; entregado al día siguiente.",
    "Se programó la visita técnica y se reemplazó la pieza defectuosa.",
    "Se restableció el acceso del usuario y se le envió una guía de ingreso.",
    "Se aplicó el reverso del cobro duplicado; verá el reembolso en su próximo estado.",
    "Se explicó al cliente el procedimiento y quedó conforme.",
)

COMMENTS: tuple[str, ...] = (
    "Llamé al cliente para confirmar los detalles; queda pendiente que envíe los documentos.",
    "Se escaló al departamento de facturación.",
    "El cliente envió la información solicitada por correo.",
    "Coordinado con logística, esperamos respuesta mañana.",
    "Se dejó mensaje de voz; volveré a llamar en la tarde.",
    "Revisado con bodega: hay inventario disponible.",
    "El cliente agradece la atención y pide seguimiento por correo.",
    "Adjunto el número de guía del envío: 48213-PA.",
    "Pendiente aprobación de la gerencia.",
    "Se verificó en el portal: https://www.dgi.mef.gob.pa",
)

_PRIORITIES = (("low", 20), ("normal", 45), ("high", 25), ("urgent", 10))
_STATUSES = (
    ("new", 15),
    ("in_progress", 25),
    ("waiting_customer", 10),
    ("resolved", 20),
    ("closed", 30),
)
# About 0.6 cases per account and 1.4 comments per case: a realistic desk, and few enough
# rows that 100,000 demo accounts seed their cases in well under half a minute.
_CASES_PER_ACCOUNT = ((0, 62), (1, 24), (2, 9), (3, 5))
_COMMENTS_PER_CASE = ((0, 30), (1, 30), (2, 20), (3, 12), (4, 8))


def _pick(rng: random.Random, weighted: tuple[tuple[Any, int], ...]) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


@dataclass
class _Spec:
    account_id: int
    account_code: str
    account_name: str
    salesperson_id: int
    contact: tuple[int, str] | None
    subject: str
    description: str
    priority: str
    status: str
    assignee_id: int | None
    author_id: int
    opened_at: datetime
    due_at: datetime
    resolved_at: datetime | None
    resolution: str
    comments: list[tuple[int, datetime, str]] = field(default_factory=list)


def _contacts_by_account(account_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    rows = (
        Contact.objects.filter(account_id__in=account_ids)
        .order_by("account_id", "id")
        .values_list("id", "account_id", "first_name", "last_name")
    )
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for contact_id, account_id, first, last in rows.iterator(chunk_size=BATCH_SIZE):
        found[account_id].append((contact_id, f"{first} {last}".strip()))
    return found


def _spec(
    rng: random.Random,
    now: datetime,
    account: tuple[int, str, str, int],
    contacts: list[tuple[int, str]],
    staff: dict[str, int],
) -> _Spec:
    account_id, code, name, salesperson_id = account
    support_id = staff.get("soporte", salesperson_id)
    manager_id = staff.get("gerente", salesperson_id)
    subject, description = rng.choice(REQUESTS)
    priority = _pick(rng, _PRIORITIES)
    status = _pick(rng, _STATUSES)
    hours = settings.CASE_RESPONSE_HOURS[priority]
    resolved_at = None
    resolution = ""
    if status in ("new", "in_progress", "waiting_customer"):
        # About three in ten open cases are past their response time.
        opened_at = now - timedelta(hours=hours * rng.uniform(0.05, 1.4))
    else:
        opened_at = now - timedelta(days=rng.uniform(2, 120))
        resolved_at = opened_at + timedelta(hours=hours * rng.uniform(0.2, 1.5))
        resolved_at = min(resolved_at, now - timedelta(minutes=5))
        resolution = rng.choice(RESOLUTIONS)
    workers = [support_id, salesperson_id, manager_id]
    assignee_id: int | None = rng.choices(workers, (60, 30, 10))[0]
    if status == "new" and rng.random() < 0.7:
        assignee_id = None
    author_id = rng.choice([support_id, salesperson_id])
    spec = _Spec(
        account_id=account_id,
        account_code=code,
        account_name=name,
        salesperson_id=salesperson_id,
        contact=rng.choice(contacts) if contacts and rng.random() < 0.7 else None,
        subject=subject,
        description=description,
        priority=priority,
        status=status,
        assignee_id=assignee_id,
        author_id=author_id,
        opened_at=opened_at,
        due_at=opened_at + timedelta(hours=hours),
        resolved_at=resolved_at,
        resolution=resolution,
    )
    end = resolved_at or now
    span = (end - opened_at).total_seconds()
    moments = sorted(rng.uniform(0, span) for _ in range(_pick(rng, _COMMENTS_PER_CASE)))
    spec.comments = [
        (
            rng.choice([assignee_id or support_id, author_id]),
            opened_at + timedelta(seconds=moment),
            rng.choice(COMMENTS),
        )
        for moment in moments
    ]
    return spec


def _case(spec: _Spec, number: str) -> Case:
    case = Case(
        number=number,
        account_id=spec.account_id,
        contact_id=spec.contact[0] if spec.contact else None,
        subject=spec.subject,
        description=spec.description,
        priority=spec.priority,
        priority_rank=PRIORITY_RANK[spec.priority],
        status=spec.status,
        assignee_id=spec.assignee_id,
        opened_at=spec.opened_at,
        due_at=spec.due_at,
        resolved_at=spec.resolved_at,
        resolution=spec.resolution,
        created_by_id=spec.author_id,
        updated_by_id=spec.author_id,
        created_at=spec.opened_at,
        updated_at=spec.resolved_at or spec.opened_at,
    )
    case.search_text = case_search_text(
        number=number,
        subject=spec.subject,
        account_code=spec.account_code,
        account_name=spec.account_name,
        contact_name=spec.contact[1] if spec.contact else "",
    )
    return case


def seed_cases(
    accounts: QuerySet[Any], rng: random.Random, density: DemoDensity | None = None
) -> int:
    """Cases (and their comments) for the new demo accounts (about `density.cases` per
    account when given); returns how many cases."""
    mean = density.cases if density is not None else None
    now = timezone.now()
    staff = dict(
        User.objects.filter(username__in=["soporte", "gerente"]).values_list("username", "id")
    )
    rows = accounts.order_by("id").values_list("id", "code", "name", "salesperson_id")
    wanted: list[tuple[tuple[int, str, str, int], int]] = []
    for account in rows.iterator(chunk_size=BATCH_SIZE):
        count = _pick(rng, _CASES_PER_ACCOUNT) if mean is None else count_for_mean(rng, mean)
        if count:
            wanted.append((account, count))
    # Only the accounts that get a case need their contacts looked up.
    specs: list[_Spec] = []
    for start in range(0, len(wanted), BATCH_SIZE):
        chunk = wanted[start : start + BATCH_SIZE]
        contacts = _contacts_by_account([account[0] for account, _n in chunk])
        for account, count in chunk:
            for _ in range(count):
                specs.append(_spec(rng, now, account, contacts.get(account[0], []), staff))
    if not specs:
        return 0
    # One reservation for the whole run: cases opened later in the UI continue after these.
    first = sequence_next(NUMBER_SEQUENCE, count=len(specs))
    with _timestamps_as_given():
        _insert(specs, first)
    return len(specs)


@contextmanager
def _timestamps_as_given() -> Iterator[None]:
    """Let bulk_create keep the created_at/updated_at we set (the cases' own story)
    instead of stamping "now": cheaper than rewriting every row afterwards, which on
    PostgreSQL would also rewrite every index entry. Only for this one-shot command."""
    fields = [Case._meta.get_field("created_at"), Case._meta.get_field("updated_at")]
    saved = [(f.auto_now, f.auto_now_add) for f in fields]
    try:
        for f in fields:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _insert(specs: list[_Spec], first: int) -> None:
    for start in range(0, len(specs), BATCH_SIZE):
        chunk = specs[start : start + BATCH_SIZE]
        cases = [
            _case(spec, format_code(NUMBER_PREFIX, first + start + offset))
            for offset, spec in enumerate(chunk)
        ]
        bulk_insert(Case, cases)
        bulk_insert(
            CaseComment,
            [
                CaseComment(case_id=case.pk, author_id=author, created_at=at, body=body)
                for case, spec in zip(cases, chunk, strict=True)
                for author, at, body in spec.comments
            ],
        )
