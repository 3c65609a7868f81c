from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from clientela.accounts.signals import account_renamed


def _account_renamed(sender: Any, account: Any, **kwargs: Any) -> None:
    # The account's name lives in its contacts' search text.
    from .services import contacts_refresh_search_text

    contacts_refresh_search_text(account=account)


class ContactsConfig(AppConfig):
    name = "clientela.contacts"
    label = "contacts"
    verbose_name = _("Contacts")

    def ready(self) -> None:
        from clientela.core.fts import register_fts_table

        register_fts_table("contacts_contact")
        from clientela.core.demo import DemoSeeder, register_seeder
        from clientela.core.panels import ProfilePanel, register_panel

        from .demo import seed_contacts
        from .models import Contact
        from .panels import panel_context

        register_panel(
            ProfilePanel(
                key="contacts",
                order=20,
                template="contacts/account_panel.html",
                context=panel_context,
            )
        )
        register_seeder(DemoSeeder(key="contacts", order=10, seed=seed_contacts, models=(Contact,)))
        account_renamed.connect(_account_renamed, dispatch_uid="contacts-account-renamed")
