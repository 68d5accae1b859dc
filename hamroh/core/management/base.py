"""What every Hamroh management command shares."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class TranslatedCommand(BaseCommand):
    """A command whose ``help`` is a lazy translation (``gettext_lazy``).

    argparse formats its help with regular expressions, which take only a plain string, so
    ``hamroh COMMAND --help`` failed on a lazy one. The text is translated when the parser
    is built, in the operator's language (``hamroh.cli``), not when the module is imported.
    """

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)
