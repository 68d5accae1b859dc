from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamroh.assistance.services import escalate_breached_cases
from hamroh.core.management.base import TranslatedCommand


class Command(TranslatedCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "Flag open cases past a response-time target and escalate them to the supervisor."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = escalate_breached_cases()
        self.stdout.write(_("%(count)d cases escalated.") % {"count": count})
