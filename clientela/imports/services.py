"""Every write about imports: uploading a file, changing its mapping, asking for the
preview or the commit, and running them (in the worker, or in the command)."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clientela.core.access import require
from clientela.users.models import User

from .mapping import field_specs
from .models import ImportRun
from .readers import read_sheet
from .runner import REFUSALS_KEPT, Summary, execute, layout, model_for


def _check_size(upload: Any) -> None:
    if upload is None:
        raise ValidationError({"file": _("Choose a file to import.")}, code="required")
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")}, code="empty")
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(size)s MB.")
                % {"size": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
            },
            code="too_large",
        )


def may_import(user: User, kind: str) -> bool:
    from clientela.core.access import may

    return may(user, "add", model_for(kind))


@transaction.atomic
def import_upload(
    *,
    user: User,
    kind: str,
    upload: UploadedFile,
    mode: str = ImportRun.Mode.UPSERT,
    dry_run: bool = True,
    queue: bool = True,
) -> ImportRun:
    """Keep the file, find its header row and map its columns, and queue its preview (or,
    with `dry_run=False`, straight its commit: it checks every row anyway and writes
    nothing if one is refused). A file that cannot be imported at all (empty, damaged,
    no header, too large) is refused here, beside the file field."""
    if kind not in ImportRun.Kind.values:
        raise ValidationError({"kind": _("Choose what to import.")})
    if mode not in ImportRun.Mode.values:
        raise ValidationError({"mode": _("Select a valid choice.")})
    require(user, "add", model_for(kind))
    _check_size(upload)
    try:
        sheet = read_sheet(upload, upload.name or "")
        found = layout(sheet, kind)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}, code="unreadable") from None
    upload.seek(0)
    run = ImportRun(
        kind=kind,
        mode=mode,
        file_name=(upload.name or "import")[-255:],
        file_format=sheet.file_format,
        file_size=upload.size or 0,
        headers=found.headers,
        header_line=found.header_line,
        mapping=found.mapping,
        total_rows=len(sheet.rows) - found.header_index - 1,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        created_by=user,
    )
    run.file.save("upload", upload, save=False)
    run.save()
    if queue:
        _enqueue(run, dry_run=dry_run)
    return run


def missing_required(run: ImportRun) -> list[str]:
    """Fields a new record needs that no column feeds."""
    mapped = set(run.mapped_fields().values())
    missing = []
    for spec in field_specs(run.kind):
        if spec.required and spec.name not in mapped:
            if run.kind == ImportRun.Kind.CONTACTS and "full_name" in mapped:
                continue
            missing.append(spec.name)
    return missing


def _require_owner(user: User, run: ImportRun) -> None:
    if run.created_by_id != user.pk:
        raise PermissionDenied("imports")
    require(user, "add", model_for(run.kind))


@transaction.atomic
def import_remap(*, user: User, run: ImportRun, mapping: dict[str, str], mode: str) -> ImportRun:
    """A new mapping (and mode) for the file: checked again from the start."""
    _require_owner(user, run)
    if run.is_running or run.status == ImportRun.Status.DONE:
        raise ValidationError(_("This import is running or done: it cannot change now."))
    allowed = {spec.name for spec in field_specs(run.kind)}
    clean: dict[str, str] = {}
    taken: set[str] = set()
    errors: list[str] = []
    for index in range(len(run.headers)):
        field = mapping.get(str(index), "") or ""
        if field and field not in allowed:
            errors.append(_("Select a valid choice."))
            continue
        if field and field in taken:
            errors.append(
                _("Two columns feed the same field: %(header)s.") % {"header": run.headers[index]}
            )
            continue
        if field:
            taken.add(field)
        clean[str(index)] = field
    if mode not in ImportRun.Mode.values:
        errors.append(_("Select a valid choice."))
    if errors:
        raise ValidationError({"mapping": errors})
    run.mapping = clean
    run.mode = mode
    run.save(update_fields=["mapping", "mode"])
    _enqueue(run, dry_run=True)
    return run


@transaction.atomic
def import_commit(*, user: User, run: ImportRun) -> ImportRun:
    """Import every row of a checked file (all or nothing), in the background."""
    _require_owner(user, run)
    if run.status != ImportRun.Status.CHECKED:
        raise ValidationError(_("Only a checked import can be imported."), code="state")
    if run.refused:
        raise ValidationError(
            _("Fix the refused rows first: nothing is imported while a row is refused."),
            code="refused",
        )
    _enqueue(run, dry_run=False)
    return run


def _enqueue(run: ImportRun, *, dry_run: bool) -> None:
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.QUEUED,
        dry_run=dry_run,
        rows_checked=0,
        rows_written=0,
        error="",
        finished_at=None,
    )
    run.status, run.dry_run = ImportRun.Status.QUEUED, dry_run
    # After the upload commits: the worker must find the run (and the file) saved.
    transaction.on_commit(lambda: _send(run.pk))


def _send(run_id: int) -> None:
    from .tasks import process_import

    result = process_import.enqueue(run_id)
    ImportRun.objects.filter(pk=run_id).update(task_id=str(result.id))


def _claim(run_id: int) -> ImportRun | None:
    """Take a queued run for this worker (one worker only, even if enqueued twice)."""
    run = ImportRun.objects.select_related("created_by").filter(pk=run_id).first()
    if run is None or run.status != ImportRun.Status.QUEUED:
        return None
    working = ImportRun.Status.CHECKING if run.dry_run else ImportRun.Status.WRITING
    now = timezone.now()
    taken = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).update(
        status=working, started_at=now, heartbeat_at=now
    )
    if not taken:
        return None
    run.status, run.started_at = working, now
    return run


def import_process(*, run_id: int) -> ImportRun | None:
    """Run a queued import (the worker calls this): the preview or the commit."""
    run = _claim(run_id)
    if run is None:
        return None
    commit = not run.dry_run
    try:
        summary = execute(run, commit=commit, user=run.created_by)
    except ValidationError as exc:
        return _finish(run, Summary(), status=ImportRun.Status.FAILED, error=" ".join(exc.messages))
    except Exception:
        _finish(run, Summary(), status=ImportRun.Status.FAILED, error=_("The import failed."))
        raise
    if not commit:
        status = ImportRun.Status.CHECKED
    else:
        status = ImportRun.Status.REFUSED if summary.refused else ImportRun.Status.DONE
    return _finish(run, summary, status=status)


def _finish(run: ImportRun, summary: Summary, *, status: str, error: str = "") -> ImportRun:
    run.status = status
    run.created, run.updated = summary.created, summary.updated
    run.unchanged, run.refused = summary.unchanged, summary.refused
    run.refusals = [r.as_json() for r in summary.refusals[:REFUSALS_KEPT]]
    run.possible_duplicates = summary.possible_duplicates
    run.error = error
    run.finished_at = run.heartbeat_at = timezone.now()
    if status == ImportRun.Status.DONE:
        run.rows_written = summary.created + summary.updated
    run.save()
    return run


def import_run_now(*, run: ImportRun, commit: bool) -> ImportRun:
    """Run an import in this process (the management commands)."""
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.QUEUED, dry_run=not commit)
    result = import_process(run_id=run.pk)
    assert result is not None
    return result
