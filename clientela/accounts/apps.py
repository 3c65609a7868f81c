from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "clientela.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from clientela.core.sequences import register_sequence

        from . import sort_names
        from .models import CODE_SEQUENCE

        register_sequence(CODE_SEQUENCE)
        sort_names.connect()
