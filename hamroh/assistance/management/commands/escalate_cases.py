from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamroh.assistance.services import escalate_breached_cases

HELP = gettext_lazy(
    "Flag open cases past a response-time target and escalate them to the supervisor."
)


class Command(BaseCommand):
    help = ""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # argparse needs a plain string; translate when the parser is built, not at import.
        self.help = str(HELP)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def handle(self, *args: Any, **options: Any) -> None:
        count = escalate_breached_cases()
        self.stdout.write(_("%(count)d cases escalated.") % {"count": count})
