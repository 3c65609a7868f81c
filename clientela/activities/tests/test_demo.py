"""Demo activities (`seed_demo`): each account's last and next activity dates agree with
its activities, also when a large seed loads the table with its indexes dropped."""

import pytest
from django.db.models import Max, Min, Q

from clientela.accounts.management.commands import seed_demo
from clientela.accounts.models import Account
from clientela.core.demo import DemoDensity

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("large", [False, True])
def test_seeded_accounts_carry_their_last_and_next_activity(monkeypatch, large):
    if large:  # the path of a million-account seed: indexes dropped while loading
        monkeypatch.setattr(seed_demo, "LARGE_LOAD", 1)
    seed_demo.seed_demo_accounts(
        count=30, seed=3, density=DemoDensity(activities=3.0), history=False
    )
    accounts = Account.objects.annotate(
        last=Max("activities__agenda_at", filter=Q(activities__done=True)),
        next=Min("activities__agenda_at", filter=Q(activities__done=False)),
    )
    assert accounts.count() == 30
    assert sum(1 for a in accounts if a.last or a.next) > 20
    for account in accounts:
        assert (account.last_activity_at, account.next_activity_at) == (account.last, account.next)
