from django.contrib import admin

from .models import CustomerType, EconomicActivity, ExchangeRate, LedgerAccount, PriceList


@admin.register(CustomerType, PriceList, LedgerAccount)
class CatalogItemAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name", "name_en")


@admin.register(EconomicActivity)
class EconomicActivityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "section", "is_active")
    list_filter = ("is_active", "section")
    search_fields = ("code", "name", "name_en")
    autocomplete_fields = ("section",)


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ("currency", "rate", "valid_from")
    list_filter = ("currency",)
    date_hierarchy = "valid_from"
    ordering = ("currency", "-valid_from")
