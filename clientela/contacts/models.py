from typing import Any

from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from clientela.core.models import TrackedModel
from clientela.core.search import build_search_text


class Contact(TrackedModel):
    """A person (SPEC §3), optionally of one account; at most one primary per account."""

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
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["last_name", "first_name", "id"]
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
            ),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name", "id"], name="contact_name_idx"),
            models.Index(
                fields=["account", "-is_primary", "last_name"], name="contact_account_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = self.build_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        account = self.account if self.account_id else None
        return build_search_text(
            [
                self.first_name,
                self.last_name,
                self.email,
                self.job_title,
                str(self.phone or "").lstrip("+"),
                str(self.mobile or "").lstrip("+"),
                account.name if account else "",
                account.code if account else "",
            ]
        )
