"""Remembers which request enqueued a task (see models.TaskOrigin); forgets the request
id once the response is closed."""

from typing import Any

from django.core.signals import request_finished
from django.dispatch import receiver
from django_tasks.signals import task_enqueued
from django_tasks_db.backend import DatabaseBackend

from . import request_id
from .models import TaskOrigin


@receiver(task_enqueued)
def record_task_origin(sender: type, task_result: Any, **kwargs: Any) -> None:
    origin = request_id.current.get()
    # Only the database backend has a row to attach to; inline backends run the task
    # inside the request, under its id already.
    if origin and issubclass(sender, DatabaseBackend):
        TaskOrigin.objects.create(task_id=task_result.id, request_id=origin)


@receiver(request_finished)
def forget_request_id(sender: Any, **kwargs: Any) -> None:
    request_id.current.set("")
