from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinLengthValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clientela.core.currencies import currency_decimals, currency_validator, is_currency
from clientela.core.models import TrackedModel
from clientela.core.search import build_search_text

# The key's stand-in for an undated expected close (OpenPipelineSummary).
UNDATED = date(1, 1, 1)


def _default_currency() -> str:
    return settings.DEFAULT_CURRENCY


class Opportunity(TrackedModel):
    """A sale in progress with one account (SPEC §4)."""

    # How the access gate reaches the record's account (clientela.core.access).
    account_path = "account"
    # "la oportunidad": Spanish participles agree with it in the history ("Creada").
    grammatical_gender = "feminine"

    class Stage(models.TextChoices):
        PROSPECTING = "prospecting", _("Prospecting")
        QUALIFICATION = "qualification", _("Qualification")
        PROPOSAL = "proposal", _("Proposal")
        NEGOTIATION = "negotiation", _("Negotiation")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    OPEN_STAGES = (Stage.PROSPECTING, Stage.QUALIFICATION, Stage.PROPOSAL, Stage.NEGOTIATION)
    CLOSED_STAGES = (Stage.WON, Stage.LOST)
    # A new stage brings its usual chance of closing; the user may still type another.
    DEFAULT_PROBABILITY: dict[str, int] = {
        "prospecting": 10,
        "qualification": 25,
        "proposal": 50,
        "negotiation": 75,
        "won": 100,
        "lost": 0,
    }

    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    name = models.CharField(_("name"), max_length=200, validators=[MinLengthValidator(2)])
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.PROSPECTING
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default=_default_currency,
        # ISO 4217 codes in use today (CLDR): "ZZZ" or the old "VEF" are refused.
        validators=[currency_validator],
    )
    # blank: left empty, it takes the stage's default (see clean()).
    probability = models.PositiveSmallIntegerField(
        _("probability"), blank=True, validators=[MaxValueValidator(100)]
    )
    expected_close_date = models.DateField(_("expected close date"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    description = models.TextField(_("description"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    lost_reason = models.CharField(_("lost reason"), max_length=500, blank=True)
    # Folded name and account code and name (see clientela.core.search).
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["expected_close_date", "id"]
        permissions = [
            ("reassign_opportunity", _("Can give an opportunity to another owner")),
            ("export_opportunity", _("Can export opportunities")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    stage__in=[
                        "prospecting",
                        "qualification",
                        "proposal",
                        "negotiation",
                        "won",
                        "lost",
                    ]
                ),
                name="opportunity_stage_valid",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="opportunity_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(probability__gte=0, probability__lte=100),
                name="opportunity_probability_range",
                violation_error_message=_("The probability goes from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(stage__in=["won", "lost"], closed_at__isnull=False)
                    | (~Q(stage__in=["won", "lost"]) & Q(closed_at__isnull=True))
                ),
                name="opportunity_closed_at_iff_closed",
                violation_error_message=_("Only won and lost opportunities have a close date."),
            ),
            models.CheckConstraint(
                condition=(
                    (Q(stage="lost") & ~Q(lost_reason="")) | (~Q(stage="lost") & Q(lost_reason=""))
                ),
                name="opportunity_lost_reason_iff_lost",
                violation_error_message=_("A lost opportunity needs a reason, and only it."),
            ),
        ]
        indexes = [
            # The board: each open stage's first cards, by expected close.
            models.Index(fields=["stage", "expected_close_date", "id"], name="opp_stage_close_idx"),
            models.Index(fields=["expected_close_date", "id"], name="opp_close_idx"),
            # The profile panel and the credit check: one account's opportunities by stage.
            models.Index(fields=["account", "stage"], name="opp_account_stage_idx"),
            # Inicio's won and lost of a period: a closed_at range of a stage, everyone's
            # or one owner's (the owner's index also serves what (owner, stage) did).
            models.Index(fields=["owner", "stage", "closed_at"], name="opp_owner_stage_closed_idx"),
            # Mi día: an owner's deals closing this month, walked by date until enough
            # open ones without a next step are found.
            models.Index(fields=["owner", "expected_close_date", "id"], name="opp_owner_close_idx"),
            models.Index(fields=["stage", "closed_at"], name="opp_stage_closed_idx"),
            models.Index(fields=["-closed_at", "id"], name="opp_closed_idx"),
            models.Index(fields=["amount", "id"], name="opp_amount_idx"),
            # The list's other plain sorts.
            models.Index(fields=["name", "id"], name="opp_name_sort_idx"),
            models.Index(fields=["probability", "id"], name="opp_probability_sort_idx"),
            models.Index(fields=["updated_at", "id"], name="opp_updated_sort_idx"),
            # Covers the board's and the list's per-stage, per-currency sums: the totals
            # read this index alone, not the table (10x faster at 200,000 rows).
            models.Index(
                fields=["stage", "currency", "amount", "probability"], name="opp_stage_totals_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("opportunity_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        self.name = (self.name or "").strip()
        self.currency = (self.currency or "").strip().upper()
        self.lost_reason = (self.lost_reason or "").strip()
        if self.stage != self.Stage.LOST:
            # A reason belongs to a lost opportunity only; reopening forgets it.
            self.lost_reason = ""
        elif not self.lost_reason:
            errors["lost_reason"] = ValidationError(
                _("Say why the opportunity was lost."), code="required"
            )
        if self.probability is None:
            self.probability = self.default_probability
        if self.amount is not None and is_currency(self.currency):
            # A Chilean peso or a guaraní has no cents: 1500.50 CLP is a typing mistake.
            places = currency_decimals(self.currency)
            if places < 2 and self.amount != self.amount.quantize(Decimal(1).scaleb(-places)):
                errors["amount"] = ValidationError(
                    _("Amounts in %(currency)s have no decimals."),
                    code="currency_decimals",
                    params={"currency": self.currency},
                )
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.probability is None:
            self.probability = self.default_probability
        self.search_text = self.build_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def build_search_text(self, account_code: str = "", account_name: str = "") -> str:
        """`account_code`/`account_name` spare a query when the caller has them (bulk)."""
        if not account_code and self.account_id:
            account_code, account_name = self.account.code, self.account.name
        return build_search_text([self.name, account_code, account_name])

    @property
    def default_probability(self) -> int:
        return self.DEFAULT_PROBABILITY.get(self.stage, 0)

    @property
    def is_open(self) -> bool:
        return self.stage in self.OPEN_STAGES

    @property
    def is_closed(self) -> bool:
        return self.stage in self.CLOSED_STAGES

    @property
    def weighted_amount(self) -> Decimal:
        return (self.amount * (self.probability or 0) / 100).quantize(Decimal("0.01"))


class OpenPipelineSummary(models.Model):
    """The open opportunities added up by everything Inicio filters or groups them on,
    kept by database triggers (clientela.opportunities.db_triggers): the pipeline and
    the forecast read a few rows instead of every open deal.

    `salesperson` is the account's salesperson (what a salesperson's scope follows, see
    clientela.core.access), `owner` the opportunity's (Inicio's salesperson filter).
    Amounts are whole cents so that adding and taking away is exact on SQLite too;
    `weighted_cents` is the sum of cents times probability (the percent)."""

    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the key starts with it
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=20)
    currency = models.CharField(max_length=3)
    close_month = models.DateField(null=True)  # the expected close's month; None undated
    n = models.BigIntegerField(default=0)
    amount_cents = models.DecimalField(max_digits=30, decimal_places=0, default=0)
    weighted_cents = models.DecimalField(max_digits=32, decimal_places=0, default=0)

    class Meta:
        constraints = [
            # An undated group is one row too: NULLs would be distinct in a plain key.
            models.UniqueConstraint(
                F("salesperson"),
                F("owner"),
                F("stage"),
                F("currency"),
                Coalesce(F("close_month"), Value(UNDATED)),
                name="open_pipeline_summary_key",
            )
        ]
        indexes = [
            # The triggers drop the groups that emptied: these are found by this index.
            models.Index(fields=["id"], condition=Q(n=0), name="open_pipeline_empty_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.salesperson_id}/{self.owner_id}/{self.stage}/{self.currency}={self.n}"
