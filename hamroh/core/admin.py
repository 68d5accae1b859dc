"""Back-office for reference data only. Agencies, users and the audit trail are managed
in the desk, where every change goes through a service and into the audit chain."""

from django.contrib import admin

from hamroh.core.models import Country, Occupation, Sector, Subdivision


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["alpha3", "alpha2", "name_en", "name_ru", "name_tg"]
    search_fields = ["alpha3", "alpha2", "name_en", "name_ru", "name_tg"]


@admin.register(Subdivision)
class SubdivisionAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "parent", "name_en", "name_ru", "name_tg"]
    list_filter = ["kind", "parent"]
    search_fields = ["code", "name_en", "name_ru", "name_tg"]


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "name_en", "name_ru", "name_tg"]
    list_filter = ["level"]
    search_fields = ["code", "name_en", "name_ru", "name_tg"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_ru", "name_tg"]
    search_fields = ["code", "name_en", "name_ru", "name_tg"]
