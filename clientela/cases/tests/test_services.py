"""Every rule of a case (SPEC §5), at the service level."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import override

from clientela.accounts.models import Account
from clientela.audit.models import HistoryEntry
from clientela.cases import services
from clientela.cases.models import Case, CaseComment
from clientela.cases.tests.factories import (
    AccountFactory,
    CaseCommentFactory,
    CaseFactory,
    ContactFactory,
    UserFactory,
)
from clientela.core.exceptions import StaleVersionError

pytestmark = pytest.mark.django_db

HOURS = {"urgent": 4, "high": 24, "normal": 72, "low": 120}


@pytest.fixture
def support():
    return UserFactory(role="support")


@pytest.fixture
def account():
    return AccountFactory()


def open_case(user, account, **data):
    return services.case_create(
        user=user, data={"account": account, "subject": "No llega la factura", **data}
    ).record


# ── Opening ─────────────────────────────────────────────────────────────────────────────────────


def test_opening_issues_sequential_numbers_and_starts_new(support, account):
    first = open_case(support, account)
    second = open_case(support, account)
    assert first.number == "K-000001"
    assert second.number == "K-000002"
    assert first.status == Case.Status.NEW
    assert first.created_by == support and first.version == 1


@pytest.mark.parametrize("priority", ["urgent", "high", "normal", "low"])
def test_due_at_follows_the_priority_response_time(support, account, priority):
    case = open_case(support, account, priority=priority)
    assert case.due_at - case.opened_at == timedelta(hours=HOURS[priority])


def test_response_hours_come_from_settings(support, account, settings):
    settings.CASE_RESPONSE_HOURS = {**settings.CASE_RESPONSE_HOURS, "urgent": 1}
    case = open_case(support, account, priority="urgent")
    assert case.due_at - case.opened_at == timedelta(hours=1)


def test_opening_records_history_on_the_account(support, account):
    case = open_case(support, account)
    entry = HistoryEntry.objects.get(object_id=str(case.pk), content_type__model="case")
    assert entry.action == "create"
    assert entry.account_id == account.pk
    assert entry.changes["subject"] == [None, "No llega la factura"]


def test_contact_of_the_account_is_accepted(support, account):
    contact = ContactFactory(account=account)
    case = open_case(support, account, contact=contact)
    assert case.contact == contact
    assert contact.last_name.lower() in case.search_text


def test_contact_of_another_account_is_refused(support, account):
    stranger = ContactFactory(account=AccountFactory())
    with pytest.raises(ValidationError) as exc:
        open_case(support, account, contact=stranger)
    assert "contact" in exc.value.message_dict
    assert not Case.objects.exists()


def test_contact_without_account_is_refused(support, account):
    loose = ContactFactory(account=None)
    with pytest.raises(ValidationError) as exc:
        open_case(support, account, contact=loose)
    assert "contact" in exc.value.message_dict


def test_subject_is_required(support, account):
    with pytest.raises(ValidationError) as exc:
        open_case(support, account, subject="  ")
    assert "subject" in exc.value.message_dict


def test_account_is_required(support):
    with pytest.raises(ValidationError) as exc:
        services.case_create(user=support, data={"subject": "Sin cuenta"})
    assert "account" in exc.value.message_dict


@pytest.mark.parametrize("status", ["suspended", "restricted", "inactive"])
def test_accounts_of_any_status_can_still_open_cases(support, status):
    account = AccountFactory(status=status)
    assert open_case(support, account).status == Case.Status.NEW


def test_salesperson_opens_cases_only_for_own_accounts():
    seller = UserFactory(role="sales")
    open_case(seller, AccountFactory(salesperson=seller))
    with pytest.raises(PermissionDenied):
        open_case(seller, AccountFactory())
    assert Case.objects.count() == 1


def test_viewer_cannot_open_cases(account):
    with pytest.raises(PermissionDenied):
        open_case(UserFactory(role="viewer"), account)


def test_assignee_must_be_able_to_work_the_account(support, account):
    case = open_case(support, account, assignee=UserFactory(role="support"))
    assert case.assignee is not None
    for outsider in [UserFactory(role="viewer"), UserFactory(role="sales")]:
        with pytest.raises(ValidationError) as exc:
            open_case(support, account, assignee=outsider)
        assert "assignee" in exc.value.message_dict
    # The account's own salesperson can take its cases.
    assert open_case(support, account, assignee=account.salesperson).assignee_id


def test_search_text_holds_number_subject_account_and_contact(support):
    account = AccountFactory(name="Distribuidora Panamá, S.A.")
    contact = ContactFactory(account=account, first_name="Begoña", last_name="Ramírez")
    case = open_case(support, account, contact=contact, subject="Factura electrónica")
    for word in ["k-000001", "factura electronica", account.code.lower(), "panama", "begona"]:
        assert word in case.search_text


# ── Editing ─────────────────────────────────────────────────────────────────────────────────────


def test_priority_change_recomputes_due_at_from_the_opening(support, account):
    case = open_case(support, account, priority="low")
    opened = case.opened_at
    updated = services.case_update(
        user=support, case=case, data={"priority": "urgent"}, version=case.version
    ).record
    assert updated.opened_at == opened
    assert updated.due_at == opened + timedelta(hours=4)
    assert updated.version == 2
    entry = HistoryEntry.objects.filter(action="update").get()
    assert entry.changes["priority"] == ["low", "urgent"]
    assert "due_at" in entry.changes


def test_stale_version_is_refused(support, account):
    case = open_case(support, account)
    services.case_update(user=support, case=case, data={"subject": "Primera"}, version=1)
    with pytest.raises(StaleVersionError):
        services.case_update(user=support, case=case, data={"subject": "Segunda"}, version=1)
    case.refresh_from_db()
    assert case.subject == "Primera"


def test_edit_cannot_move_the_contact_to_another_account(support, account):
    case = open_case(support, account)
    stranger = ContactFactory(account=AccountFactory())
    with pytest.raises(ValidationError):
        services.case_update(user=support, case=case, data={"contact": stranger}, version=1)


def test_a_closed_case_is_not_edited(support):
    case = CaseFactory(status=Case.Status.CLOSED)
    with pytest.raises(ValidationError):
        services.case_update(user=support, case=case, data={"subject": "Otro"}, version=1)


def test_unknown_fields_are_not_editable(support, account):
    case = open_case(support, account)
    with pytest.raises(ValueError):
        services.case_update(user=support, case=case, data={"status": "closed"}, version=1)


def test_viewer_cannot_edit(account):
    case = CaseFactory(account=account)
    with pytest.raises(PermissionDenied):
        services.case_update(
            user=UserFactory(role="viewer"), case=case, data={"subject": "X"}, version=1
        )


# ── Status workflow ─────────────────────────────────────────────────────────────────────────────


def test_resolving_needs_a_resolution(support):
    case = CaseFactory(status=Case.Status.IN_PROGRESS)
    with pytest.raises(ValidationError) as exc:
        services.case_change_status(
            user=support, case=case, status="resolved", resolution="  ", version=1
        )
    assert "resolution" in exc.value.message_dict
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS


def test_resolving_records_resolution_and_time(support):
    case = CaseFactory(status=Case.Status.IN_PROGRESS)
    resolved = services.case_change_status(
        user=support, case=case, status="resolved", resolution=" Se reenvió. ", version=1
    ).record
    assert resolved.status == Case.Status.RESOLVED
    assert resolved.resolution == "Se reenvió."
    assert resolved.resolved_at is not None
    entry = HistoryEntry.objects.get(action="update")
    assert entry.changes["status"] == ["in_progress", "resolved"]


def test_closing_a_resolved_case_keeps_its_resolution(support):
    case = CaseFactory(status=Case.Status.RESOLVED, resolution="Listo.")
    resolved_at = case.resolved_at
    closed = services.case_change_status(user=support, case=case, status="closed", version=1).record
    assert closed.status == Case.Status.CLOSED
    assert closed.resolution == "Listo."
    assert closed.resolved_at == resolved_at


@pytest.mark.parametrize("source", ["resolved", "closed"])
def test_reopening_goes_to_in_progress_and_clears_the_resolution(support, source):
    case = CaseFactory(status=source, resolution="Primera solución.")
    reopened = services.case_change_status(
        user=support, case=case, status="in_progress", version=1
    ).record
    assert reopened.status == Case.Status.IN_PROGRESS
    assert reopened.resolved_at is None
    assert reopened.resolution == ""
    entry = HistoryEntry.objects.get(action="update")
    assert entry.changes["status"] == [source, "in_progress"]
    assert entry.changes["resolution"] == ["Primera solución.", None]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("new", "closed"),
        ("in_progress", "new"),
        ("in_progress", "closed"),
        ("waiting_customer", "closed"),
        ("resolved", "waiting_customer"),
        ("resolved", "new"),
        ("closed", "resolved"),
        ("closed", "waiting_customer"),
        ("closed", "new"),
        ("new", "bogus"),
    ],
)
def test_invalid_transitions_are_refused(support, source, target):
    case = CaseFactory(status=source)
    with override("es"), pytest.raises(ValidationError) as exc:
        services.case_change_status(
            user=support, case=case, status=target, resolution="algo", version=1
        )
    message = exc.value.message_dict["status"][0]
    assert "no puede pasar" in message
    case.refresh_from_db()
    assert case.status == source and case.version == 1


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("new", "in_progress"),
        ("new", "waiting_customer"),
        ("new", "resolved"),
        ("in_progress", "waiting_customer"),
        ("waiting_customer", "in_progress"),
        ("waiting_customer", "resolved"),
        ("resolved", "closed"),
    ],
)
def test_valid_transitions_are_accepted(support, source, target):
    case = CaseFactory(status=source)
    moved = services.case_change_status(
        user=support, case=case, status=target, resolution="Hecho.", version=1
    ).record
    assert moved.status == target and moved.version == 2


def test_the_same_status_again_changes_nothing(support):
    case = CaseFactory(status=Case.Status.IN_PROGRESS)
    services.case_change_status(user=support, case=case, status="in_progress", version=1)
    case.refresh_from_db()
    assert case.version == 1
    assert not HistoryEntry.objects.exists()


def test_status_change_checks_the_version(support):
    case = CaseFactory(status=Case.Status.IN_PROGRESS)
    with pytest.raises(StaleVersionError):
        services.case_change_status(user=support, case=case, status="waiting_customer", version=7)


def test_viewer_and_other_salesperson_cannot_change_status():
    case = CaseFactory(status=Case.Status.IN_PROGRESS)
    for user in [UserFactory(role="viewer"), UserFactory(role="sales")]:
        with pytest.raises(PermissionDenied):
            services.case_change_status(user=user, case=case, status="waiting_customer", version=1)
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS


def test_database_refuses_a_resolved_case_without_resolution():
    case = CaseFactory(status=Case.Status.IN_PROGRESS)
    Case.objects.filter(pk=case.pk).update(resolution="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status="resolved", resolved_at=timezone.now())


def test_database_refuses_a_resolved_case_without_resolved_at():
    case = CaseFactory(status=Case.Status.IN_PROGRESS)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status="closed", resolution="x")


def test_database_refuses_unknown_status_and_priority():
    case = CaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status="archived")
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(priority="critical")


# ── Assigning ───────────────────────────────────────────────────────────────────────────────────


def test_taking_a_new_case_assigns_it_and_starts_it(support):
    case = CaseFactory()
    taken = services.case_assign(user=support, case=case, assignee=support).record
    assert taken.assignee == support
    assert taken.status == Case.Status.IN_PROGRESS
    entry = HistoryEntry.objects.get(action="update")
    assert set(entry.changes) == {"assignee", "status"}


def test_assigning_a_waiting_case_keeps_its_status(support):
    case = CaseFactory(status=Case.Status.WAITING_CUSTOMER)
    assert services.case_assign(user=support, case=case, assignee=support).record.status == (
        Case.Status.WAITING_CUSTOMER
    )


def test_unassigning(support):
    case = CaseFactory(status=Case.Status.IN_PROGRESS, assignee=support)
    assert services.case_assign(user=support, case=case, assignee=None).record.assignee is None


def test_viewer_cannot_take_a_case():
    viewer = UserFactory(role="viewer")
    case = CaseFactory()
    with pytest.raises(PermissionDenied):
        services.case_assign(user=viewer, case=case, assignee=viewer)


def test_a_case_cannot_go_to_someone_who_cannot_work_it(support):
    case = CaseFactory()
    with pytest.raises(ValidationError):
        services.case_assign(user=support, case=case, assignee=UserFactory(role="viewer"))
    case.refresh_from_db()
    assert case.assignee is None and case.status == Case.Status.NEW


# ── Comments and deletion ──────────────────────────────────────────────────────────────────────


def test_commenting_adds_to_the_thread_and_history(support):
    case = CaseFactory()
    comment = services.case_comment(user=support, case=case, body="  Llamé al cliente.\n ").record
    assert comment.body == "Llamé al cliente."
    assert comment.author == support
    entry = HistoryEntry.objects.get(content_type__model="casecomment")
    assert entry.account_id == case.account_id


def test_blank_comment_is_refused(support):
    with pytest.raises(ValidationError):
        services.case_comment(user=support, case=CaseFactory(), body=" \n ")
    assert not CaseComment.objects.exists()


def test_closed_cases_still_take_comments(support):
    case = CaseFactory(status=Case.Status.CLOSED)
    assert services.case_comment(user=support, case=case, body="El cliente escribió.").record.pk


def test_viewer_and_other_salesperson_cannot_comment():
    case = CaseFactory()
    for user in [UserFactory(role="viewer"), UserFactory(role="sales")]:
        with pytest.raises(PermissionDenied):
            services.case_comment(user=user, case=case, body="Hola")
    assert not CaseComment.objects.exists()


def test_manager_deletes_a_case_with_its_thread():
    case = CaseFactory()
    CaseCommentFactory.create_batch(2, case=case)
    services.case_delete(user=UserFactory(role="manager"), case=case)
    assert not Case.objects.exists() and not CaseComment.objects.exists()
    assert HistoryEntry.objects.get(action="delete").account_id == case.account_id


@pytest.mark.parametrize("role", ["sales", "support", "viewer"])
def test_other_roles_cannot_delete_cases(role):
    user = UserFactory(role=role)
    case = CaseFactory(account=AccountFactory(salesperson=user))
    with pytest.raises(PermissionDenied):
        services.case_delete(user=user, case=case)
    assert Case.objects.exists()


def test_a_case_protects_its_account_from_deletion():
    from clientela.accounts.services import account_delete

    case = CaseFactory()
    with pytest.raises(ValidationError):
        account_delete(user=UserFactory(role="admin"), account=case.account)
    assert Account.objects.filter(pk=case.account_id).exists()


def test_editing_keeps_an_assignee_who_has_since_lost_the_account(support):
    seller = UserFactory(role="sales")
    case = CaseFactory(account=AccountFactory(salesperson=seller), assignee=seller)
    Account.objects.filter(pk=case.account_id).update(salesperson=UserFactory(role="sales"))
    updated = services.case_update(
        user=support,
        case=case,
        data={"subject": "Asunto corregido", "assignee": seller},
        version=1,
    ).record
    assert updated.subject == "Asunto corregido" and updated.assignee == seller


def test_renaming_the_account_keeps_its_cases_findable_by_the_new_name(support, account):
    from clientela.accounts import services as account_services
    from clientela.accounts.tests.factories import UserFactory

    case = open_case(support, account)
    account_services.account_update(
        user=UserFactory(role="manager"),
        account=account,
        data={"name": "Ferretería Ñandú"},
        version=account.version,
    )
    case.refresh_from_db()
    assert "ferreteria nandu" in case.search_text


def test_saving_an_account_without_renaming_it_leaves_its_cases_alone(support, account):
    from clientela.accounts import services as account_services
    from clientela.accounts.signals import account_renamed
    from clientela.accounts.tests.factories import UserFactory

    open_case(support, account)
    calls = []
    account_renamed.connect(lambda **kw: calls.append(kw), weak=False, dispatch_uid="t-spy")
    try:
        account_services.account_update(
            user=UserFactory(role="manager"),
            account=account,
            data={"city": "David"},
            version=account.version,
        )
    finally:
        account_renamed.disconnect(dispatch_uid="t-spy")
    assert calls == []
