import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clientela.core.models import TrackedModel
from clientela.core.phones import PhoneNumberField
from clientela.core.search import build_search_text, normalize_text, phone_variants

# The A-Z jump bar's letters: the Spanish alphabet (Ñ is a letter of its own), then "#"
# for names that start with anything else (a digit, a quote…).
LETTERS: tuple[str, ...] = (*"ABCDEFGHIJKLMN", "Ñ", *"OPQRSTUVWXYZ")
OTHER_INITIAL = "#"


def name_initial(last_name: str) -> str:
    """The jump-bar letter of a last name: accents folded ('Ábrego' -> 'A'), but 'Ñ'
    kept, as the Spanish alphabet does ('Ñáñez' -> 'Ñ')."""
    text = unicodedata.normalize("NFC", (last_name or "").strip())
    if not text:
        return OTHER_INITIAL
    first = text[0].upper()
    if first == "Ñ":
        return "Ñ"
    folded = normalize_text(first).upper()[:1]
    return folded if folded and "A" <= folded <= "Z" else OTHER_INITIAL


def name_sort_key(last_name: str, first_name: str) -> str:
    """Last name then first name, folded, so 'Ábrego' sorts with the A's on every
    database (SQLite compares bytes, which would put it after 'Zúñiga')."""
    return normalize_text(f"{last_name} {first_name}")[:200]


def contact_search_text(
    *,
    first_name: str,
    last_name: str,
    email: str,
    job_title: str,
    phone: Any,
    mobile: Any,
    account_name: str = "",
    account_code: str = "",
) -> str:
    """The folded search column of a contact (see clientela.core.search). The account's
    name and code are copied in so the directory's search needs no join; renaming an
    account refreshes its contacts (services.contacts_refresh_search_text)."""
    return build_search_text(
        [
            first_name,
            last_name,
            email,
            job_title,
            *phone_variants(phone),
            *phone_variants(mobile),
            account_name,
            account_code,
        ]
    )


class Contact(TrackedModel):
    """A person (SPEC §3), optionally of one account; at most one primary per account."""

    # How the access gate reaches the record's account (clientela.core.access).
    account_path = "account"

    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, validators=[MinLengthValidator(1)])
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    phone = PhoneNumberField(_("phone"), blank=True)
    mobile = PhoneNumberField(_("mobile"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="contacts",
        null=True,
        blank=True,
    )
    is_primary = models.BooleanField(_("primary contact"), default=False)
    # Derived columns, written on every save: the folded search text, the folded sort
    # key and the jump-bar letter (indexed, so "N" is an equality, not a LIKE).
    search_text = models.TextField(editable=False, default="")
    sort_name = models.CharField(max_length=200, editable=False, default="")
    initial = models.CharField(max_length=1, editable=False, default=OTHER_INITIAL)
    # The account's name, for the directory's "account" sort by an index of this table
    # ("" without an account); refreshed with the search text when the account is renamed.
    account_name = models.CharField(max_length=200, editable=False, default="")

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["sort_name", "id"]
        permissions = [
            ("download_contact", _("Can download a contact as a vCard")),
            ("export_contact", _("Can export contacts")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(is_primary=True),
                name="contact_one_primary_per_account",
                violation_error_message=_("This account already has a primary contact."),
            ),
            models.CheckConstraint(
                condition=Q(is_primary=False) | Q(account__isnull=False),
                name="contact_primary_needs_account",
                violation_error_message=_("Only a contact of an account can be its primary."),
            ),
        ]
        indexes = [
            models.Index(fields=["sort_name", "id"], name="contact_sort_idx"),
            models.Index(fields=["initial", "sort_name", "id"], name="contact_initial_idx"),
            models.Index(
                fields=["account", "-is_primary", "sort_name"], name="contact_account_sort_idx"
            ),
            # The directory's other sorts (keyset paging needs the id last).
            models.Index(fields=["job_title", "sort_name", "id"], name="contact_title_sort_idx"),
            models.Index(
                fields=["account_name", "sort_name", "id"], name="contact_acc_name_sort_idx"
            ),
            models.Index(fields=["email", "id"], name="contact_email_sort_idx"),
            models.Index(fields=["updated_at", "id"], name="contact_updated_sort_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("contact_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        """'Begoña Ñáñez', as people are addressed."""
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def directory_name(self) -> str:
        """'Ñáñez, Begoña', as the directory sorts them."""
        return f"{self.last_name}, {self.first_name}" if self.first_name else self.last_name

    def clean_fields(self, exclude: Any = None) -> None:
        # Normalized before the field validators run, so " Ana@Empresa.com " is accepted.
        self.first_name = (self.first_name or "").strip()
        self.last_name = (self.last_name or "").strip()
        self.job_title = (self.job_title or "").strip()
        self.email = (self.email or "").strip().lower()
        self.notes = (self.notes or "").strip()
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        if self.is_primary and not self.account_id:
            raise ValidationError(
                {
                    "is_primary": ValidationError(
                        _("Only a contact of an account can be its primary."),
                        code="primary_needs_account",
                    )
                }
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_derived()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "search_text",
                "sort_name",
                "initial",
                "account_name",
            }
        super().save(*args, **kwargs)

    def refresh_derived(self) -> None:
        """Fill the derived columns; bulk_create skips save(), so seeders call this."""
        self.search_text = self.build_search_text()
        self.sort_name = name_sort_key(self.last_name, self.first_name)
        self.initial = name_initial(self.last_name)
        account = self.account if self.account_id else None
        self.account_name = account.name[:200] if account is not None else ""

    def build_search_text(self) -> str:
        account = self.account if self.account_id else None
        return contact_search_text(
            first_name=self.first_name,
            last_name=self.last_name,
            email=self.email,
            job_title=self.job_title,
            phone=self.phone,
            mobile=self.mobile,
            account_name=account.name if account else "",
            account_code=account.code if account else "",
        )
