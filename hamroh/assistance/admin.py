"""Back-office for the desk's configuration only: case types (targets, scripted questions),
crossing points and the referral directory. Cases are never edited here: every change to a
case goes through a service, its timeline and the audit chain."""

from django.contrib import admin

from hamroh.assistance.models import BorderPoint, CaseType, Partner


@admin.register(CaseType)
class CaseTypeAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_en",
        "name_ru",
        "name_tg",
        "asks_hours_held",
        "order",
        "is_active",
    ]
    list_filter = ["is_active"]
    search_fields = ["code", "name_en", "name_ru", "name_tg"]


@admin.register(BorderPoint)
class BorderPointAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "country_code", "representation_code", "name_en"]
    list_filter = ["kind", "country_code"]
    search_fields = ["code", "name_en", "name_ru", "name_tg"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "country_code", "city", "agency", "is_active"]
    list_filter = ["kind", "country_code", "is_active"]
    search_fields = ["code", "name_en", "name_ru", "name_tg", "services"]
