"""Demo data contributed by the modules: `seed_demo` creates the accounts, then calls
every registered seeder with the accounts it just created. Modules register in their
AppConfig.ready():

    register_seeder(DemoSeeder(key="contacts", order=10, seed=seed_contacts))

A seeder receives a queryset of the new accounts, a seeded random.Random (so the same
`--seed` gives the same data) and must bulk-insert (no per-row queries).
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class DemoSeeder:
    key: str
    order: int
    seed: Callable[[QuerySet[Any], random.Random], int]


_SEEDERS: dict[str, DemoSeeder] = {}


def register_seeder(seeder: DemoSeeder) -> None:
    _SEEDERS[seeder.key] = seeder


def demo_seeders() -> list[DemoSeeder]:
    return sorted(_SEEDERS.values(), key=lambda seeder: seeder.order)
