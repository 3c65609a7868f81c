from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row per running task worker, touched every few seconds while it lives (also
    while it runs a long task). /readyz wants a recent one; the lost-task reaper gives a
    running task back to the queue when its worker's row went stale (a kill -9, a lost
    machine)."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last seen at"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker_id}@{self.hostname}:{self.pid}"


class TaskOrigin(models.Model):
    """The request that enqueued a task, so the worker's log lines for that task carry
    the same request id as the web request's (one search finds both)."""

    task = models.OneToOneField(
        "django_tasks_database.DBTaskResult",
        verbose_name=_("task"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="origin",
    )
    request_id = models.CharField(_("request id"), max_length=128)

    class Meta:
        verbose_name = _("task origin")
        verbose_name_plural = _("task origins")

    def __str__(self) -> str:
        return self.request_id
