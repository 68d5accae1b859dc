from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamroh.core.management.base import TranslatedCommand
from hamroh.core.management.files import read_input
from hamroh.stats import exports, services
from hamroh.stats.checks import run_checks
from hamroh.stats.figures import read_figures
from hamroh.stats.periods import Period
from hamroh.stats.tabular import FileRefused


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text}) from None


class Command(TranslatedCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "Labour-migration statistics: export tables, import published figures, run the "
        "consistency checks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        export = actions.add_parser(
            "export", help=_("Export the tables of a period (SDMX-CSV, SDMX-ML, Excel, PDF).")
        )
        export.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
        export.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
        export.add_argument("--format", required=True, choices=sorted(exports.FORMATS))
        export.add_argument("--out", required=True, help=_("file to write"))
        figures = actions.add_parser(
            "import-figures", help=_("Import published aggregate figures from a CSV file.")
        )
        figures.add_argument("file")
        figures.add_argument(
            "--dry-run", action="store_true", help=_("only show what would change")
        )
        figures.add_argument(
            "--update", action="store_true", help=_("replace figures whose value changed")
        )
        check = actions.add_parser("check", help=_("Run the consistency checks."))
        check.add_argument(
            "--bound", type=float, default=None, help=_("year-on-year bound, e.g. 0.5 for ±50 %")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "export":
            self._export(options)
        elif action == "import-figures":
            self._import_figures(options)
        else:
            self._check(options)

    def _export(self, options: dict[str, Any]) -> None:
        start, end = _day(options["start"]), _day(options["end"])
        if end < start:
            raise CommandError(_("The period ends before it starts."))
        try:
            file = exports.export_table(
                actor=None,
                kind=options["format"],
                period=Period(start, end),
                actor_label="hamroh stats export",
            )
        except exports.ExportRefused as error:
            raise CommandError(str(error)) from None
        Path(options["out"]).write_bytes(file.content)
        self.stdout.write(
            _("Wrote %(file)s (%(size)d bytes).")
            % {"file": options["out"], "size": len(file.content)}
        )

    def _import_figures(self, options: dict[str, Any]) -> None:
        path, data = read_input(options["file"])
        try:
            figures, errors = read_figures(data, path.name)
        except FileRefused as refused:
            figures, errors = [], refused.errors
        plan = None
        if not errors:
            plan, _batch = services.import_figures(
                figures=figures,
                file_name=path.name,
                actor_label="hamroh stats import-figures",
                dry_run=options["dry_run"],
                update=options["update"],
            )
            errors = plan.errors
        if errors:
            for line in errors:
                self.stderr.write(line)
            raise CommandError(
                _("Nothing was imported: %(count)d problem(s) in %(file)s.")
                % {"count": len(errors), "file": path.name}
            )
        assert plan is not None
        for item in plan.items:
            if item.status != "unchanged":
                self.stdout.write(
                    f"{item.status}: {item.figure.source} {item.figure.measure} "
                    f"{item.figure.period_label} {item.figure.sex} {item.figure.area} "
                    f"{item.figure.origin_region}: {item.old_value if item.old_value is not None else '—'} → {item.figure.value}"
                )
        summary = _("%(new)d new, %(changed)d changed, %(unchanged)d unchanged.") % {
            "new": plan.count("new"),
            "changed": plan.count("changed"),
            "unchanged": plan.count("unchanged"),
        }
        if options["dry_run"]:
            summary = _("Dry run, nothing written: %(summary)s") % {"summary": summary}
        self.stdout.write(summary)

    def _check(self, options: dict[str, Any]) -> None:
        report = run_checks(bound=options["bound"])
        for finding in report.violations:
            self.stdout.write(
                f"{finding.severity.upper()}: {finding.rule_label} — {finding.dataset}, "
                f"{finding.period}: {finding.message}"
            )
            for involved in finding.involved:
                self.stdout.write(f"    {involved.label}: {involved.value}")
        self.stdout.write(
            _("%(problems)d problem(s), %(passed)d check(s) passed.")
            % {"problems": len(report.violations), "passed": len(report.passed)}
        )
