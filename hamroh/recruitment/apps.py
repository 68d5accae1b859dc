from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from hamroh.core.navigation import Link
from hamroh.core.roles import Capability


class RecruitmentConfig(AppConfig):
    name = "hamroh.recruitment"
    label = "recruitment"
    verbose_name = _("Organised recruitment")
    # Shown in the desk's menu to users whose role has the capability (see core.navigation).
    desk_links: list[Link] = [
        Link("recruitment:desk", _("Recruitment"), Capability.MANAGE_RECRUITMENT),
        Link("recruitment:roster", _("Roster"), Capability.MANAGE_RECRUITMENT),
        Link("recruitment:job_orders", _("Job orders"), Capability.MANAGE_RECRUITMENT),
        Link("recruitment:employers", _("Employers"), Capability.MANAGE_RECRUITMENT),
    ]
    # Shown on the public portal's menu.
    portal_links: list[Link] = [Link("recruitment:jobs", _("Jobs abroad"))]

    def ready(self) -> None:
        from hamroh.registry.signals import people_merged, person_registered

        person_registered.connect(_put_on_roster, dispatch_uid="recruitment-roster")
        people_merged.connect(_retire_duplicate, dispatch_uid="recruitment-merge")


def _put_on_roster(sender: Any, person: Any, **kwargs: Any) -> None:
    from hamroh.recruitment.services import put_on_roster

    put_on_roster(actor=None, person=person)


def _retire_duplicate(sender: Any, kept: Any, merged: Any, **kwargs: Any) -> None:
    """A merged duplicate leaves the roster (its entry ends today; the kept record stays)."""
    from datetime import date, timedelta

    from hamroh.recruitment.models import RosterEntry

    RosterEntry.objects.filter(person=merged).update(valid_until=date.today() - timedelta(days=1))
