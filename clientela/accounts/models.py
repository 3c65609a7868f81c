import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinLengthValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from clientela.core.models import TrackedModel
from clientela.core.phones import PhoneNumberField
from clientela.core.search import build_search_text, phone_variants

from . import taxid

CODE_PREFIX = "C"
CODE_SEQUENCE = "account"

# The five sections of the account (SPEC §2), titled as the InterFuerza manual the product
# follows ("Información General", …, "Cuenta del cliente"), in order: the form, the profile and the
# fields a user may write (services.EDITABLE_FIELDS) all come from this one list.
SECTIONS: list[tuple[str, Any, list[str]]] = [
    (
        "general",
        pgettext_lazy("account section", "General information"),
        ["person_kind", "name", "tax_id", "tax_dv", "contact_name", "email", "phone", "phone_alt"],
    ),
    (
        "additional",
        pgettext_lazy("account section", "Additional information"),
        ["mobile", "website", "address", "city", "state", "country"],
    ),
    (
        "properties",
        pgettext_lazy("account section", "Customer properties"),
        [
            "customer_type",
            "priority",
            "economic_activity",
            "price_list",
            "taxable",
            "status",
            "salesperson",
        ],
    ),
    (
        "credit",
        pgettext_lazy("account section", "Credit properties"),
        ["payment_terms", "credit_days", "credit_limit"],
    ),
    (
        "ledger",
        pgettext_lazy("account section", "Customer account"),
        ["ledger_account", "is_supplier"],
    ),
]
# What a form, the API or the importer may set: code, version, logo and audit columns
# are the system's.
EDITABLE_FIELDS: tuple[str, ...] = tuple(name for _key, _title, names in SECTIONS for name in names)
PHONE_FIELDS = ("phone", "phone_alt", "mobile")


def _default_country() -> str:
    return settings.DEFAULT_COUNTRY


def salesperson_display_name(user: Any) -> str:
    """What the list shows (and sorts by) in the salesperson column."""
    return (user.get_full_name() or user.username)[:150]


class LogoField(models.ImageField):
    """An image whose history reads "logo changed", not its storage path
    (`logos/9131…d9.webp`). Deconstructs as a plain ImageField: no migration."""

    def history_display(self, stored: str) -> str:
        return str(_("logo changed"))

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ImageField", args, kwargs


def logo_path(instance: "Account", filename: str) -> str:
    # Never the user's file name: a random one, so nothing typed reaches the path.
    return f"logos/{uuid.uuid4().hex}.webp"


class Account(TrackedModel):
    # How the access gate reaches a record's account (clientela.core.access).
    account_path = ""
    # "la cuenta": Spanish participles agree with it in the history ("Creada").
    grammatical_gender = "feminine"

    class PersonKind(models.TextChoices):
        NATURAL = "natural", _("Natural")
        LEGAL = "legal", _("Legal entity")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")
        RESTRICTED = "restricted", _("Restricted")
        SUSPENDED = "suspended", _("Suspended")

    class PaymentTerms(models.TextChoices):
        CASH = "cash", _("Cash")
        CREDIT = "credit", _("Credit")

    code = models.CharField(_("code"), max_length=20, unique=True, editable=False)
    # General
    person_kind = models.CharField(_("person kind"), max_length=10, choices=PersonKind.choices)
    name = models.CharField(
        _("name / company name"), max_length=200, validators=[MinLengthValidator(2)]
    )
    tax_id = models.CharField(_("tax id"), max_length=30)
    tax_dv = models.CharField(_("DV"), max_length=2, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("email"), max_length=254)
    phone = PhoneNumberField(_("phone"))
    phone_alt = PhoneNumberField(_("alternate phone"), blank=True)
    # Adicional
    mobile = PhoneNumberField(_("mobile"), blank=True)
    website = models.URLField(
        _("website"),
        max_length=300,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state / province"), max_length=100, blank=True)
    country = CountryField(_("country"), default=_default_country)
    # Propiedades
    customer_type = models.ForeignKey(
        "catalogs.CustomerType",
        verbose_name=_("customer type"),
        on_delete=models.PROTECT,
        # Indexed by (customer_type, name, id) below, which starts with it.
        db_index=False,
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    economic_activity = models.ForeignKey(
        "catalogs.EconomicActivity",
        verbose_name=_("economic activity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    price_list = models.ForeignKey(
        "catalogs.PriceList",
        verbose_name=_("price list"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    taxable = models.BooleanField(_("taxable"), default=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("salesperson"),
        on_delete=models.PROTECT,
        related_name="accounts",
        # Indexed by the (salesperson, ...) indexes below, which start with it.
        db_index=False,
    )
    # Crédito
    payment_terms = models.CharField(
        _("payment terms"), max_length=10, choices=PaymentTerms.choices, default=PaymentTerms.CASH
    )
    credit_days = models.PositiveSmallIntegerField(
        _("credit days"), default=0, validators=[MaxValueValidator(365)]
    )
    credit_limit = models.DecimalField(
        _("credit limit"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    # Cuenta
    ledger_account = models.ForeignKey(
        "catalogs.LedgerAccount",
        verbose_name=_("ledger account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    is_supplier = models.BooleanField(_("is supplier"), default=False)
    logo = LogoField(_("logo"), upload_to=logo_path, blank=True, editable=False)
    logo_thumb = LogoField(_("logo thumbnail"), upload_to=logo_path, blank=True, editable=False)
    # Folded copy of the searchable fields (see clientela.core.search).
    search_text = models.TextField(editable=False, default="")
    # Copies of the related names the list sorts by, so each sort walks an index of
    # this table instead of joining and sorting a million rows (written on save, by
    # the bulk writer, and refreshed when a customer type or a user is renamed).
    customer_type_name = models.CharField(max_length=100, editable=False, default="")
    salesperson_name = models.CharField(max_length=150, editable=False, default="")
    # The latest done activity and the next pending one (clientela.activities keeps them),
    # so the list shows, sorts and filters them from this table's indexes.
    last_activity_at = models.DateTimeField(
        _("last activity"), null=True, blank=True, editable=False
    )
    next_activity_at = models.DateTimeField(
        _("next activity"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["name", "id"]
        permissions = [
            ("reassign_account", _("Can give an account to another salesperson")),
            ("export_account", _("Can export accounts")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "tax_id"],
                name="account_unique_tax_id_per_country",
                violation_error_message=_("An account with this tax id already exists."),
            ),
            models.CheckConstraint(
                condition=Q(person_kind__in=["natural", "legal"]), name="account_person_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "inactive", "restricted", "suspended"]),
                name="account_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(priority__in=["low", "medium", "high", "critical"]),
                name="account_priority_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(payment_terms="cash", credit_days=0, credit_limit=0)
                    | Q(
                        payment_terms="credit",
                        credit_days__gte=1,
                        credit_days__lte=365,
                        credit_limit__gt=0,
                    )
                ),
                name="account_credit_terms_consistent",
                violation_error_message=_("Credit days and limit do not match the payment terms."),
            ),
            models.CheckConstraint(
                condition=~Q(person_kind="legal", contact_name=""),
                name="account_legal_has_contact",
                violation_error_message=_("A legal entity needs a contact person."),
            ),
        ]
        # One index per offered sort, ending in the id so keyset paging can seek in it
        # (clientela.core.paging); a salesperson's lists start with their own index.
        indexes = [
            models.Index(fields=["name", "id"], name="account_name_idx"),
            models.Index(
                fields=["last_activity_at", "name", "id"], name="account_last_activity_idx"
            ),
            models.Index(
                fields=["next_activity_at", "name", "id"], name="account_next_activity_idx"
            ),
            models.Index(fields=["tax_id", "id"], name="account_tax_id_id_idx"),
            models.Index(fields=["status", "name", "id"], name="account_status_sort_idx"),
            models.Index(fields=["city", "name", "id"], name="account_city_sort_idx"),
            models.Index(fields=["country", "name", "id"], name="account_country_sort_idx"),
            models.Index(fields=["customer_type_name", "name", "id"], name="account_type_sort_idx"),
            models.Index(fields=["salesperson_name", "name", "id"], name="account_seller_sort_idx"),
            models.Index(fields=["salesperson", "name", "id"], name="account_sp_name_idx"),
            # A salesperson's accounts by their next or last activity (issue 17).
            models.Index(
                fields=["salesperson", "next_activity_at", "name", "id"],
                name="account_sp_next_activity_idx",
            ),
            models.Index(
                fields=["salesperson", "last_activity_at", "name", "id"],
                name="account_sp_last_activity_idx",
            ),
            models.Index(fields=["salesperson", "id"], name="account_sp_recent_idx"),
            # The customer-type filter, in the list's default order.
            models.Index(fields=["customer_type", "name", "id"], name="account_type_name_idx"),
            # The exact e-mail fast path of the search.
            models.Index(fields=["email"], name="account_email_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.code else self.name

    def get_absolute_url(self) -> str:
        return reverse("account_detail", args=[self.code])

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        self.email = (self.email or "").strip().lower()
        self.name = (self.name or "").strip()
        self.contact_name = (self.contact_name or "").strip()
        if self.tax_id and self.country:
            try:
                result = taxid.validate_tax_id(
                    str(self.country), self.tax_id, self.tax_dv or "", self.known_person_kind
                )
            except ValidationError as exc:
                errors.update(exc.update_error_dict({}))
            else:
                self.tax_id, self.tax_dv = result.number, result.dv
        if self.person_kind == self.PersonKind.LEGAL and not self.contact_name:
            errors["contact_name"] = ValidationError(
                _("Required for a legal entity."), code="required"
            )
        if self.payment_terms == self.PaymentTerms.CREDIT:
            if not self.credit_days or not 1 <= self.credit_days <= 365:
                errors["credit_days"] = ValidationError(
                    _("Enter between 1 and 365 days for credit terms."), code="required"
                )
            if self.credit_limit is None or self.credit_limit <= 0:
                errors["credit_limit"] = ValidationError(
                    _("Enter a credit limit greater than zero for credit terms."), code="required"
                )
        elif self.payment_terms == self.PaymentTerms.CASH:
            # Cash customers carry no credit: zero whatever the form sent.
            self.credit_days = 0
            self.credit_limit = Decimal("0.00")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = self.build_search_text()
        self.refresh_sort_names()
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "search_text",
                "customer_type_name",
                "salesperson_name",
            }
        super().save(*args, **kwargs)

    def refresh_sort_names(self) -> None:
        """The denormalized sort columns, from the related rows (already loaded by the
        form or the service in the usual case)."""
        if self.customer_type_id is not None:
            self.customer_type_name = self.customer_type.name[:100]
        if self.salesperson_id is not None:
            self.salesperson_name = salesperson_display_name(self.salesperson)

    def build_search_text(self) -> str:
        return build_search_text(
            [
                self.code,
                self.name,
                self.tax_id,
                taxid.search_key(self.tax_id or ""),
                self.email,
                self.contact_name,
                *phone_variants(self.phone),
                *phone_variants(self.phone_alt),
                *phone_variants(self.mobile),
            ]
        )

    @property
    def known_person_kind(self) -> str | None:
        """The person kind when it is a valid one (the tax id is read for it), else None: an
        invalid kind is reported on its own field, not again on the tax id."""
        return self.person_kind if self.person_kind in self.PersonKind.values else None

    @property
    def tax_id_label(self) -> str:
        """The tax id as this account's country calls it for its kind of person ("NIT", "RFC")."""
        return taxid.tax_id_label(str(self.country or ""), self.known_person_kind)

    @property
    def takes_new_opportunities(self) -> bool:
        """Inactive and suspended accounts take no new opportunity (SPEC §2.2)."""
        return self.status not in {self.Status.INACTIVE, self.Status.SUSPENDED}

    @property
    def has_banner(self) -> bool:
        return self.status in {self.Status.RESTRICTED, self.Status.SUSPENDED}


class AccountStatusCount(models.Model):
    """How many accounts each salesperson has in each status, kept by database
    triggers on accounts_account (migration 0006_perf_status_counts): the home page's
    counts read a few rows instead of counting a million."""

    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=12)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["salesperson", "status"], name="account_status_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.salesperson_id}/{self.status}={self.n}"
