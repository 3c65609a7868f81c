"""The scan: blocking keys instead of all pairs, progress, incremental afterwards, and
started from the queue page as a background task."""

import pytest

from clientela.accounts.models import Account
from clientela.duplicates import scan
from clientela.duplicates.models import Candidate, MatchKey, ScanState

from .helpers import UserFactory, new_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return UserFactory(username="gerente", role="manager")


def test_full_then_incremental(manager):
    a = new_account(manager)
    new_account(
        manager,
        name="Zapatería Luna",
        tax_id="155777-1-2019",
        email="z@luna.pa",
        phone="+5072000001",
    )
    state = scan.scan("account", full=True)
    assert (state.status, state.done, state.total, state.pairs) == ("done", 2, 2, 0)
    assert MatchKey.objects.filter(kind="account").count() > 2
    # A new look-alike, written in bulk (no signal): the incremental scan finds it.
    b = new_account(
        manager,
        name="GRUPO RODRIGUEZ SA",
        tax_id="155124-1-2019",
        email="c@gr.pa",
        phone="+5072000002",
    )
    MatchKey.objects.filter(record_id=b.pk).delete()
    state = scan.scan("account")
    assert state.total == 1  # only what changed since the last scan
    pair = Candidate.objects.get(kind="account")
    assert (pair.low_id, pair.high_id) == (a.pk, b.pk)
    assert {r["code"] for r in pair.reasons} == {"name"}


def test_scan_started_from_the_page_runs_as_a_task(
    client, manager, django_capture_on_commit_callbacks
):
    new_account(manager)
    new_account(manager, name="Grupo Rodriguez", tax_id="155124-1-2019")
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/duplicates/scan/", {"kind": "account", "full": "1"})
    assert response.status_code == 302
    state = ScanState.objects.get(kind="account")
    assert state.status == "done" and state.pairs == 1
    progress = client.get("/duplicates/scan/progress/?kind=account")
    assert progress.status_code == 200 and "duplicate-scan" in progress.content.decode()


def test_common_words_do_not_make_all_pairs(manager):
    new_account(manager, name="Otra", email="o@o.pa", phone="+5072999999")
    """A word shared by more records than a block holds is no key: no pair from it."""
    from clientela.duplicates import keys

    rows = [
        Account(
            code=f"B-{n}",
            name=f"Comercial {chr(65 + n % 26)}{chr(65 + n // 26)}xq{n}",
            person_kind="legal",
            tax_id=f"9{n:05d}",
            contact_name="x",
            email=f"a{n}@dominio{n}.pa",
            phone=f"+50760{n:06d}",
            customer_type_id=Account.objects.first().customer_type_id,
            salesperson=manager,
        )
        for n in range(keys.MAX_BLOCK + 5)
    ]
    Account.objects.bulk_create(rows)
    state = scan.scan("account", full=True)
    assert state.pairs == 0
