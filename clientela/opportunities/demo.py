"""Demo opportunities for `seed_demo` (see clientela.core.demo): 0 to 4 per account,
across every stage, owned by the account's salesperson, bulk-inserted in chunks."""

import math
import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from itertools import accumulate
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from clientela.accounts.models import Account
from clientela.catalogs.models import ExchangeRate
from clientela.core.bulk import bulk_insert
from clientela.core.currencies import company_currency
from clientela.core.demo import DemoDensity, count_for_mean
from clientela.core.search import build_search_text

from .models import Opportunity

BATCH_SIZE = 2000

DEAL_NAMES = [
    "Renovación de contrato de mantenimiento",
    "Suministro de equipos de cómputo",
    "Licencias de software anuales",
    "Ampliación de la red de datos",
    "Servicio de limpieza industrial",
    "Consultoría en mejora de procesos",
    "Capacitación del personal de ventas",
    "Arrendamiento de montacargas",
    "Instalación de aires acondicionados",
    "Suministro de papelería y útiles",
    "Póliza de seguro de flota vehicular",
    "Implementación de ERP",
    "Migración de servidores a la nube",
    "Soporte técnico 24/7",
    "Uniformes corporativos",
    "Mobiliario de oficina",
    "Sistema de cámaras de seguridad",
    "Transporte de carga nacional",
    "Mantenimiento preventivo de planta eléctrica",
    "Auditoría de estados financieros",
    "Campaña publicitaria de temporada",
    "Suministro de insumos médicos",
    "Equipos de laboratorio",
    "Paneles solares para bodega",
    "Remodelación de sucursal",
    "Servicio de comedor para colaboradores",
    "Renovación de flota de montacargas",
    "Suministro de repuestos industriales",
    "Desarrollo de tienda en línea",
    "Plan corporativo de telefonía móvil",
]
SUFFIXES = ["", "", "", " (fase 2)", " (sucursal norte)", " 2025", " 2026", " (ampliación)"]
LOST_REASONS = [
    "Precio por encima del presupuesto del cliente",
    "El cliente eligió a la competencia",
    "Proyecto cancelado por el cliente",
    "Sin presupuesto aprobado este año",
    "El cliente dejó de responder",
    "Plazo de entrega demasiado largo",
    "Cambio de gerencia en el cliente",
]
STAGE_WEIGHTS = [
    ("prospecting", 18),
    ("qualification", 16),
    ("proposal", 16),
    ("negotiation", 12),
    ("won", 22),
    ("lost", 16),
]
COUNT_WEIGHTS = [(0, 15), (1, 25), (2, 27), (3, 20), (4, 13)]
# Local currencies some customers are quoted in; the rest in the default currency.
LOCAL_CURRENCY = {
    "MX": "MXN",
    "CO": "COP",
    "PE": "PEN",
    "CR": "CRC",
    "GT": "GTQ",
    "DO": "DOP",
    "CL": "CLP",
    "AR": "ARS",
    "UY": "UYU",
    "PY": "PYG",
    "BR": "BRL",
    "HN": "HNL",
    "NI": "NIO",
    "BO": "BOB",
}
# Roughly how many units of each local currency a US dollar buys: a Colombian deal quoted in
# pesos is in the millions, not in the hundreds. Demo figures only; the seeder also stores them
# as exchange rates so totals in the company currency show (when that currency is USD).
LOCAL_PER_USD = {
    "MXN": Decimal("18"),
    "COP": Decimal("4000"),
    "PEN": Decimal("3.7"),
    "CRC": Decimal("510"),
    "GTQ": Decimal("7.7"),
    "DOP": Decimal("60"),
    "CLP": Decimal("950"),
    "ARS": Decimal("1000"),
    "UYU": Decimal("40"),
    "PYG": Decimal("7500"),
    "BRL": Decimal("5.5"),
    "HNL": Decimal("26"),
    "NIO": Decimal("36.6"),
    "BOB": Decimal("6.9"),
}
_MIN_AMOUNT, _MAX_AMOUNT = math.log(500), math.log(250_000)


class _Weighted:
    """A weighted choice with its cumulative weights computed once, not per draw."""

    def __init__(self, weighted: list[tuple[Any, int]]) -> None:
        self.values = [value for value, _weight in weighted]
        self.cumulative = list(accumulate(weight for _value, weight in weighted))

    def pick(self, rng: random.Random) -> Any:
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


_STAGES = _Weighted(STAGE_WEIGHTS)
_COUNTS = _Weighted(COUNT_WEIGHTS)


@cache
def _folded(deal: str) -> str:
    return build_search_text([deal])


def _amount(rng: random.Random, currency: str = "USD") -> Decimal:
    # Log-uniform: many small deals, a few large ones.
    dollars = Decimal(f"{math.exp(rng.uniform(_MIN_AMOUNT, _MAX_AMOUNT)):.2f}")
    per_usd = LOCAL_PER_USD.get(currency)
    if per_usd is None:
        return dollars
    # A quote in pesos is a round figure (1.250.000, not 1.249.873,41).
    local = dollars * per_usd
    step = Decimal(10) ** max(local.adjusted() - 2, 0)
    return (local / step).quantize(Decimal(1)) * step + Decimal("0.00")


def _closed_at(rng: random.Random, today: date) -> datetime:
    day = today - timedelta(days=rng.randint(1, 180))
    moment = datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59)))
    return timezone.make_aware(moment)


def _opportunities(
    account: tuple[int, str, str, int, str, str],
    rng: random.Random,
    today: date,
    mean: float | None = None,
) -> Iterator[Opportunity]:
    account_id, code, name, salesperson_id, country, status = account
    count = _COUNTS.pick(rng) if mean is None else count_for_mean(rng, mean)
    # The folded account part of the search text, once per account (see build_search_text).
    account_text = build_search_text([code, name]) if count else ""
    for _n in range(count):
        stage = _STAGES.pick(rng)
        if status == Account.Status.INACTIVE and stage in Opportunity.OPEN_STAGES:
            stage = "lost"  # an inactive customer's deals are over
        currency = settings.DEFAULT_CURRENCY
        if country in LOCAL_CURRENCY and rng.random() < 0.3:
            currency = LOCAL_CURRENCY[country]
        probability = Opportunity.DEFAULT_PROBABILITY[stage]
        if stage in Opportunity.OPEN_STAGES and rng.random() < 0.3:
            probability = max(5, min(95, probability + rng.choice([-10, -5, 5, 10])))
        closed_at = None
        if stage in Opportunity.CLOSED_STAGES:
            closed_at = _closed_at(rng, today)
            expected = closed_at.date() + timedelta(days=rng.randint(-20, 20))
        else:
            expected = today + timedelta(days=rng.randint(-30, 180))
        deal = rng.choice(DEAL_NAMES) + rng.choice(SUFFIXES)
        opportunity = Opportunity(
            account_id=account_id,
            name=deal,
            stage=stage,
            amount=_amount(rng, currency),
            currency=currency,
            probability=probability,
            expected_close_date=expected,
            owner_id=salesperson_id,
            description="",
            closed_at=closed_at,
            lost_reason=rng.choice(LOST_REASONS) if stage == "lost" else "",
            created_by_id=salesperson_id,
            updated_by_id=salesperson_id,
            version=1,
        )
        opportunity.search_text = f"{_folded(deal)} {account_text}"
        yield opportunity


def _seed_exchange_rates(today: date) -> None:
    """The demo's local currencies get a rate to the dollar, when the company keeps its books
    in dollars and has no rate for them yet."""
    if company_currency() != "USD":
        return
    known = set(ExchangeRate.objects.values_list("currency", flat=True))
    valid_from = today - timedelta(days=30)
    ExchangeRate.objects.bulk_create(
        [
            ExchangeRate(
                currency=code,
                rate=(1 / per_usd).quantize(Decimal("0.0000000001")),
                valid_from=valid_from,
            )
            for code, per_usd in LOCAL_PER_USD.items()
            if code not in known
        ]
    )


def seed_opportunities(
    accounts: QuerySet[Account], rng: random.Random, density: DemoDensity | None = None
) -> int:
    """0 to 4 opportunities per account (about `density.opportunities` when given); no
    query per account."""
    today = timezone.localdate()
    mean = density.opportunities if density is not None else None
    _seed_exchange_rates(today)
    rows = (
        accounts.order_by("id")
        .values_list("id", "code", "name", "salesperson_id", "country", "status")
        .iterator(chunk_size=BATCH_SIZE)
    )
    made = (opp for account in rows for opp in _opportunities(account, rng, today, mean))
    return bulk_insert(Opportunity, made)
