"""A reminder is sent exactly once, even with two workers sweeping at the same moment."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from clientela.activities import services
from clientela.activities.models import Notification
from clientela.activities.tests.factories import AccountFactory, ActivityFactory, UserFactory

WORKERS = 2
REMINDERS = 20


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_each_reminder_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers by design; the race is a PostgreSQL concern")
    seller = UserFactory(role="sales")
    account = AccountFactory(salesperson=seller)
    due = timezone.now() - timedelta(minutes=1)
    ids = [ActivityFactory.create(account=account, remind_at=due).pk for _ in range(REMINDERS)]
    mail.outbox = []
    barrier = threading.Barrier(WORKERS)
    sent: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            # What each worker's task does: its own activity, then the sweep.
            count = sum(services.deliver_reminder(pk) for pk in ids)
            sent.append(count + services.send_due_reminders())
        except BaseException as exc:  # re-raised in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    assert sum(sent) == REMINDERS
    assert Notification.objects.count() == REMINDERS
    assert len(mail.outbox) == REMINDERS


@pytest.mark.django_db
def test_the_task_sends_a_due_reminder_and_sweeps_others(django_capture_on_commit_callbacks):
    from clientela.activities.tasks import send_reminder

    seller = UserFactory(role="sales")
    account = AccountFactory(salesperson=seller)
    first = ActivityFactory(account=account, remind_at=timezone.now())
    ActivityFactory(account=account, remind_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        send_reminder.enqueue(first.pk)
        send_reminder.enqueue(first.pk)  # enqueued twice: still one reminder
    assert Notification.objects.count() == 2
