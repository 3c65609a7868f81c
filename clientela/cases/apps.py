from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "clientela.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from clientela.core.demo import DemoSeeder, register_seeder
        from clientela.core.panels import ProfilePanel, register_panel
        from clientela.core.sequences import register_sequence

        from .demo import seed_cases
        from .models import NUMBER_SEQUENCE
        from .panels import case_panel_context

        register_panel(
            ProfilePanel(
                key="cases",
                order=40,
                template="cases/account_panel.html",
                context=case_panel_context,
            )
        )
        register_seeder(DemoSeeder(key="cases", order=40, seed=seed_cases))
        register_sequence(NUMBER_SEQUENCE)
