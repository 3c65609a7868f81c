from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from clientela.accounts.signals import account_renamed


def _ensure_triggers(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from .db_triggers import ensure_sqlite_pipeline_triggers

    ensure_sqlite_pipeline_triggers(connections[using])


class OpportunitiesConfig(AppConfig):
    name = "clientela.opportunities"
    label = "opportunities"
    verbose_name = _("Opportunities")

    def ready(self) -> None:
        from clientela.core.fts import register_fts_table

        register_fts_table("opportunities_opportunity")
        from clientela.core.demo import DemoSeeder, register_seeder
        from clientela.core.panels import ProfilePanel, register_panel

        from .demo import seed_opportunities
        from .models import Opportunity
        from .panels import account_panel_context

        register_panel(
            ProfilePanel(
                key="opportunities",
                order=30,
                template="opportunities/account_panel.html",
                context=account_panel_context,
            )
        )
        register_seeder(
            DemoSeeder(
                key="opportunities", order=30, seed=seed_opportunities, models=(Opportunity,)
            )
        )
        # Opportunities are found by their account's name and code too: a renamed
        # account refreshes its opportunities' search text (the accounts app needs no
        # knowledge of this module).
        account_renamed.connect(_account_renamed, dispatch_uid="opportunities-account-renamed")
        post_migrate.connect(
            _ensure_triggers, sender=self, dispatch_uid="opportunities-pipeline-triggers"
        )


def _account_renamed(sender: Any, account: Any, **kwargs: Any) -> None:
    from .services import opportunities_refresh_search_text

    opportunities_refresh_search_text(account=account)
