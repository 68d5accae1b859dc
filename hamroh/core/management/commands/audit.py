from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamroh.core import audit
from hamroh.core.management.base import TranslatedCommand


class Command(TranslatedCommand):
    help = gettext_lazy("Work with the audit trail.")  # type: ignore[assignment]

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser(
            "verify",
            help=_(
                "Check that no stored entry was edited or deleted. Exits with status 1 and "
                "names the first broken entry otherwise."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit.verify()
        if not report.ok:
            raise CommandError(
                _("Audit chain broken at entry %(seq)s: %(problem)s")
                % {"seq": report.broken_seq, "problem": report.problem}
            )
        self.stdout.write(
            _("Audit chain intact: %(count)d entries, last hash %(hash)s")
            % {"count": report.entries, "hash": report.head_hash}
        )
