from django.db import models
from django.utils.translation import gettext_lazy as _


class CatalogItem(models.Model):
    """A coded entry administrators maintain; referenced by code in the API."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
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
        return f"{self.code} · {self.name}"


class PriceList(CatalogItem):
    class Meta(CatalogItem.Meta):
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")


class LedgerAccount(CatalogItem):
    class Meta(CatalogItem.Meta):
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"
