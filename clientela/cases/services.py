"""Every write to a case or its thread goes through here: atomic, permission-checked
before anything is written, validated with full_clean() and recorded in the history."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clientela.accounts.models import Account
from clientela.audit.services import record_create, record_delete, record_update, snapshot
from clientela.contacts.models import Contact
from clientela.core.access import may, require
from clientela.core.exceptions import StaleVersionError
from clientela.core.sequences import format_code, sequence_next
from clientela.users.models import User

from . import workflow
from .models import (
    COMMENT_MAX_LENGTH,
    DONE_STATUSES,
    NUMBER_PREFIX,
    NUMBER_SEQUENCE,
    Case,
    CaseComment,
    due_at_for,
)

# What a form or API client may set on a case; status goes through case_change_status,
# and number, dates, resolution and audit columns are the system's.
EDITABLE_FIELDS = frozenset({"contact", "subject", "description", "priority", "assignee"})
CREATE_FIELDS = EDITABLE_FIELDS | {"account"}


def _apply(case: Case, data: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for field, value in data.items():
        setattr(case, field, value)


def _check_assignee(case: Case) -> None:
    """Only someone who may work the account's cases can be given one."""
    assignee = case.assignee if case.assignee_id else None
    if assignee is not None and not may(assignee, "cases.change_case", case.account):
        raise ValidationError(
            {
                "assignee": ValidationError(
                    _("%(user)s cannot work the cases of this account."),
                    code="not_allowed",
                    params={"user": assignee.get_full_name() or assignee.username},
                )
            }
        )


def _check_contact(case: Case) -> None:
    """The contact must be one of the case's account. Checked with the contact's row
    locked, in the writing transaction, so a concurrent move of the contact to another
    account cannot slip between the check and the save (the database cannot express a
    rule across two tables)."""
    if not case.contact_id:
        return
    belongs = (
        Contact.objects.select_for_update()
        .filter(pk=case.contact_id, account_id=case.account_id)
        .exists()
    )
    if not belongs:
        raise ValidationError(
            {
                "contact": ValidationError(
                    _("This contact does not belong to the case's account."),
                    code="wrong_account",
                )
            }
        )


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("account").get(pk=case.pk)


def _check_version(case: Case, version: int) -> None:
    if case.version != version:
        raise StaleVersionError(current=case)


def _saved(case: Case, user: User) -> None:
    case.version += 1
    case.updated_by = user
    case.save()


@transaction.atomic
def case_create(*, user: User, data: dict[str, Any]) -> Case:
    """Open a case (status `new`) due by the priority's response time."""
    account = data.get("account")
    if account is None:
        raise ValidationError({"account": ValidationError(_("Choose an account."), "required")})
    require(user, "cases.add_case", account)
    case = Case(created_by=user, updated_by=user, status=Case.Status.NEW)
    _apply(case, {k: v for k, v in data.items() if v is not None}, CREATE_FIELDS)
    case.opened_at = timezone.now()
    case.due_at = due_at_for(case.priority, case.opened_at)
    case.full_clean(exclude=["number"])
    _check_assignee(case)
    _check_contact(case)
    case.number = format_code(NUMBER_PREFIX, sequence_next(NUMBER_SEQUENCE))
    case.save()
    record_create(user=user, instance=case, account_id=case.account_id)
    return case


@transaction.atomic
def case_update(*, user: User, case: Case, data: dict[str, Any], version: int) -> Case:
    """Change the case's details if nobody saved since the user loaded `version`. A new
    priority moves due_at to the new response time, counted from the opening."""
    locked = _locked(case)
    require(user, "cases.change_case", locked.account)
    _check_version(locked, version)
    if locked.status == Case.Status.CLOSED:
        raise ValidationError(_("This case is closed: reopen it before changing it."))
    before = snapshot(locked)
    assignee_before = locked.assignee_id
    _apply(locked, data, EDITABLE_FIELDS)
    locked.due_at = due_at_for(locked.priority, locked.opened_at)
    locked.full_clean(exclude=["number"])
    if locked.assignee_id != assignee_before:
        # Only a new assignee is checked: keeping one who has since lost the account
        # must not block fixing a typo in the subject.
        _check_assignee(locked)
    _check_contact(locked)
    _saved(locked, user)
    record_update(user=user, instance=locked, before=before, account_id=locked.account_id)
    return locked


@transaction.atomic
def case_change_status(
    *, user: User, case: Case, status: str, resolution: str = "", version: int
) -> Case:
    """Move the case along the workflow (see clientela.cases.workflow)."""
    locked = _locked(case)
    require(user, "cases.change_case", locked.account)
    if status == locked.status:
        return locked  # a repeated click: nothing to do
    _check_version(locked, version)
    if status not in Case.Status.values or not workflow.can_move(locked.status, status):
        raise ValidationError(
            {"status": ValidationError(_invalid_move_message(locked.status, status), "invalid")}
        )
    before = snapshot(locked)
    resolution = (resolution or "").strip()
    if workflow.needs_resolution(status) and not resolution:
        raise ValidationError(
            {
                "resolution": ValidationError(
                    _("Describe the resolution before resolving the case."), "required"
                )
            }
        )
    if workflow.is_reopen(locked.status, status):
        # The reopen's history entry keeps the resolution being cleared.
        locked.resolution = ""
        locked.resolved_at = None
    else:
        if resolution:
            locked.resolution = resolution
        if status in DONE_STATUSES and locked.resolved_at is None:
            locked.resolved_at = timezone.now()
    locked.status = status
    locked.full_clean(exclude=["number"])
    _saved(locked, user)
    record_update(user=user, instance=locked, before=before, account_id=locked.account_id)
    return locked


def _invalid_move_message(source: str, target: str) -> Any:
    labels = dict(Case.Status.choices)
    allowed = ", ".join(str(labels[s]) for s in workflow.allowed_targets(source))
    return _(
        "A case in status “%(source)s” cannot move to “%(target)s”; it can move to: %(allowed)s."
    ) % {
        "source": labels.get(source, source),
        "target": labels.get(target, target),
        "allowed": allowed,
    }


@transaction.atomic
def case_assign(*, user: User, case: Case, assignee: User | None) -> Case:
    """Give the case to `assignee` (None: nobody). Taking a `new` case starts it."""
    locked = _locked(case)
    require(user, "cases.change_case", locked.account)
    if locked.status == Case.Status.CLOSED:
        raise ValidationError(_("This case is closed: reopen it before changing it."))
    if locked.assignee_id == (assignee.pk if assignee else None):
        return locked
    before = snapshot(locked)
    locked.assignee = assignee
    _check_assignee(locked)
    if assignee is not None and locked.status == Case.Status.NEW:
        locked.status = Case.Status.IN_PROGRESS
    _saved(locked, user)
    record_update(user=user, instance=locked, before=before, account_id=locked.account_id)
    return locked


@transaction.atomic
def case_comment(*, user: User, case: Case, body: str) -> CaseComment:
    """Add a plain-text message to the case's thread (allowed on closed cases too: a
    customer may write back after the case is closed)."""
    require(user, "cases.comment_case", case.account)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": ValidationError(_("Write a comment."), "required")})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "body": ValidationError(
                    _("Keep the comment under %(limit)s characters."),
                    "max_length",
                    params={"limit": COMMENT_MAX_LENGTH},
                )
            }
        )
    comment = CaseComment(case=case, author=user, body=body, created_at=timezone.now())
    comment.full_clean()
    comment.save()
    record_create(user=user, instance=comment, account_id=case.account_id)
    return comment


@transaction.atomic
def case_delete(*, user: User, case: Case) -> None:
    """Delete a case and its thread (administrators and managers: a case is normally
    closed, not deleted). The history keeps the case's last values."""
    locked = _locked(case)
    require(user, "cases.delete_case", locked.account)
    record_delete(user=user, instance=locked, account_id=locked.account_id)
    CaseComment.objects.filter(case=locked).delete()
    locked.delete()


def cases_refresh_account_terms(*, account: Account) -> int:
    """Rewrite the search text of `account`'s cases after the account was renamed (it
    holds the account's name). Runs in the caller's transaction."""
    changed = []
    for case in Case.objects.filter(account_id=account.pk).select_related("contact"):
        case.account = account
        text = case.build_search_text()
        if text != case.search_text:
            case.search_text = text
            changed.append(case)
    Case.objects.bulk_update(changed, ["search_text"], batch_size=500)
    return len(changed)
