from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from hamroh.core.navigation import Link
from hamroh.core.roles import Capability


class StatsConfig(AppConfig):
    name = "hamroh.stats"
    label = "stats"
    verbose_name = _("Labour-migration statistics")
    # Shown in the desk's menu to users whose role has the capability (see core.navigation).
    desk_links: list[Link] = [
        Link("stats:dashboard", _("Statistics"), Capability.VIEW_STATISTICS),
        Link("stats:table", _("Official tables"), Capability.VIEW_STATISTICS),
        Link("stats:checks", _("Consistency checks"), Capability.VIEW_STATISTICS),
        Link("stats:mirror", _("Mirror statistics"), Capability.VIEW_STATISTICS),
        Link("stats:figures", _("Published figures"), Capability.VIEW_STATISTICS),
    ]
    # Shown on the public portal's menu.
    portal_links: list[Link] = []
