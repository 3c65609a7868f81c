from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length, Upper
from django.db.models.lookups import Exact
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from clientela.core.currencies import company_currency, currency_validator


class CatalogItem(models.Model):
    """A coded entry administrators maintain; referenced by code in the API."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # The name in English, shown when the interface is in English; blank: the name.
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language ("Corporativo" / "Corporate")."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class CustomerType(CatalogItem):
    class Meta(CatalogItem.Meta):
        verbose_name = _("customer type")
        verbose_name_plural = _("customer types")
        ordering = ["name"]


class EconomicActivity(CatalogItem):
    """ISIC Rev.4 / CIIU: sections (letters) and divisions (two digits) ship with the
    product; companies may add classes or their national adaptation."""

    section = models.ForeignKey(
        "self",
        verbose_name=_("section"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="divisions",
    )

    class Meta(CatalogItem.Meta):
        verbose_name = _("economic activity")
        verbose_name_plural = _("economic activities")

    def __str__(self) -> str:
        return f"{self.code} · {self.display_name}"


class PriceList(CatalogItem):
    class Meta(CatalogItem.Meta):
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")


class LedgerAccount(CatalogItem):
    class Meta(CatalogItem.Meta):
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")

    def __str__(self) -> str:
        return f"{self.code} · {self.display_name}"


class ExchangeRate(models.Model):
    """What one unit of a currency is worth in the company currency (settings.DEFAULT_CURRENCY)
    from a date on; the latest one valid on a date applies. Administrators keep it in the admin."""

    currency = models.CharField(_("currency"), max_length=3, validators=[currency_validator])
    rate = models.DecimalField(
        _("rate to the company currency"),
        max_digits=20,
        decimal_places=10,
        help_text=_("How much of the company currency one unit of this currency is worth."),
    )
    valid_from = models.DateField(_("valid from"))

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "valid_from"],
                name="exchange_rate_one_per_day",
                violation_error_message=_("This currency already has a rate from that date."),
            ),
            models.CheckConstraint(
                condition=models.Q(rate__gt=0),
                name="exchange_rate_positive",
                violation_error_message=_("The rate must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=models.Q(Exact(Length("currency"), 3), currency=Upper("currency")),
                name="exchange_rate_currency_code",
                violation_error_message=_("Enter the three upper-case letters of the currency."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.rate} ({self.valid_from:%Y-%m-%d})"

    def clean(self) -> None:
        self.currency = (self.currency or "").strip().upper()
        if self.currency and self.currency == company_currency():
            raise ValidationError(
                {"currency": _("The company currency is worth 1; it needs no exchange rate.")}
            )
