from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "clientela.imports"
    label = "imports"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        from clientela.audit.sources import register_source

        from .history import describe_import_source

        register_source("import", describe_import_source)
        _register_uploads()


def _register_uploads() -> None:
    from django.conf import settings

    from clientela.accounts.models import Account
    from clientela.contacts.models import Contact
    from clientela.core.access import may
    from clientela.core.bodies import UPLOAD_MARGIN, register_upload

    def limit() -> int:
        return int(settings.IMPORT_MAX_BYTES) + UPLOAD_MARGIN

    register_upload("accounts/import/", limit=limit, may_upload=lambda u: may(u, "add", Account))
    register_upload("contacts/import/", limit=limit, may_upload=lambda u: may(u, "add", Contact))
    register_upload(
        "api/v1/imports",
        limit=limit,
        may_upload=lambda u: may(u, "add", Account) or may(u, "add", Contact),
    )
