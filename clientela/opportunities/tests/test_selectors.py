from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.opportunities.selectors import (
    OpportunityFilters,
    opportunities_for_account,
    opportunity_board,
    opportunity_get_for_user,
    opportunity_list,
    opportunity_totals,
)
from clientela.opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def names(user, **filters):
    return [o.name for o in opportunity_list(user=user, filters=OpportunityFilters(**filters))]


def closed(**kwargs):
    stage = kwargs.pop("stage", "won")
    return OpportunityFactory(
        stage=stage,
        closed_at=timezone.now(),
        lost_reason="Precio" if stage == "lost" else "",
        **kwargs,
    )


def test_salesperson_sees_only_their_accounts_opportunities():
    seller = UserFactory(role="sales")
    OpportunityFactory(name="Mía", account=AccountFactory(salesperson=seller))
    OpportunityFactory(name="Ajena")
    assert names(seller) == ["Mía"]
    assert sorted(names(UserFactory(role="viewer"))) == ["Ajena", "Mía"]


def test_salesperson_gets_404_for_another_accounts_opportunity():
    seller = UserFactory(role="sales")
    other = OpportunityFactory()
    with pytest.raises(Http404):
        opportunity_get_for_user(seller, other.pk)
    assert opportunity_get_for_user(UserFactory(role="support"), other.pk) == other


def test_user_without_role_sees_nothing():
    from clientela.users.models import User

    OpportunityFactory()
    nobody = User.objects.create_user("sinrol", password="x")
    assert names(nobody) == []


def test_search_is_accent_insensitive_over_name_and_account_name_and_code(user):
    account = AccountFactory(name="Panadería Núñez")
    OpportunityFactory(name="Renovación de contrato", account=account)
    OpportunityFactory(name="Otra cosa")
    for query in ["renovacion", "RENOVACIÓN contrato", "panaderia", "nunez", account.code]:
        assert names(user, q=query) == ["Renovación de contrato"], query


def test_filters_by_stage_state_owner_account_and_close_range(user):
    ana = UserFactory(username="ana.gomez")
    account = AccountFactory(salesperson=ana)
    today = date(2026, 6, 15)
    OpportunityFactory(
        name="Objetivo", account=account, stage="proposal", expected_close_date=today
    )
    OpportunityFactory(name="Otra etapa", account=account, expected_close_date=today)
    OpportunityFactory(name="Otro vendedor", stage="proposal", expected_close_date=today)
    OpportunityFactory(
        name="Fuera de rango",
        account=account,
        stage="proposal",
        expected_close_date=today + timedelta(days=40),
    )
    closed(name="Cerrada", account=account, expected_close_date=today)
    result = names(
        user,
        stage="proposal",
        owner="ana.gomez",
        account=account.code.lower(),
        close_from=today - timedelta(days=1),
        close_to=today + timedelta(days=1),
    )
    assert result == ["Objetivo"]
    assert sorted(names(user, state="closed")) == ["Cerrada"]
    assert "Cerrada" not in names(user, state="open")


def test_default_sort_is_expected_close_with_empty_dates_last(user):
    OpportunityFactory(name="Sin fecha")
    OpportunityFactory(name="Tarde", expected_close_date=date(2026, 12, 1))
    OpportunityFactory(name="Pronto", expected_close_date=date(2026, 1, 1))
    assert names(user) == ["Pronto", "Tarde", "Sin fecha"]


def test_sort_by_amount_descending_and_by_pipeline_stage(user):
    OpportunityFactory(name="Chica", amount=Decimal("10.00"), stage="negotiation")
    OpportunityFactory(name="Grande", amount=Decimal("9000.00"), stage="prospecting")
    OpportunityFactory(name="Media", amount=Decimal("500.00"), stage="proposal")
    assert names(user, sort="-amount") == ["Grande", "Media", "Chica"]
    assert names(user, sort="stage") == ["Grande", "Media", "Chica"]
    assert names(user, sort="-stage") == ["Chica", "Media", "Grande"]


def test_unknown_sort_falls_back_to_the_default(user):
    OpportunityFactory(name="Una")
    assert names(user, sort="search_text") == ["Una"]


def test_totals_are_summed_per_currency_with_the_weighted_amount(user):
    OpportunityFactory(amount=Decimal("1000.00"), stage="proposal")  # 50 %
    OpportunityFactory(amount=Decimal("234.56"), stage="negotiation")  # 75 %
    OpportunityFactory(amount=Decimal("5000.00"), currency="MXN", probability=10)
    totals = opportunity_totals(user=user, filters=OpportunityFilters())
    assert [(t.currency, t.count, t.amount, t.weighted) for t in totals] == [
        ("MXN", 1, Decimal("5000.00"), Decimal("500.00")),
        ("USD", 2, Decimal("1234.56"), Decimal("675.92")),
    ]


def test_totals_follow_the_filters(user):
    OpportunityFactory(name="Objetivo", amount=Decimal("100.00"))
    OpportunityFactory(name="Otra", amount=Decimal("900.00"))
    totals = opportunity_totals(user=user, filters=OpportunityFilters(q="objetivo"))
    assert [t.amount for t in totals] == [Decimal("100.00")]


def test_board_counts_totals_and_weighted_amounts_per_stage(user):
    OpportunityFactory(stage="proposal", amount=Decimal("1000.00"))
    OpportunityFactory(stage="proposal", amount=Decimal("3000.00"), probability=20)
    OpportunityFactory(stage="negotiation", amount=Decimal("200.00"))
    closed(stage="won", amount=Decimal("700.00"))
    closed(stage="lost", amount=Decimal("50.00"))
    columns = {
        c.stage: c
        for c in opportunity_board(user=user, filters=OpportunityFilters(), cards_per_column=50)
    }
    assert list(columns) == [
        "prospecting",
        "qualification",
        "proposal",
        "negotiation",
        "won",
        "lost",
    ]
    proposal = columns["proposal"]
    assert proposal.count == 2 and len(proposal.cards) == 2
    assert proposal.totals[0].amount == Decimal("4000.00")
    assert proposal.totals[0].weighted == Decimal("1100.00")  # 500 + 600
    assert columns["negotiation"].totals[0].weighted == Decimal("150.00")
    assert columns["won"].count == 1 and columns["won"].cards == []
    assert columns["won"].totals[0].amount == Decimal("700.00")
    assert not columns["won"].is_open and columns["proposal"].is_open
    assert columns["prospecting"].count == 0 and columns["prospecting"].totals == []


def test_board_caps_cards_per_column_and_counts_the_rest(user):
    for n in range(5):
        OpportunityFactory(stage="qualification", expected_close_date=date(2026, 1, n + 1))
    column = opportunity_board(user=user, filters=OpportunityFilters(), cards_per_column=3)[1]
    assert column.count == 5 and len(column.cards) == 3 and column.more == 2
    assert [c.expected_close_date.day for c in column.cards] == [1, 2, 3]


def test_board_ignores_the_lists_stage_filter_but_keeps_owner_and_account(user):
    ana = UserFactory(username="ana")
    OpportunityFactory(stage="proposal", account=AccountFactory(salesperson=ana))
    OpportunityFactory(stage="proposal")
    columns = opportunity_board(
        user=user, filters=OpportunityFilters(owner="ana", stage="won"), cards_per_column=50
    )
    assert columns[2].count == 1


def test_board_respects_the_access_gate():
    seller = UserFactory(role="sales")
    OpportunityFactory(stage="proposal", account=AccountFactory(salesperson=seller))
    OpportunityFactory(stage="proposal", amount=Decimal("99999.00"))
    column = opportunity_board(user=seller, filters=OpportunityFilters(), cards_per_column=50)[2]
    assert column.count == 1 and column.totals[0].amount == Decimal("1000.00")


def test_account_summary_splits_open_and_closed(user):
    account = AccountFactory()
    OpportunityFactory(account=account, name="Abierta", amount=Decimal("100.00"))
    closed(account=account, name="Ganada", stage="won")
    closed(account=account, name="Perdida", stage="lost")
    OpportunityFactory(name="De otra cuenta")
    summary = opportunities_for_account(user=UserFactory(role="manager"), account=account)
    assert [o.name for o in summary.open] == ["Abierta"]
    assert sorted(o.name for o in summary.closed) == ["Ganada", "Perdida"]
    assert summary.open_count == 1 and summary.closed_count == 2
    assert summary.open_totals[0].amount == Decimal("100.00")
