"""Panels of the account profile (SPEC §2.4), contributed by the modules.

Each module registers its panel in its AppConfig.ready(), so the accounts app needs no
edit when a module arrives:

    register_panel(ProfilePanel(key="contacts", order=20, template="contacts/account_panel.html",
                                context=contacts_panel_context))

`context(request, account)` returns the panel's template context; it runs its own
queries (a fixed number per panel, whatever the number of records).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class ProfilePanel:
    key: str
    order: int
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any]]


_PANELS: dict[str, ProfilePanel] = {}


def register_panel(panel: ProfilePanel) -> None:
    _PANELS[panel.key] = panel


def profile_panels() -> list[ProfilePanel]:
    return sorted(_PANELS.values(), key=lambda panel: panel.order)
