import uuid
from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clientela.core.models import TrackedModel
from clientela.core.search import build_search_text


def document_path(instance: "Document", filename: str) -> str:
    """A random storage name: nothing the user typed (name or extension) reaches the path.
    Two hex characters of the name as a folder keep any one directory small."""
    token = uuid.uuid4().hex
    return f"documents/{token[:2]}/{token}"


class Document(TrackedModel):
    """A file of an account's repository (SPEC §6). created_at/created_by are the
    upload's time and user; the stored file's name is random (see document_path)."""

    # How the access gate reaches the record's account (clientela.core.access).
    account_path = "account"

    class Category(models.TextChoices):
        CONTRACT = "contract", _("Contract")
        LEGAL = "legal", _("Legal")
        TAX = "tax", _("Tax")
        OTHER = "other", _("Other")

    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    file = models.FileField(_("file"), upload_to=document_path, max_length=200, editable=False)
    # For display and the download's file name only; never part of a storage path.
    original_name = models.CharField(_("file name"), max_length=255, editable=False)
    category = models.CharField(
        _("category"), max_length=10, choices=Category.choices, default=Category.OTHER
    )
    description = models.CharField(_("description"), max_length=500, blank=True)
    size = models.PositiveBigIntegerField(_("size"), editable=False)
    # Detected from the content (see clientela.documents.filetypes), never from the name.
    content_type = models.CharField(_("file type"), max_length=100, editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-id"]
        permissions = [("download_document", _("Can download documents"))]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "sha256"],
                name="document_unique_content_per_account",
                violation_error_message=_("This file is already in this account."),
            ),
            models.CheckConstraint(
                condition=Q(category__in=["contract", "legal", "tax", "other"]),
                name="document_category_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "-created_at", "-id"], name="document_account_idx"),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("document_detail", args=[self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = self.build_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        return build_search_text([self.original_name, self.description])

    @property
    def previewable(self) -> bool:
        """Images and PDF may open in the browser (sandboxed); anything else downloads."""
        return self.content_type.startswith("image/") or self.content_type == "application/pdf"
