from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clientela.activities import services
from clientela.activities.models import Activity, Notification, UserAgenda
from clientela.activities.tests.factories import AccountFactory, ActivityFactory, UserFactory
from clientela.audit.models import HistoryEntry
from clientela.cases.tests.factories import ContactFactory


@pytest.fixture
def seller(db):
    return UserFactory(role="sales")


@pytest.fixture
def own_account(seller):
    return AccountFactory(salesperson=seller)


def test_create_logs_a_call_done_with_history(seller, own_account):
    saved = services.activity_create(
        user=seller,
        data={"account": own_account, "subject": "Llamé", "result": "answered"},
        done=True,
    )
    activity = saved.record
    assert activity.done and activity.done_by == seller and activity.done_at is not None
    assert activity.assigned_to == seller
    entry = HistoryEntry.objects.get(object_id=str(activity.pk))
    assert entry.account_id == own_account.pk


def test_history_reads_feminine(seller, own_account, client):
    services.activity_create(user=seller, data={"account": own_account, "subject": "Visita"})
    client.force_login(seller)
    html = client.get(f"/accounts/{own_account.code}/").content.decode()
    assert "Creada" in html


def test_salesperson_cannot_add_to_other_account(seller):
    other = AccountFactory()
    with pytest.raises(PermissionDenied):
        services.activity_create(user=seller, data={"account": other, "subject": "No"})
    assert not Activity.objects.exists()


def test_contact_of_another_account_is_refused(seller, own_account):
    stranger = ContactFactory()
    with pytest.raises(ValidationError) as exc:
        services.activity_create(
            user=seller, data={"account": own_account, "subject": "X", "contact": stranger}
        )
    assert "contact" in exc.value.message_dict


def test_only_calls_have_a_result_and_only_tasks_a_due_date(seller, own_account):
    with pytest.raises(ValidationError) as exc:
        services.activity_create(
            user=seller,
            data={
                "account": own_account,
                "subject": "Nota",
                "kind": "note",
                "result": "answered",
                "due_date": timezone.localdate(),
            },
        )
    assert {"result", "due_date"} <= set(exc.value.message_dict)


def test_done_and_undone_stamp_and_clear(seller, own_account):
    activity = ActivityFactory(account=own_account)
    saved = services.activity_set_done(
        user=seller, activity=activity, done=True, result="no_answer"
    )
    assert (
        saved.record.done and saved.record.done_by == seller and saved.record.result == "no_answer"
    )
    again = services.activity_set_done(user=seller, activity=saved.record, done=True)
    assert not again.changed  # a repeated click changes nothing
    undone = services.activity_set_done(user=seller, activity=saved.record, done=False)
    assert (
        not undone.record.done and undone.record.done_at is None and undone.record.done_by is None
    )


def test_reschedule_moves_end_and_reminder(seller, own_account):
    start = timezone.now() + timedelta(hours=1)
    activity = ActivityFactory(
        account=own_account,
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        remind_at=start - timedelta(minutes=15),
    )
    new = start + timedelta(days=1)
    record = services.activity_reschedule(user=seller, activity=activity, starts_at=new).record
    assert record.starts_at == new
    assert record.ends_at == new + timedelta(minutes=30)
    assert record.remind_at == new - timedelta(minutes=15)
    assert record.agenda_at == new


def test_task_agenda_is_its_due_date(seller, own_account):
    due = timezone.localdate() + timedelta(days=3)
    record = services.activity_create(
        user=seller,
        data={"account": own_account, "subject": "Enviar", "kind": "task", "due_date": due},
    ).record
    assert timezone.localtime(record.agenda_at).date() == due


def test_assigned_salesperson_works_activity_on_colleagues_account(seller):
    activity = ActivityFactory(account=AccountFactory(), assigned_to=seller)
    saved = services.activity_set_done(user=seller, activity=activity, done=True)
    assert saved.record.done


# ── Reminders ───────────────────────────────────────────────────────────────────────────────────


def test_reminder_is_sent_once_with_notification_and_email(
    seller, own_account, django_capture_on_commit_callbacks
):
    activity = ActivityFactory(
        account=own_account, remind_at=timezone.now() - timedelta(minutes=1), subject="Cotizar"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deliver_reminder(activity.pk) is True
        assert services.deliver_reminder(activity.pk) is False
    assert services.send_due_reminders() == 0
    assert Notification.objects.filter(user=seller, activity=activity).count() == 1
    assert len(mail.outbox) == 1
    assert "Cotizar" in mail.outbox[0].subject


def test_reminder_not_due_is_not_sent(seller, own_account):
    activity = ActivityFactory(account=own_account, remind_at=timezone.now() + timedelta(hours=1))
    assert services.deliver_reminder(activity.pk) is False
    assert not Notification.objects.exists()


def test_reminder_email_in_users_language(seller, own_account, django_capture_on_commit_callbacks):
    UserAgenda.objects.create(user=seller, language="en")
    activity = ActivityFactory(account=own_account, remind_at=timezone.now(), subject="Cotizar")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.deliver_reminder(activity.pk)
    assert mail.outbox[0].subject.startswith("Reminder:")
    assert Notification.objects.get().message.startswith("Reminder:")


def test_reminder_email_in_spanish_by_default(
    seller, own_account, django_capture_on_commit_callbacks
):
    activity = ActivityFactory(account=own_account, remind_at=timezone.now(), subject="Cotizar")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.deliver_reminder(activity.pk)
    assert mail.outbox[0].subject.startswith("Recordatorio:")


def test_changing_the_reminder_sends_it_again(seller, own_account):
    activity = ActivityFactory(account=own_account, remind_at=timezone.now())
    services.deliver_reminder(activity.pk)
    activity.refresh_from_db()
    services.activity_update(
        user=seller,
        activity=activity,
        data={"remind_at": timezone.now() - timedelta(seconds=1)},
        version=activity.version,
    )
    Notification.objects.all().delete()
    assert services.deliver_reminder(activity.pk) is True


def test_feed_token_revoked_is_new(seller):
    first = services.calendar_feed_for(user=seller).token
    assert services.calendar_feed_revoke(user=seller).token != first
