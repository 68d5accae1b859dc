from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from hamroh.core.navigation import Link
from hamroh.core.roles import Capability


class ScreeningConfig(AppConfig):
    name = "hamroh.screening"
    label = "screening"
    verbose_name = _("Screening")
    # Shown in the desk's menu to users whose role has the capability (see core.navigation).
    desk_links: list[Link] = [
        Link("screening:overview", _("Screening"), Capability.REVIEW_MATCHES),
        Link("screening:queue", _("Reviewer queue"), Capability.REVIEW_MATCHES),
        Link("screening:notifications", _("Confirmed bans"), Capability.HANDLE_CASES),
    ]
    # Shown on the public portal's menu.
    portal_links: list[Link] = [Link("screening:self_check", _("Check before you travel"))]
