from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "clientela.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from clientela.core.fts import register_fts_table

        # Searched through its FTS5 table on SQLite (migration 0002).
        register_fts_table("documents_document")
        from clientela.core.demo import DemoSeeder, register_seeder
        from clientela.core.panels import ProfilePanel, register_panel

        from .demo import seed_documents
        from .models import Document
        from .panels import PANEL_TEMPLATE, panel_context

        register_panel(
            ProfilePanel(key="documents", order=50, template=PANEL_TEMPLATE, context=panel_context)
        )
        register_seeder(
            DemoSeeder(key="documents", order=50, seed=seed_documents, models=(Document,))
        )
        _register_uploads()


def _register_uploads() -> None:
    from clientela.core.access import may
    from clientela.core.bodies import register_upload

    from .models import Document
    from .uploads import max_body_bytes

    for route in ("accounts/<str:code>/documents/", "api/v1/accounts/<code>/documents"):
        # Both views refuse an oversized body unread, with their own message.
        register_upload(
            route,
            limit=max_body_bytes,
            may_upload=lambda user: may(user, "add", Document),
            answered_by_view=True,
        )
