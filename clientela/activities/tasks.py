"""Reminders on the project's one task framework (django-tasks with its database backend;
`make run` starts the worker, as for imports)."""

from django_tasks import task

from . import services


@task()
def send_reminder(activity_id: int) -> bool:
    """Send one activity's reminder (queued for its time). Also sweeps any other due
    reminder, so one whose task was lost still goes out with the next."""
    sent = services.deliver_reminder(activity_id)
    services.send_due_reminders()
    return sent
