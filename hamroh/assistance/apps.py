from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from hamroh.core.navigation import Link
from hamroh.core.roles import Capability


class AssistanceConfig(AppConfig):
    name = "hamroh.assistance"
    label = "assistance"
    verbose_name = _("Assistance desk")
    # Shown in the desk's menu to users whose role has the capability (see core.navigation).
    desk_links: list[Link] = [
        Link("assistance:queue", _("Cases"), Capability.HANDLE_CASES),
        Link("assistance:console", _("Helpline console"), Capability.HANDLE_CASES),
        Link("assistance:dashboard", _("Case dashboard"), Capability.SUPERVISE_CASES),
    ]
    # Shown on the public portal's menu.
    portal_links: list[Link] = [
        Link("assistance:report", _("Get help")),
        Link("assistance:follow_up", _("Follow my case")),
    ]
