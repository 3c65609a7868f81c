from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _account_saved(sender: Any, instance: Any, created: bool, raw: bool, **kwargs: Any) -> None:
    """An account's name lives in its contacts' search text: refresh it when the name may
    have changed. Interim hook until accounts.services.account_update calls
    contacts_refresh_account_terms itself (it runs in that service's transaction)."""
    update_fields = kwargs.get("update_fields")
    if created or raw or (update_fields is not None and "name" not in update_fields):
        return
    from .services import contacts_refresh_account_terms

    contacts_refresh_account_terms(account=instance)


class ContactsConfig(AppConfig):
    name = "clientela.contacts"
    label = "contacts"
    verbose_name = _("Contacts")

    def ready(self) -> None:
        from clientela.core.demo import DemoSeeder, register_seeder
        from clientela.core.panels import ProfilePanel, register_panel

        from .demo import seed_contacts
        from .panels import panel_context

        register_panel(
            ProfilePanel(
                key="contacts",
                order=20,
                template="contacts/account_panel.html",
                context=panel_context,
            )
        )
        register_seeder(DemoSeeder(key="contacts", order=10, seed=seed_contacts))
        post_save.connect(
            _account_saved, sender="accounts.Account", dispatch_uid="contacts-account-renamed"
        )
