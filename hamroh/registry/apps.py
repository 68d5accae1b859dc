from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from hamroh.core.navigation import Link
from hamroh.core.roles import Capability


class RegistryConfig(AppConfig):
    name = "hamroh.registry"
    label = "registry"
    verbose_name = _("Registry of people")
    # Shown in the desk's menu to users whose role has the capability (see core.navigation).
    desk_links: list[Link] = [Link("registry:people", _("Registry"), Capability.MANAGE_RECRUITMENT)]
    # Shown on the public portal's menu.
    portal_links: list[Link] = [
        Link("registry:register", _("Register")),
        Link("registry:me", _("My record")),
    ]
