"""Merging two accounts: every related record moves, history follows, constraints hold,
the old code answers 301, all or nothing; and undo."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clientela.accounts.models import Account
from clientela.audit.models import HistoryEntry
from clientela.audit.selectors import history_for, history_page
from clientela.cases.models import Case
from clientela.contacts.models import Contact
from clientela.core.tests.matrix import database_snapshot
from clientela.documents.models import Document
from clientela.duplicates import services
from clientela.duplicates.models import Merge
from clientela.opportunities.models import Opportunity

from .helpers import (
    CaseFactory,
    ContactFactory,
    DocumentFactory,
    OpportunityFactory,
    UserFactory,
    new_account,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return UserFactory(username="gerente", role="manager")


@pytest.fixture
def pair(manager):
    survivor = new_account(manager)
    merged = new_account(
        manager,
        name="GRUPO RODRIGUEZ, S.A.",
        tax_id="155124-1-2019",
        email="info@gruporodriguez.com.pa",
        website="https://gruporodriguez.com.pa",
        city="David",
    )
    return survivor, merged


def _related(merged, survivor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return {
        "contacts": [ContactFactory(account=merged), ContactFactory(account=merged)],
        "opportunities": [OpportunityFactory(account=merged)],
        "cases": [CaseFactory(account=merged)],
        "documents": [DocumentFactory(account=merged)],
        "survivor_contact": ContactFactory(account=survivor),
    }


def test_merge_moves_every_related_record_and_removes_the_merged(pair, manager, settings, tmp_path):
    survivor, merged = pair
    related = _related(merged, survivor, settings, tmp_path)
    merge = services.record_merge(
        user=manager, survivor=survivor, merged=merged, values={"email": "merged"}
    )
    assert not Account.objects.filter(pk=merged.pk).exists()
    survivor.refresh_from_db()
    assert survivor.email == "info@gruporodriguez.com.pa"  # chosen: the merged one's
    assert survivor.website == "https://gruporodriguez.com.pa"  # only the merged had one
    assert survivor.city == "David"
    assert survivor.name == "Grupo Rodríguez Corp."  # default: the survivor's
    assert Contact.objects.filter(account=survivor).count() == 3
    for model, key in ((Opportunity, "opportunities"), (Case, "cases"), (Document, "documents")):
        ids = {r.pk for r in related[key]}
        assert set(model.objects.filter(account=survivor).values_list("pk", flat=True)) == ids
    # The moved records are found by the survivor's name (copied search text).
    contact = Contact.objects.get(pk=related["contacts"][0].pk)
    assert contact.account_name == survivor.name
    assert merge.merged_code == merged.code and merge.survivor_id == survivor.pk


def test_one_history_entry_and_the_merged_history_readable_on_the_survivor(pair, manager):
    survivor, merged = pair
    before = HistoryEntry.objects.count()
    merge = services.record_merge(user=manager, survivor=survivor, merged=merged)
    assert HistoryEntry.objects.count() == before + 1
    entry = HistoryEntry.objects.order_by("-id").first()
    assert entry.source == f"merge:{merge.pk}"
    assert entry.account_id == survivor.pk
    assert entry.changes["merged_record"][0] == str(merged)
    assert entry.changes["website"] == [None, "https://gruporodriguez.com.pa"]
    # The merged account's own creation shows on the survivor, marked as merged.
    entries = list(history_for(survivor))
    assert any(e.account_id == merged.pk for e in entries)
    page = history_page(survivor, 1)
    marked = [line for line in page.lines if line.merged]
    assert marked and all(line.entry.account_id == merged.pk for line in marked)


def test_two_primary_contacts_the_survivor_keeps_its_own(pair, manager):
    survivor, merged = pair
    own = ContactFactory(account=survivor, is_primary=True)
    theirs = ContactFactory(account=merged, is_primary=True)
    merge = services.record_merge(user=manager, survivor=survivor, merged=merged)
    assert list(Contact.objects.filter(account=survivor, is_primary=True)) == [own]
    theirs.refresh_from_db()
    assert theirs.account_id == survivor.pk and not theirs.is_primary
    # Undo gives the merged account its primary back.
    services.merge_undo(user=manager, merge=merge)
    theirs.refresh_from_db()
    assert theirs.account_id == merged.pk and theirs.is_primary


def test_the_survivor_may_take_the_merged_tax_id(pair, manager):
    survivor, merged = pair
    services.record_merge(
        user=manager,
        survivor=survivor,
        merged=merged,
        values={"tax_id": "merged", "tax_dv": "merged"},
    )
    survivor.refresh_from_db()
    assert survivor.tax_id == merged.tax_id


def test_all_or_nothing_under_a_forced_failure(pair, manager, monkeypatch, settings, tmp_path):
    survivor, merged = pair
    _related(merged, survivor, settings, tmp_path)
    before = database_snapshot()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_history_entry", boom)
    with pytest.raises(RuntimeError):
        services.record_merge(user=manager, survivor=survivor, merged=merged)
    assert database_snapshot() == before
    assert not Merge.objects.exists()


def test_a_merge_that_breaks_a_rule_changes_nothing(pair, manager):
    survivor, merged = pair
    before = database_snapshot()
    with pytest.raises(ValidationError):
        services.record_merge(
            user=manager, survivor=survivor, merged=merged, values={"name": "maybe"}
        )
    with pytest.raises(ValidationError):
        services.record_merge(user=manager, survivor=survivor, merged=survivor)
    assert database_snapshot() == before


@pytest.mark.parametrize(
    ("role", "owns_both", "allowed"),
    [
        ("admin", False, True),
        ("manager", False, True),
        ("sales", True, True),
        ("sales", False, False),
        ("support", False, False),
        ("viewer", False, False),
    ],
)
def test_permission_matrix(role, owns_both, allowed, pair, manager):
    survivor, merged = pair
    user = UserFactory(username=f"u-{role}", role=role)
    Account.objects.filter(pk=survivor.pk).update(salesperson=user)
    if owns_both:
        Account.objects.filter(pk=merged.pk).update(salesperson=user)
    survivor.refresh_from_db()
    merged.refresh_from_db()
    before = database_snapshot()
    if allowed:
        services.record_merge(user=user, survivor=survivor, merged=merged)
        assert not Account.objects.filter(pk=merged.pk).exists()
    else:
        with pytest.raises(PermissionDenied):
            services.record_merge(user=user, survivor=survivor, merged=merged)
        assert database_snapshot() == before


def test_undo_restores_exactly(pair, manager, settings, tmp_path):
    survivor, merged = pair
    related = _related(merged, survivor, settings, tmp_path)
    merged_values = Account.objects.filter(pk=merged.pk).values().get()
    survivor_values = Account.objects.filter(pk=survivor.pk).values().get()
    merge = services.record_merge(
        user=manager, survivor=survivor, merged=merged, values={"email": "merged"}
    )
    services.merge_undo(user=manager, merge=merge)
    back = Account.objects.filter(pk=merged.pk).values().get()
    ignored = {"version", "updated_at", "updated_by_id"}
    assert {k: v for k, v in back.items() if k not in ignored} == {
        k: v for k, v in merged_values.items() if k not in ignored
    }
    now = Account.objects.filter(pk=survivor.pk).values().get()
    assert {k: v for k, v in now.items() if k not in ignored} == {
        k: v for k, v in survivor_values.items() if k not in ignored
    }
    assert set(Contact.objects.filter(account_id=merged.pk).values_list("pk", flat=True)) == {
        c.pk for c in related["contacts"]
    }
    assert Opportunity.objects.get(pk=related["opportunities"][0].pk).account_id == merged.pk
    assert Case.objects.get(pk=related["cases"][0].pk).account_id == merged.pk
    assert Document.objects.get(pk=related["documents"][0].pk).account_id == merged.pk
    assert Contact.objects.get(pk=related["survivor_contact"].pk).account_id == survivor.pk
    merge.refresh_from_db()
    assert merge.undone_at is not None
    # The merged history leaves the survivor's again.
    assert not any(
        e.account_id == merged.pk for e in history_for(Account.objects.get(pk=survivor.pk))
    )


def test_undo_keeps_changes_made_to_the_survivor_since(pair, manager):
    survivor, merged = pair
    merge = services.record_merge(
        user=manager, survivor=survivor, merged=merged, values={"email": "merged"}
    )
    survivor.refresh_from_db()
    from clientela.accounts import services as account_services

    account_services.account_update(
        user=manager,
        account=survivor,
        data={"email": "nuevo@gruporodriguez.com.pa", "city": "Colón"},
        version=survivor.version,
    )
    services.merge_undo(user=manager, merge=merge)
    survivor.refresh_from_db()
    assert survivor.email == "nuevo@gruporodriguez.com.pa"
    assert survivor.city == "Colón"
    assert survivor.website == ""  # the merge's own change is taken back


def test_undo_refused_with_a_reason_when_a_moved_record_was_deleted(pair, manager):
    survivor, merged = pair
    contact = ContactFactory(account=merged)
    merge = services.record_merge(user=manager, survivor=survivor, merged=merged)
    Contact.objects.filter(pk=contact.pk).delete()
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        services.merge_undo(user=manager, merge=merge)
    assert "eliminado" in str(refused.value)  # says why, in the user's language
    assert database_snapshot() == before
    merge.refresh_from_db()
    assert merge.undone_at is None


def test_undo_refused_after_the_undo_period(pair, manager, settings):
    survivor, merged = pair
    merge = services.record_merge(user=manager, survivor=survivor, merged=merged)
    Merge.objects.filter(pk=merge.pk).update(at=timezone.now() - timedelta(days=31))
    merge.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.merge_undo(user=manager, merge=merge)
    assert "30" in str(refused.value)
    settings.CLIENTELA_MERGE_UNDO_DAYS = 60
    services.merge_undo(user=manager, merge=merge)
    assert Account.objects.filter(pk=merged.pk).exists()


def test_undo_twice_is_refused(pair, manager):
    survivor, merged = pair
    merge = services.record_merge(user=manager, survivor=survivor, merged=merged)
    services.merge_undo(user=manager, merge=merge)
    with pytest.raises(ValidationError):
        services.merge_undo(user=manager, merge=merge)


def test_a_merged_code_is_never_reused(pair, manager):
    survivor, merged = pair
    services.record_merge(user=manager, survivor=survivor, merged=merged)
    fresh = new_account(manager, name="Otra Empresa", tax_id="155999-1-2019", email="x@otra.com")
    assert fresh.code != merged.code
