"""Every write to a case or its thread goes through here: atomic, permission-checked
before anything is written, validated with full_clean() and recorded in the history."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clientela.accounts.models import Account
from clientela.audit.services import record_create
from clientela.contacts.models import Contact
from clientela.core import writes
from clientela.core.access import may, require
from clientela.core.search import rebuild_search_text
from clientela.core.sequences import format_code, sequence_next
from clientela.core.writes import Saved
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

# What a form or API client may set on a case, in the form's order; status goes
# through case_change_status, and number, dates, resolution and audit columns are the
# system's. The account is set once, when the case is opened.
EDITABLE_FIELDS = ("contact", "subject", "description", "priority", "assignee")
CREATE_FIELDS = ("account", *EDITABLE_FIELDS)


def _check_assignee(case: Case) -> None:
    """Only someone who may work the account's cases can be given one."""
    assignee = case.assignee if case.assignee_id else None
    if assignee is not None and not may(assignee, "change", case):
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


def _validate(case: Case) -> None:
    # The number is the system's, given after validation.
    writes.full_validate(case, exclude=["number"], checks=[_check_contact])


def _no_input_to_validate(case: Case) -> None:
    """An assignment changes no field the user typed: nothing to validate but the
    assignee, which the action checks itself."""


def _refuse_closed(case: Case) -> None:
    if case.status == Case.Status.CLOSED:
        raise ValidationError(_("This case is closed: reopen it before changing it."))


def _assign_number_and_save(case: Case) -> None:
    case.number = format_code(NUMBER_PREFIX, sequence_next(NUMBER_SEQUENCE))
    case.save()


@transaction.atomic
def case_create(*, user: User, data: dict[str, Any]) -> Saved[Case]:
    """Open a case (status `new`) due by the priority's response time."""
    account = data.get("account")
    if account is None:
        raise ValidationError({"account": ValidationError(_("Choose an account."), "required")})
    require(user, "add", Case, account=account)
    case = Case(status=Case.Status.NEW)
    writes.set_fields(case, {k: v for k, v in data.items() if v is not None}, CREATE_FIELDS)
    case.opened_at = timezone.now()
    case.due_at = due_at_for(case.priority, case.opened_at)

    def validate(case: Case) -> None:
        _validate(case)
        _check_assignee(case)

    return writes.create_recorded(case, user=user, validate=validate, save=_assign_number_and_save)


@transaction.atomic
def case_update(*, user: User, case: Case, data: dict[str, Any], version: int) -> Saved[Case]:
    """Change the case's details if nobody saved since the user loaded `version`. A new
    priority moves due_at to the new response time, counted from the opening."""
    assignee_before: list[int | None] = []

    def apply(locked: Case) -> None:
        _refuse_closed(locked)
        assignee_before.append(locked.assignee_id)
        writes.set_fields(locked, data, EDITABLE_FIELDS)
        locked.due_at = due_at_for(locked.priority, locked.opened_at)

    def validate(locked: Case) -> None:
        _validate(locked)
        if locked.assignee_id != assignee_before[0]:
            # Only a new assignee is checked: keeping one who has since lost the account
            # must not block fixing a typo in the subject.
            _check_assignee(locked)

    return writes.versioned_update(case, user=user, version=version, apply=apply, validate=validate)


@transaction.atomic
def case_change_status(
    *, user: User, case: Case, status: str, resolution: str = "", version: int
) -> Saved[Case]:
    """Move the case along the workflow (see clientela.cases.workflow). Asking for the
    status the case already has changes nothing (a repeated click), whatever the
    version."""

    def apply(locked: Case) -> None:
        if status == locked.status:
            return
        if status not in Case.Status.values or not workflow.can_move(locked.status, status):
            raise ValidationError(
                {"status": ValidationError(_invalid_move_message(locked.status, status), "invalid")}
            )
        text = (resolution or "").strip()
        if workflow.needs_resolution(status) and not text:
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
            if text:
                locked.resolution = text
            if status in DONE_STATUSES and locked.resolved_at is None:
                locked.resolved_at = timezone.now()
        locked.status = status

    current = Case.objects.filter(pk=case.pk).values_list("status", flat=True).first()
    return writes.versioned_update(
        case,
        user=user,
        version=None if current == status else version,
        apply=apply,
        validate=_validate,
    )


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
def case_assign(*, user: User, case: Case, assignee: User | None) -> Saved[Case]:
    """Give the case to `assignee` (None: nobody). Taking a `new` case starts it. One
    click, not a form: no version check."""

    def apply(locked: Case) -> None:
        _refuse_closed(locked)
        if locked.assignee_id == (assignee.pk if assignee else None):
            return
        locked.assignee = assignee
        _check_assignee(locked)
        if assignee is not None and locked.status == Case.Status.NEW:
            locked.status = Case.Status.IN_PROGRESS

    return writes.versioned_update(
        case, user=user, version=None, apply=apply, validate=_no_input_to_validate
    )


@transaction.atomic
def case_comment(*, user: User, case: Case, body: str) -> Saved[CaseComment]:
    """Add a plain-text message to the case's thread (allowed on closed cases too: a
    customer may write back after the case is closed)."""
    require(user, "comment", case)
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
    return Saved(comment, created=True)


@transaction.atomic
def case_delete(*, user: User, case: Case) -> None:
    """Delete a case and its thread (administrators and managers: a case is normally
    closed, not deleted). The history keeps the case's last values."""
    require(user, "delete", case)
    CaseComment.objects.filter(case=case).delete()
    writes.delete_recorded(case, user=user)


def cases_refresh_search_text(*, account: Account) -> int:
    """A case is found by its account's name and code too."""
    return rebuild_search_text(
        Case.objects.filter(account=account).select_related("account", "contact")
    )
