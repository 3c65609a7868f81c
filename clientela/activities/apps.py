from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "clientela.activities"
    label = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from clientela.core.demo import DemoSeeder, register_seeder
        from clientela.core.panels import ProfilePanel, register_panel

        from .demo import seed_activities
        from .models import Activity
        from .panels import account_panel_context

        register_panel(
            ProfilePanel(
                key="activities",
                # Right after the general information: what happened and what comes next.
                order=5,
                template="activities/panel_lazy.html",
                context=account_panel_context,
            )
        )
        register_seeder(
            DemoSeeder(key="activities", order=60, seed=seed_activities, models=(Activity,))
        )
