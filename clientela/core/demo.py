"""Demo data contributed by the modules: `seed_demo` creates the accounts, then calls
every registered seeder with the accounts it just created. Modules register in their
AppConfig.ready():

    register_seeder(DemoSeeder(key="contacts", order=10, seed=seed_contacts))

A seeder receives a queryset of the new accounts, a seeded random.Random (so the same
`--seed` gives the same data) and, when `seed_demo` was given one, a DemoDensity (how
many records per account to make); it writes through clientela.core.bulk (no per-row
queries).
"""

import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model


@dataclass(frozen=True)
class DemoDensity:
    """Records per account wanted of each kind (a mean); None keeps the module's mix."""

    contacts: float | None = None
    opportunities: float | None = None
    cases: float | None = None
    documents: float | None = None
    activities: float | None = None

    def given(self) -> bool:
        return any(v is not None for v in vars(self).values())


def count_for_mean(rng: random.Random, mean: float) -> int:
    """A whole number of records whose average over many accounts is `mean`."""
    whole = int(mean)
    return whole + (1 if rng.random() < mean - whole else 0)


@dataclass(frozen=True)
class DemoSeeder:
    key: str
    order: int
    seed: Callable[..., int]  # (accounts, rng[, density]) -> records made
    # The models it fills: a large seeding loads them with their indexes built at the
    # end (clientela.core.bulk.bulk_load).
    models: tuple[type[Model], ...] = ()


_SEEDERS: dict[str, DemoSeeder] = {}


def register_seeder(seeder: DemoSeeder) -> None:
    _SEEDERS[seeder.key] = seeder


def demo_seeders() -> list[DemoSeeder]:
    return sorted(_SEEDERS.values(), key=lambda seeder: seeder.order)
