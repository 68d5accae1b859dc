from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hamroh.core"
    label = "core"
    verbose_name = _("Core: agencies, users, audit and reference data")
