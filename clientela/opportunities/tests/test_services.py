"""Every rule of SPEC §4 and §2.2 for opportunities, at the service level."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clientela.accounts import services as account_services
from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.audit.models import HistoryEntry
from clientela.core.exceptions import StaleVersionError
from clientela.opportunities import services
from clientela.opportunities.models import Opportunity
from clientela.opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller():
    return UserFactory(role="sales")


@pytest.fixture
def account(seller):
    return AccountFactory(salesperson=seller)


def create_saved(user, account, **data):
    return services.opportunity_create(
        user=user, data={"account": account, "name": "Suministro de equipos", **data}
    )


def create(user, account, **data):
    return create_saved(user, account, **data).record


def move_saved(user, opportunity, stage, **kwargs):
    opportunity.refresh_from_db()
    return services.opportunity_move(
        user=user, opportunity=opportunity, stage=stage, version=opportunity.version, **kwargs
    )


def move(user, opportunity, stage, **kwargs):
    return move_saved(user, opportunity, stage, **kwargs).record


# ── Creation and defaults ───────────────────────────────────────────────────────────────


def test_create_defaults_owner_currency_probability_and_records_history(seller, account):
    opportunity = create(seller, account, amount=Decimal("1500.00"))
    assert opportunity.owner == seller
    assert opportunity.currency == "USD"
    assert opportunity.stage == Opportunity.Stage.PROSPECTING
    assert opportunity.probability == 10
    assert opportunity.closed_at is None
    assert opportunity.created_by == seller and opportunity.version == 1
    entry = HistoryEntry.objects.get(action="create", object_id=str(opportunity.pk))
    assert entry.account_id == account.pk
    assert entry.changes["name"] == [None, "Suministro de equipos"]


def test_owner_defaults_to_the_accounts_salesperson_when_a_manager_creates(account, seller):
    manager = UserFactory(role="manager")
    opportunity = create(manager, account)
    assert opportunity.owner == seller


@pytest.mark.parametrize(
    ("stage", "probability"),
    [("prospecting", 10), ("qualification", 25), ("proposal", 50), ("negotiation", 75)],
)
def test_probability_defaults_by_stage(seller, account, stage, probability):
    assert create(seller, account, stage=stage).probability == probability


def test_typed_probability_is_kept(seller, account):
    assert create(seller, account, stage="proposal", probability=65).probability == 65


def test_currency_is_stored_upper_case_and_must_be_three_letters(seller, account):
    assert create(seller, account, currency="mxn").currency == "MXN"
    with pytest.raises(ValidationError) as exc:
        create(seller, account, currency="DOLAR")
    assert "currency" in exc.value.message_dict


def test_negative_amount_and_probability_over_100_are_refused(seller, account):
    with pytest.raises(ValidationError) as exc:
        create(seller, account, amount=Decimal("-1.00"), probability=101)
    assert {"amount", "probability"} <= set(exc.value.message_dict)
    assert not Opportunity.objects.exists()


def test_search_text_holds_name_and_account_code_and_name(seller):
    account = AccountFactory(salesperson=seller, name="Panadería Núñez")
    opportunity = create(seller, account, name="Renovación de contrato")
    assert "renovacion de contrato" in opportunity.search_text
    assert "panaderia nunez" in opportunity.search_text
    assert account.code.lower() in opportunity.search_text


def test_renaming_the_account_refreshes_its_opportunities_search_text(seller, account):
    opportunity = create(seller, account)
    account_services.account_update(
        user=seller, account=account, data={"name": "Ferretería Chiriquí"}, version=1
    )
    opportunity.refresh_from_db()
    assert "ferreteria chiriqui" in opportunity.search_text


# ── Closing and reopening ───────────────────────────────────────────────────────────────


def test_moving_to_won_sets_closed_at_and_full_probability(seller, account):
    opportunity = create(seller, account, stage="negotiation")
    before = timezone.now()
    won = move(seller, opportunity, "won")
    assert won.stage == "won"
    assert won.closed_at is not None and won.closed_at >= before
    assert won.probability == 100
    assert won.version == 2


def test_moving_to_lost_requires_a_reason_and_changes_nothing_without_it(seller, account):
    opportunity = create(seller, account)
    with pytest.raises(ValidationError) as exc:
        move(seller, opportunity, "lost")
    assert "lost_reason" in exc.value.message_dict
    reason = "Ingrese el motivo por el que se perdió la oportunidad."
    assert reason in exc.value.message_dict["lost_reason"]
    opportunity.refresh_from_db()
    assert opportunity.stage == "prospecting" and opportunity.version == 1


def test_a_blank_reason_is_no_reason(seller, account):
    opportunity = create(seller, account)
    with pytest.raises(ValidationError):
        move(seller, opportunity, "lost", lost_reason="   ")


def test_moving_to_lost_with_a_reason_closes_it(seller, account):
    opportunity = create(seller, account)
    lost = move(seller, opportunity, "lost", lost_reason="  Eligió a la competencia ")
    assert lost.stage == "lost"
    assert lost.lost_reason == "Eligió a la competencia"
    assert lost.closed_at is not None
    assert lost.probability == 0


def test_reopening_clears_closed_at_and_the_lost_reason(seller, account):
    opportunity = create(seller, account)
    move(seller, opportunity, "lost", lost_reason="Sin presupuesto")
    reopened = move(seller, opportunity, "qualification")
    assert reopened.closed_at is None
    assert reopened.lost_reason == ""
    assert reopened.probability == 25


def test_won_to_lost_restamps_closed_at(seller, account):
    opportunity = create(seller, account)
    won = move(seller, opportunity, "won")
    Opportunity.objects.filter(pk=won.pk).update(closed_at=won.closed_at - timedelta(days=3))
    lost = move(seller, opportunity, "lost", lost_reason="Se arrepintió")
    assert lost.closed_at > won.closed_at - timedelta(days=3)


def test_editing_a_closed_opportunity_keeps_its_close_date(seller, account):
    opportunity = create(seller, account, stage="won")
    closed_at = opportunity.closed_at
    updated = services.opportunity_update(
        user=seller, opportunity=opportunity, data={"description": "Facturada"}, version=1
    ).record
    assert updated.closed_at == closed_at


def test_creating_directly_as_lost_needs_a_reason(seller, account):
    with pytest.raises(ValidationError) as exc:
        create(seller, account, stage="lost")
    assert "lost_reason" in exc.value.message_dict
    lost = create(seller, account, stage="lost", lost_reason="Precio")
    assert lost.closed_at is not None


def test_a_lost_reason_is_dropped_when_the_stage_is_not_lost(seller, account):
    assert create(seller, account, lost_reason="No aplica").lost_reason == ""


def test_stage_change_with_an_explicit_new_probability_keeps_it(seller, account):
    opportunity = create(seller, account)
    updated = services.opportunity_update(
        user=seller,
        opportunity=opportunity,
        data={"stage": "proposal", "probability": 40},
        version=1,
    ).record
    assert updated.probability == 40


def test_stage_change_with_the_untouched_probability_takes_the_stage_default(seller, account):
    opportunity = create(seller, account)
    updated = services.opportunity_update(
        user=seller,
        opportunity=opportunity,
        data={"stage": "negotiation", "probability": 10},
        version=1,
    ).record
    assert updated.probability == 75


def test_invalid_stage_is_refused(seller, account):
    opportunity = create(seller, account)
    with pytest.raises(ValidationError) as exc:
        move(seller, opportunity, "archived")
    assert "stage" in exc.value.message_dict


def test_move_records_the_change_in_the_account_history(seller, account):
    opportunity = create(seller, account)
    move(seller, opportunity, "lost", lost_reason="Precio alto")
    entry = HistoryEntry.objects.filter(action="update").get()
    assert entry.account_id == account.pk
    assert entry.changes["stage"] == ["prospecting", "lost"]
    assert entry.changes["lost_reason"] == [None, "Precio alto"]
    assert entry.changes["closed_at"][0] is None


def test_stale_version_is_refused_and_changes_nothing(seller, account):
    opportunity = create(seller, account)
    services.opportunity_update(
        user=seller, opportunity=opportunity, data={"name": "Otro nombre"}, version=1
    )
    with pytest.raises(StaleVersionError) as exc:
        services.opportunity_move(user=seller, opportunity=opportunity, stage="won", version=1)
    assert exc.value.current.name == "Otro nombre"
    opportunity.refresh_from_db()
    assert opportunity.stage == "prospecting" and opportunity.version == 2


# ── Account status (SPEC §2.2) ──────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("status", "word"), [("inactive", "inactiva"), ("suspended", "suspendida")]
)
def test_inactive_and_suspended_accounts_take_no_new_opportunity(seller, status, word):
    account = AccountFactory(salesperson=seller, status=status)
    with pytest.raises(ValidationError) as exc:
        create(seller, account)
    message = " ".join(exc.value.message_dict["account"])
    assert account.code in message and word in message
    assert not Opportunity.objects.exists()


def test_restricted_accounts_still_take_opportunities(seller):
    account = AccountFactory(salesperson=seller, status=Account.Status.RESTRICTED)
    assert create(seller, account).pk


def test_existing_opportunities_of_a_suspended_account_can_still_be_closed(seller, account):
    opportunity = create(seller, account)
    Account.objects.filter(pk=account.pk).update(status=Account.Status.SUSPENDED)
    assert move(seller, opportunity, "lost", lost_reason="Cuenta suspendida").stage == "lost"


def test_moving_an_opportunity_to_a_suspended_account_is_refused(seller, account):
    opportunity = create(seller, account)
    other = AccountFactory(salesperson=seller, status=Account.Status.SUSPENDED)
    with pytest.raises(ValidationError) as exc:
        services.opportunity_update(
            user=seller, opportunity=opportunity, data={"account": other}, version=1
        )
    assert "account" in exc.value.message_dict


def test_moving_an_opportunity_to_another_account_leaves_history_in_both(seller, account):
    opportunity = create(seller, account)
    other = AccountFactory(salesperson=seller)
    services.opportunity_update(
        user=seller, opportunity=opportunity, data={"account": other}, version=1
    )
    updates = HistoryEntry.objects.filter(action="update")
    assert sorted(updates.values_list("account_id", flat=True)) == sorted([account.pk, other.pk])


# ── Credit warning (SPEC §4) ────────────────────────────────────────────────────────────


@pytest.fixture
def credit_account(seller):
    return AccountFactory(
        salesperson=seller,
        payment_terms=Account.PaymentTerms.CREDIT,
        credit_days=30,
        credit_limit=Decimal("10000.00"),
    )


def test_credit_warning_when_open_and_won_amounts_pass_the_limit(seller, credit_account):
    OpportunityFactory(account=credit_account, amount=Decimal("6000.00"))
    OpportunityFactory(
        account=credit_account,
        amount=Decimal("3000.00"),
        stage="won",
        closed_at=timezone.now(),
    )
    OpportunityFactory(  # lost: not counted
        account=credit_account,
        amount=Decimal("50000.00"),
        stage="lost",
        closed_at=timezone.now(),
        lost_reason="Precio",
    )
    OpportunityFactory(account=credit_account, amount=Decimal("90000.00"), currency="MXN")
    saved = create_saved(seller, credit_account, amount=Decimal("2000.00"))
    (message,) = saved.warnings
    for figure in ["USD 2,000.00", "USD 9,000.00", "USD 11,000.00", "USD 10,000.00"]:
        assert figure in message
    assert "USD 1,000.00" in message  # the excess
    assert Opportunity.objects.filter(pk=saved.record.pk).exists()  # a warning, not a block


def test_no_credit_warning_within_the_limit(seller, credit_account):
    OpportunityFactory(account=credit_account, amount=Decimal("6000.00"))
    assert create_saved(seller, credit_account, amount=Decimal("4000.00")).warnings == ()


def test_no_credit_warning_for_cash_accounts(seller, account):
    assert create_saved(seller, account, amount=Decimal("999999.00")).warnings == ()


def test_an_updated_opportunity_is_not_counted_twice(seller, credit_account):
    opportunity = create(seller, credit_account, amount=Decimal("8000.00"))
    updated = services.opportunity_update(
        user=seller, opportunity=opportunity, data={"amount": Decimal("9000.00")}, version=1
    )
    assert updated.warnings == ()


def test_winning_past_the_limit_warns(seller, credit_account):
    OpportunityFactory(account=credit_account, amount=Decimal("7000.00"))
    saved = create_saved(seller, credit_account, amount=Decimal("5000.00"))
    assert saved.warnings
    assert move_saved(seller, saved.record, "won").warnings
    assert move_saved(seller, saved.record, "lost", lost_reason="x").warnings == ()


# ── Permissions ─────────────────────────────────────────────────────────────────────────


def test_salesperson_cannot_create_on_another_salespersons_account(seller):
    other_account = AccountFactory()
    with pytest.raises(PermissionDenied):
        create(seller, other_account)
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize("role", ["support", "viewer"])
def test_read_only_roles_cannot_create_or_move(role, account, seller):
    user = UserFactory(role=role)
    with pytest.raises(PermissionDenied):
        create(user, account)
    opportunity = create(seller, account)
    with pytest.raises(PermissionDenied):
        move(user, opportunity, "won")
    with pytest.raises(PermissionDenied):
        services.opportunity_delete(user=user, opportunity=opportunity)


def test_salesperson_cannot_give_an_opportunity_to_someone_else(seller, account):
    colleague = UserFactory(role="sales")
    with pytest.raises(PermissionDenied):
        create(seller, account, owner=colleague)
    opportunity = create(seller, account)
    with pytest.raises(PermissionDenied):
        services.opportunity_update(
            user=seller, opportunity=opportunity, data={"owner": colleague}, version=1
        )
    opportunity.refresh_from_db()
    assert opportunity.owner == seller


def test_salesperson_may_take_an_opportunity_of_their_account(seller, account):
    manager = UserFactory(role="manager")
    opportunity = create(manager, account, owner=manager)
    assert opportunity.owner == manager
    taken = services.opportunity_update(
        user=seller, opportunity=opportunity, data={"owner": seller}, version=1
    ).record
    assert taken.owner == seller


def test_manager_gives_an_opportunity_to_anyone(account):
    manager = UserFactory(role="manager")
    colleague = UserFactory(role="sales")
    assert create(manager, account, owner=colleague).owner == colleague


def test_salesperson_cannot_move_another_salespersons_opportunity(seller):
    opportunity = OpportunityFactory()
    with pytest.raises(PermissionDenied):
        move(seller, opportunity, "won")


def test_delete_records_history_and_removes_the_opportunity(seller, account):
    opportunity = create(seller, account)
    services.opportunity_delete(user=seller, opportunity=opportunity)
    assert not Opportunity.objects.exists()
    entry = HistoryEntry.objects.get(action="delete")
    assert entry.account_id == account.pk
    assert entry.object_repr == "Suministro de equipos"


def test_salesperson_cannot_delete_another_salespersons_opportunity(seller):
    opportunity = OpportunityFactory()
    with pytest.raises(PermissionDenied):
        services.opportunity_delete(user=seller, opportunity=opportunity)
    assert Opportunity.objects.filter(pk=opportunity.pk).exists()


def test_an_account_with_opportunities_cannot_be_deleted(seller, account):
    create(seller, account)
    admin = UserFactory(role="admin")
    with pytest.raises(ValidationError) as exc:
        account_services.account_delete(user=admin, account=account)
    assert "oportunidades" in " ".join(exc.value.messages)


# ── The database backs the rules up ─────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "changes",
    [
        {"stage": "won"},  # closed without closed_at
        {"closed_at": timezone.now()},  # open with closed_at
        {"stage": "lost", "closed_at": timezone.now()},  # lost without a reason
        {"lost_reason": "Precio"},  # a reason on an open opportunity
        {"amount": Decimal("-5.00")},
        {"probability": 101},
        {"stage": "archived"},
    ],
    ids=lambda changes: "-".join(changes),
)
def test_database_constraints_refuse_inconsistent_rows(changes):
    opportunity = OpportunityFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.filter(pk=opportunity.pk).update(**changes)


def test_a_move_to_the_same_stage_changes_nothing(seller, account):
    opportunity = create(seller, account, stage="proposal")
    same = move(seller, opportunity, "proposal")
    assert same.version == 1
    assert not HistoryEntry.objects.filter(action="update").exists()
