from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clientela.users.roles import admin_required

from .models import CatalogItem, CustomerType, EconomicActivity, LedgerAccount, PriceList


@admin_required
def settings_index(request: HttpRequest) -> HttpResponse:
    """Configuración: the catalogs administrators maintain (edited in the admin for now)."""
    catalogs: list[type[CatalogItem]] = [CustomerType, EconomicActivity, PriceList, LedgerAccount]
    ctx = {
        "catalogs": [
            {
                "name": model._meta.verbose_name_plural,
                "count": model._default_manager.count(),
                "url": f"admin:catalogs_{model._meta.model_name}_changelist",
            }
            for model in catalogs
        ]
    }
    return render(request, "catalogs/settings_index.html", ctx)
