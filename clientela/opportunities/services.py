"""Every write to an opportunity goes through here, from the form, the board, the
profile and the API alike: atomic, checked with the access gate, validated with
full_clean() and recorded in the account's history.

Rules (SPEC §4, §2.2):
- won and lost are closed stages: closing stamps closed_at, reopening clears it and the
  lost reason; lost needs a reason.
- a stage change brings the new stage's default probability, unless the same change
  sets another probability explicitly.
- inactive and suspended accounts take no new opportunity.
- a credit account whose open and won opportunities pass its credit limit gets a
  warning (`opportunity.credit_warning`), never a refusal.
- the owner defaults to the account's salesperson; giving an opportunity to someone
  other than yourself (or, on creation, the account's salesperson) takes
  `opportunities.reassign_opportunity` (managers and administrators).
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clientela.accounts.models import Account
from clientela.audit.services import record_create, record_delete, record_update, snapshot
from clientela.core.access import may, require
from clientela.core.exceptions import StaleVersionError
from clientela.core.templatetags.clientela import money
from clientela.users.models import User

from .models import Opportunity
from .selectors import CreditExposure, credit_exposure

# What a form, the board or an API client may set; closed_at follows the stage.
EDITABLE_FIELDS = frozenset(
    {
        "account",
        "name",
        "stage",
        "amount",
        "currency",
        "probability",
        "expected_close_date",
        "owner",
        "description",
        "lost_reason",
    }
)

_STATUS_MESSAGES = {
    "inactive": _("Account %(code)s is inactive: it cannot take new opportunities."),
    "suspended": _("Account %(code)s is suspended: it cannot take new opportunities."),
}


def _apply(opportunity: Opportunity, data: dict[str, Any]) -> None:
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for name, value in data.items():
        if name in {"lost_reason", "description", "name"} and value is None:
            value = ""
        elif name == "currency" and isinstance(value, str):
            value = value.strip().upper()
        setattr(opportunity, name, value)


def _account_refusal(account: Account) -> ValidationError | None:
    message = _STATUS_MESSAGES.get(account.status)
    if message is None:
        return None
    return ValidationError(message, code="account_status", params={"code": account.code})


def _require_owner(user: User, owner: User, *, unchanged: User | None) -> None:
    """Only managers and administrators give an opportunity to someone else."""
    if owner in (unchanged, user):
        return
    if not may(user, "opportunities.reassign_opportunity"):
        raise PermissionDenied("opportunities.reassign_opportunity")


def _stage_rules(
    opportunity: Opportunity,
    *,
    old_stage: str | None,
    old_probability: int | None,
    probability_sent: Any,
) -> None:
    stage = opportunity.stage
    changed = stage != old_stage
    if changed and (probability_sent is None or probability_sent == old_probability):
        # The new stage's usual chance, unless the user typed another one.
        opportunity.probability = opportunity.default_probability
    if stage not in Opportunity.CLOSED_STAGES:
        opportunity.closed_at = None
    elif changed or opportunity.closed_at is None:
        opportunity.closed_at = timezone.now()
    if stage != Opportunity.Stage.LOST:
        opportunity.lost_reason = ""


def _validate(opportunity: Opportunity, extra: dict[str, ValidationError]) -> None:
    """Every rule's error at once: the model's and the service's."""
    errors: dict[str, Any] = {}
    try:
        opportunity.full_clean()
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    for name, error in extra.items():
        errors.setdefault(name, []).append(error)
    if errors:
        raise ValidationError(errors)


def _attach_credit_warning(opportunity: Opportunity) -> None:
    opportunity.credit_warning = credit_exposure(
        account=opportunity.account,
        amount=opportunity.amount,
        currency=opportunity.currency,
        stage=opportunity.stage,
        exclude_pk=opportunity.pk,
    )


def credit_warning_message(exposure: CreditExposure) -> str:
    return gettext(
        "Credit limit passed for account %(code)s: this opportunity (%(amount)s) plus the "
        "account's other open and won opportunities (%(committed)s) come to %(total)s, "
        "above its credit limit of %(limit)s (%(excess)s over)."
    ) % {
        "code": exposure.account_code,
        "amount": money(exposure.amount, exposure.currency),
        "committed": money(exposure.committed, exposure.currency),
        "total": money(exposure.total, exposure.currency),
        "limit": money(exposure.credit_limit, exposure.currency),
        "excess": money(exposure.excess, exposure.currency),
    }


@transaction.atomic
def opportunity_create(*, user: User, data: dict[str, Any]) -> Opportunity:
    require(user, "opportunities.add_opportunity")
    account = data.get("account")
    extra: dict[str, ValidationError] = {}
    if account is not None:
        require(user, "opportunities.add_opportunity", account)
        refusal = _account_refusal(account)
        if refusal is not None:
            extra["account"] = refusal
    data = {k: v for k, v in data.items() if v is not None}
    if account is not None:
        owner = data.get("owner") or account.salesperson
        _require_owner(user, owner, unchanged=account.salesperson)
        data["owner"] = owner
    opportunity = Opportunity(created_by=user, updated_by=user)
    _apply(opportunity, data)
    _stage_rules(
        opportunity,
        old_stage=None,
        old_probability=None,
        probability_sent=data.get("probability"),
    )
    _validate(opportunity, extra)
    opportunity.save()
    record_create(user=user, instance=opportunity, account_id=opportunity.account_id)
    _attach_credit_warning(opportunity)
    return opportunity


@transaction.atomic
def opportunity_update(
    *, user: User, opportunity: Opportunity, data: dict[str, Any], version: int
) -> Opportunity:
    """Apply `data` if nobody saved since the user loaded `version`; else StaleVersionError."""
    locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    old_account = locked.account
    require(user, "opportunities.change_opportunity", old_account)
    if locked.version != version:
        raise StaleVersionError(current=locked)
    data = dict(data)
    extra: dict[str, ValidationError] = {}
    new_account = data.get("account")
    if new_account is None:
        data.pop("account", None)
    elif new_account.pk != old_account.pk:
        # Moving an opportunity to another account is a new opportunity for that account.
        require(user, "opportunities.add_opportunity", new_account)
        refusal = _account_refusal(new_account)
        if refusal is not None:
            extra["account"] = refusal
    if data.get("owner") is None:
        # A blank owner on edit means "leave it": an opportunity always has one.
        data.pop("owner", None)
    elif data["owner"] != locked.owner:
        _require_owner(user, data["owner"], unchanged=locked.owner)
    before = snapshot(locked)
    old_stage, old_probability = locked.stage, locked.probability
    _apply(locked, data)
    _stage_rules(
        locked,
        old_stage=old_stage,
        old_probability=old_probability,
        probability_sent=data.get("probability"),
    )
    _validate(locked, extra)
    if snapshot(locked) == before:
        # Nothing changed (a card dropped back on its column, a form saved untouched):
        # no new version, no history entry.
        _attach_credit_warning(locked)
        return locked
    locked.version += 1
    locked.updated_by = user
    locked.save()
    record_update(user=user, instance=locked, before=before, account_id=locked.account_id)
    if locked.account_id != old_account.pk:
        # The account it left keeps a trace in its own history too.
        record_update(user=user, instance=locked, before=before, account_id=old_account.pk)
    _attach_credit_warning(locked)
    return locked


def opportunity_move(
    *,
    user: User,
    opportunity: Opportunity,
    stage: str,
    lost_reason: str = "",
    version: int,
) -> Opportunity:
    """A board move: only the stage (and, for lost, the reason) changes, through the
    same rules as the form."""
    if stage not in Opportunity.Stage.values:
        raise ValidationError(
            {"stage": ValidationError(_("Choose a valid stage."), code="invalid_choice")}
        )
    return opportunity_update(
        user=user,
        opportunity=opportunity,
        data={"stage": stage, "lost_reason": lost_reason},
        version=version,
    )


@transaction.atomic
def opportunity_delete(*, user: User, opportunity: Opportunity) -> None:
    locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    require(user, "opportunities.delete_opportunity", locked.account)
    record_delete(user=user, instance=locked, account_id=locked.account_id)
    locked.delete()


def refresh_account_search_text(account: Account) -> int:
    """Keep the account's name and code in its opportunities' search text after the
    account is renamed (an account has a handful of opportunities)."""
    rows = list(Opportunity.objects.filter(account=account).only("id", "name", "search_text"))
    changed = []
    for row in rows:
        text = row.build_search_text(account.code, account.name)
        if text != row.search_text:
            row.search_text = text
            changed.append(row)
    if changed:
        Opportunity.objects.bulk_update(changed, ["search_text"])
    return len(changed)
