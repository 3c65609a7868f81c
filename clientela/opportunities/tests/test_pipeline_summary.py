"""OpenPipelineSummary, kept by the database's triggers, always equals a fresh GROUP BY of
the open opportunities: whatever wrote them (save, update(), delete, bulk_insert) and
when their account changes hands."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.core.bulk import bulk_insert
from clientela.opportunities import db_triggers
from clientela.opportunities.models import OpenPipelineSummary, Opportunity
from clientela.opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db
Stage = Opportunity.Stage

Key = tuple[int, int, str, str, date | None]


def kept() -> dict[Key, tuple[int, Decimal, Decimal]]:
    rows = OpenPipelineSummary.objects.all()
    return {
        (r.salesperson_id, r.owner_id, r.stage, r.currency, r.close_month): (
            r.n,
            r.amount_cents / 100,
            r.weighted_cents / 100,
        )
        for r in rows
    }


def counted() -> dict[Key, tuple[int, Decimal, Decimal]]:
    rows = (
        Opportunity.objects.filter(stage__in=Opportunity.OPEN_STAGES)
        .annotate(month=TruncMonth("expected_close_date"))
        .values("account__salesperson", "owner", "stage", "currency", "month")
        .annotate(n=Count("*"), total=Sum("amount"), weighted=Sum(F("amount") * F("probability")))
        .order_by()
    )
    return {
        (r["account__salesperson"], r["owner"], r["stage"], r["currency"], r["month"]): (
            r["n"],
            Decimal(r["total"]).quantize(Decimal("0.01")),
            Decimal(r["weighted"]).quantize(Decimal("0.01")),
        )
        for r in rows
    }


def assert_in_step() -> None:
    assert kept() == counted()
    assert not OpenPipelineSummary.objects.filter(n=0).exists()  # emptied groups go


def test_open_stages_in_the_triggers_are_the_models():
    quoted = ", ".join(f"'{stage}'" for stage in Opportunity.OPEN_STAGES)
    assert f"({quoted})" == db_triggers.OPEN


def test_creates_and_every_change_keep_the_summary_in_step():
    seller, other = UserFactory(role="sales"), UserFactory(role="sales")
    account = AccountFactory(salesperson=seller)
    soon = timezone.localdate() + timedelta(days=20)
    deal = OpportunityFactory(
        account=account, amount=Decimal("1500.50"), probability=30, expected_close_date=soon
    )
    OpportunityFactory(account=account, amount=Decimal("99.99"), stage=Stage.PROPOSAL)
    OpportunityFactory(account=account, amount=Decimal("10"), expected_close_date=None)
    assert_in_step()
    assert sum(n for n, _a, _w in kept().values()) == 3

    deal.amount = Decimal("2000.25")
    deal.save()
    assert_in_step()
    Opportunity.objects.filter(pk=deal.pk).update(probability=55)
    assert_in_step()
    Opportunity.objects.filter(pk=deal.pk).update(expected_close_date=soon + timedelta(days=62))
    assert_in_step()
    Opportunity.objects.filter(pk=deal.pk).update(expected_close_date=None)
    assert_in_step()
    Opportunity.objects.filter(pk=deal.pk).update(currency="EUR")
    assert_in_step()
    Opportunity.objects.filter(pk=deal.pk).update(owner=other)
    assert_in_step()
    Opportunity.objects.filter(pk=deal.pk).update(stage=Stage.NEGOTIATION)
    assert_in_step()
    Opportunity.objects.filter(pk=deal.pk).update(stage=Stage.WON, closed_at=timezone.now())
    assert_in_step()
    assert (seller.pk, other.pk, "negotiation", "EUR", None) not in kept()
    Opportunity.objects.filter(pk=deal.pk).update(stage=Stage.PROPOSAL, closed_at=None)
    assert_in_step()
    Opportunity.objects.filter(pk=deal.pk).update(
        account=AccountFactory(salesperson=other), owner=seller
    )
    assert_in_step()
    Opportunity.objects.filter(pk=deal.pk).update(name="Sin efecto en las cifras")
    assert_in_step()


def test_deletes_and_a_bulk_update_of_many_rows_keep_it_in_step():
    account = AccountFactory()
    deals = OpportunityFactory.create_batch(4, account=account, amount=Decimal("12.34"))
    OpportunityFactory(
        account=account, stage=Stage.LOST, lost_reason="Precio", closed_at=timezone.now()
    )
    deals[0].delete()
    assert_in_step()
    Opportunity.objects.filter(account=account).update(amount=Decimal("7.01"))
    assert_in_step()
    Opportunity.objects.filter(account=account).delete()
    assert_in_step()
    assert kept() == {}


def test_a_bulk_insert_counts_every_row_once():
    sellers = UserFactory.create_batch(2, role="sales")
    accounts = [AccountFactory(salesperson=s) for s in sellers]
    stages = [*Opportunity.OPEN_STAGES, Stage.WON]
    today = timezone.localdate()
    made = [
        Opportunity(
            account=accounts[i % 2],
            owner=sellers[(i // 2) % 2],
            name=f"Lote {i}",
            stage=stages[i % len(stages)],
            amount=Decimal(i) + Decimal("0.25"),
            currency=("USD", "PAB")[i % 2],
            probability=i % 101,
            expected_close_date=None if i % 7 == 0 else today + timedelta(days=9 * i),
            closed_at=timezone.now() if stages[i % len(stages)] == Stage.WON else None,
        )
        for i in range(300)
    ]
    with transaction.atomic():
        bulk_insert(Opportunity, made)
    assert_in_step()
    assert sum(n for n, _a, _w in kept().values()) == 240


def test_an_account_reassigned_takes_its_open_deals_to_the_new_salesperson():
    before, after = UserFactory(role="sales"), UserFactory(role="sales")
    account = AccountFactory(salesperson=before)
    kept_account = AccountFactory(salesperson=before)
    OpportunityFactory.create_batch(2, account=account, amount=Decimal("10.10"))
    OpportunityFactory(account=kept_account, amount=Decimal("3"))
    OpportunityFactory(account=account, stage=Stage.WON, closed_at=timezone.now(), probability=100)
    account.salesperson = after
    account.save()
    assert_in_step()
    assert {k[0] for k in kept()} == {before.pk, after.pk}
    Account.objects.filter(pk__in=[account.pk, kept_account.pk]).update(salesperson=before)
    assert_in_step()
    assert {k[0] for k in kept()} == {before.pk}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's table rebuilds")
def test_lost_triggers_come_back_and_the_summary_is_added_up_again():
    OpportunityFactory(amount=Decimal("5"))
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER opp_pipeline_ai")
        cursor.execute("DROP TRIGGER account_pipeline_au")
    OpportunityFactory(amount=Decimal("6"))
    assert kept() != counted()
    assert db_triggers.ensure_sqlite_pipeline_triggers(connection)
    assert_in_step()
    assert not db_triggers.ensure_sqlite_pipeline_triggers(connection)
