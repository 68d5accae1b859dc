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
        Link("assistance:articles", _("Knowledge pages"), Capability.SUPERVISE_CASES),
    ]
    # Shown on the public portal's menu.
    portal_links: list[Link] = [
        Link("assistance:report", _("Get help")),
        Link("assistance:follow_up", _("Follow my case")),
        Link("assistance:knowledge", _("Know your rights")),
    ]

    def ready(self) -> None:
        from django.db import transaction
        from django.db.models.signals import post_delete, post_migrate, post_save

        from hamroh.assistance import lookups
        from hamroh.assistance.models import BorderPoint, CaseType
        from hamroh.core.models import Agency

        def changed(**kwargs: object) -> None:
            # Now, and again once the change is committed: a report read in between must not
            # keep the old row.
            lookups.forget()
            transaction.on_commit(lookups.forget, using=kwargs.get("using"))  # type: ignore[arg-type]

        for model in (CaseType, BorderPoint, Agency):
            for signal in (post_save, post_delete):
                signal.connect(
                    changed,
                    sender=model,
                    weak=False,
                    dispatch_uid=f"assistance-lookups-{model._meta.label}",
                )
        post_migrate.connect(lookups.forget, weak=False, dispatch_uid="assistance-lookups")
