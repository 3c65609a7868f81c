from django.contrib import admin
from django.http import HttpRequest

from .models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Read-only: documents are uploaded, changed and deleted through the app, where the
    type checks, the permission checks and history live."""

    list_display = ("original_name", "account", "category", "content_type", "size", "created_at")
    list_filter = ("category",)
    search_fields = ("original_name", "account__code", "sha256")
    list_select_related = ("account",)
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Document | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Document | None = None) -> bool:
        return False
