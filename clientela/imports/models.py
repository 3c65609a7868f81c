"""An import run (SPEC §9): one uploaded file, its column mapping, what checking it found
and what committing it wrote. The run is the audit record of the import: who, when,
which file, the counts and every refused row (line, column, message)."""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def import_file_path(instance: "ImportRun", filename: str) -> str:
    # Never the user's file name on disk: a random one (the original is kept in file_name).
    return f"imports/{uuid.uuid4().hex}"


class ImportRun(models.Model):
    class Kind(models.TextChoices):
        ACCOUNTS = "accounts", _("Accounts")
        CONTACTS = "contacts", _("Contacts")

    class Mode(models.TextChoices):
        UPSERT = "upsert", _("Create and update")
        CREATE = "create", _("Create only")
        UPDATE = "update", _("Update only")

    class Status(models.TextChoices):
        # Uploaded and mapped, waiting for the worker.
        QUEUED = "queued", _("Queued")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        WRITING = "writing", _("Importing")
        DONE = "done", _("Imported")
        REFUSED = "refused", _("Not imported")
        FAILED = "failed", _("Failed")

    RUNNING = (Status.QUEUED, Status.CHECKING, Status.WRITING)

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.UPSERT)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    # True while the run only checks (the preview); False once the user asked to import.
    dry_run = models.BooleanField(_("dry run"), default=True)
    file = models.FileField(_("file"), upload_to=import_file_path, max_length=200)
    file_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=10)
    file_size = models.PositiveBigIntegerField(_("size"), default=0)
    # The file's header row as read, the line it is on, and what each column feeds:
    # {"0": "name", "3": ""} ("" = ignored).
    headers = models.JSONField(default=list, blank=True)
    header_line = models.PositiveIntegerField(default=1)
    mapping = models.JSONField(default=dict, blank=True)
    # The language the user works in: refusals are written in it.
    language = models.CharField(max_length=10, default="es")
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    refused = models.PositiveIntegerField(_("refused"), default=0)
    # [{"line": 7, "column": "RUC", "field": "tax_id", "message": "…"}, …] (at most
    # REFUSALS_KEPT; `refused` counts them all).
    refusals = models.JSONField(default=list, blank=True)
    # A check's new accounts that look like existing ones: [{line, name, matches}].
    possible_duplicates = models.JSONField(default=list, blank=True)
    # A problem with the file as a whole (unreadable, no header, too many rows).
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Last sign of life of the worker running it: a run that stops beating was killed.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["accounts", "contacts"]), name="import_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(mode__in=["upsert", "create", "update"]),
                name="import_mode_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "queued",
                        "checking",
                        "checked",
                        "writing",
                        "done",
                        "refused",
                        "failed",
                    ]
                ),
                name="import_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="import_user_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("import_detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    def mapped_fields(self) -> dict[int, str]:
        return {int(k): v for k, v in self.mapping.items() if v}

    def progress_values(self) -> dict[str, Any]:
        return {
            "rows_checked": self.rows_checked,
            "rows_written": self.rows_written,
            "total_rows": self.total_rows,
        }
