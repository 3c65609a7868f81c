from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from clientela.accounts.signals import account_renamed


def _account_renamed(sender: Any, account: Any, **kwargs: Any) -> None:
    from .services import cases_refresh_search_text

    cases_refresh_search_text(account=account)


class CasesConfig(AppConfig):
    name = "clientela.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from clientela.core.fts import register_fts_table

        register_fts_table("cases_case")
        from clientela.core.demo import DemoSeeder, register_seeder
        from clientela.core.panels import ProfilePanel, register_panel
        from clientela.core.sequences import register_sequence

        from .demo import seed_cases
        from .models import NUMBER_SEQUENCE, Case, CaseComment
        from .panels import case_panel_context

        register_panel(
            ProfilePanel(
                key="cases",
                order=40,
                template="cases/account_panel.html",
                context=case_panel_context,
            )
        )
        register_seeder(
            DemoSeeder(
                key="cases",
                order=40,
                seed=seed_cases,
                models=(
                    Case,
                    CaseComment,
                ),
            )
        )
        register_sequence(NUMBER_SEQUENCE)
        # Cases are found by their account's name too.
        account_renamed.connect(_account_renamed, dispatch_uid="cases-account-renamed")
