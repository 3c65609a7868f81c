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
  warning (in the result's warnings), never a refusal.
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
from clientela.core import writes
from clientela.core.access import may, require
from clientela.core.currencies import format_money
from clientela.core.search import rebuild_search_text
from clientela.core.writes import Saved
from clientela.users.models import User

from .models import Opportunity
from .selectors import CreditExposure, credit_exposure

# What a form, the board or an API client may set; closed_at follows the stage.
EDITABLE_FIELDS = (
    "account",
    "name",
    "stage",
    "amount",
    "currency",
    "probability",
    "expected_close_date",
    "owner",
    "lost_reason",
    "description",
)


_REFUSALS = {
    Account.Status.INACTIVE: _("Account %(code)s is inactive: it cannot take new opportunities."),
    Account.Status.SUSPENDED: _("Account %(code)s is suspended: it cannot take new opportunities."),
}


def _normalized(data: dict[str, Any]) -> dict[str, Any]:
    """Currency codes as ISO 4217 writes them, whatever the case typed."""
    currency = data.get("currency")
    if isinstance(currency, str):
        return {**data, "currency": currency.strip().upper()}
    return data


def _account_refusal(account: Account) -> ValidationError | None:
    """Inactive and suspended accounts take no new opportunity (SPEC §2.2)."""
    if account.takes_new_opportunities:
        return None
    return ValidationError(
        _REFUSALS[Account.Status(account.status)],
        code="account_status",
        params={"code": account.code},
    )


def _require_owner(user: User, owner: User, *, unchanged: User | None) -> None:
    """Only managers and administrators give an opportunity to someone else."""
    if owner in (unchanged, user):
        return
    if not may(user, "reassign", Opportunity):
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


def _validator(account_refusal: ValidationError | None) -> Any:
    """writes.full_validate, with the account's refusal reported beside the model's errors."""

    def validate(opportunity: Opportunity) -> None:
        errors: dict[str, Any] = {}
        try:
            writes.full_validate(opportunity)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if account_refusal is not None:
            errors.setdefault("account", []).append(account_refusal)
        if errors:
            raise ValidationError(errors)

    return validate


def credit_warning_message(exposure: CreditExposure) -> str:
    """The credit warning the form, the board and the API show alike: the limit passed, and
    which amounts could not be counted for want of an exchange rate."""
    company = exposure.currency
    typed = format_money(exposure.original[1], exposure.original[0])
    if exposure.amount is None:
        amount = gettext("%(amount)s, not counted") % {"amount": typed}
    elif exposure.original[0] != company:
        # "EUR 1,000.00 ≈ USD 1,080.00": the figure typed, and what it counts for.
        amount = f"{typed} ≈ {format_money(exposure.amount, company)}"
    else:
        amount = typed
    figures = {
        "code": exposure.account_code,
        "amount": amount,
        "committed": format_money(exposure.committed, company),
        "total": format_money(exposure.total, company),
        "limit": format_money(exposure.credit_limit, company),
        "excess": format_money(exposure.excess, company),
        "amounts": "; ".join(format_money(total, code) for code, total in exposure.unconverted),
    }
    if not exposure.over_limit:
        return (
            gettext(
                "The credit limit of account %(code)s (%(limit)s) could not be checked in full: "
                "there is no exchange rate for %(amounts)s. The rest comes to %(total)s."
            )
            % figures
        )
    message = (
        gettext(
            "Credit limit passed for account %(code)s: this opportunity (%(amount)s) plus the "
            "account's other open and won opportunities (%(committed)s) come to %(total)s, "
            "above its credit limit of %(limit)s (%(excess)s over)."
        )
        % figures
    )
    if exposure.unconverted:
        not_counted = gettext("Not counted, for want of an exchange rate: %(amounts)s.")
        message = f"{message} {not_counted % figures}"
    return message


def _with_credit_warning(saved: Saved[Opportunity]) -> Saved[Opportunity]:
    opportunity = saved.record
    exposure = credit_exposure(
        account=opportunity.account,
        amount=opportunity.amount,
        currency=opportunity.currency,
        stage=opportunity.stage,
        exclude_pk=opportunity.pk,
    )
    return saved.warn(credit_warning_message(exposure)) if exposure is not None else saved


@transaction.atomic
def opportunity_create(*, user: User, data: dict[str, Any]) -> Saved[Opportunity]:
    require(user, "add", Opportunity)
    account = data.get("account")
    values = _normalized({k: v for k, v in data.items() if v is not None})
    if account is not None:
        owner = values.get("owner") or account.salesperson
        _require_owner(user, owner, unchanged=account.salesperson)
        values["owner"] = owner
    opportunity = Opportunity()
    writes.set_fields(opportunity, values, EDITABLE_FIELDS)
    _stage_rules(
        opportunity,
        old_stage=None,
        old_probability=None,
        probability_sent=values.get("probability"),
    )
    refusal = _account_refusal(account) if account is not None else None
    saved = writes.create_recorded(opportunity, user=user, validate=_validator(refusal))
    return _with_credit_warning(saved)


@transaction.atomic
def opportunity_update(
    *, user: User, opportunity: Opportunity, data: dict[str, Any], version: int
) -> Saved[Opportunity]:
    """Apply `data` if nobody saved since the user loaded `version`; else StaleVersionError.
    A blank account or owner means "leave it"; moving to another account is adding an
    opportunity to that account."""
    changes = _normalized(
        {k: v for k, v in data.items() if not (k in {"account", "owner"} and v is None)}
    )
    refusal: list[ValidationError] = []

    def apply(locked: Opportunity) -> None:
        new_account = changes.get("account")
        if new_account is not None and new_account.pk != locked.account_id:
            require(user, "add", Opportunity, account=new_account)
            refusal.extend(filter(None, [_account_refusal(new_account)]))
        if "owner" in changes and changes["owner"] != locked.owner:
            _require_owner(user, changes["owner"], unchanged=locked.owner)
        old_stage, old_probability = locked.stage, locked.probability
        writes.set_fields(locked, changes, EDITABLE_FIELDS)
        _stage_rules(
            locked,
            old_stage=old_stage,
            old_probability=old_probability,
            probability_sent=changes.get("probability"),
        )

    saved = writes.versioned_update(
        opportunity,
        user=user,
        version=version,
        apply=apply,
        validate=lambda locked: _validator(refusal[0] if refusal else None)(locked),
    )
    return _with_credit_warning(saved)


def opportunity_move(
    *, user: User, opportunity: Opportunity, stage: str, lost_reason: str = "", version: int
) -> Saved[Opportunity]:
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
    writes.delete_recorded(opportunity, user=user)


def opportunities_refresh_search_text(*, account: Account) -> int:
    """Opportunities are found by their account's name and code too."""
    return rebuild_search_text(
        Opportunity.objects.filter(account=account).select_related("account")
    )
