"""``hamroh import registry FILE.csv|FILE.xlsx``: check every line, then store all or nothing."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hamroh.core.models import Agency, User
from hamroh.registry import importing


class Command(BaseCommand):
    help = (
        "Import people into the registry from a CSV or Excel file. Every line is checked "
        "first; if any line is wrong nothing is stored. Likely duplicates are reported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .csv or .xlsx file")
        parser.add_argument(
            "--agency", required=True, help="code of the agency the people belong to (e.g. aoe)"
        )
        parser.add_argument("--user", default="", help="user name recorded as the importer")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and preview only; store nothing"
        )
        parser.add_argument(
            "--skip-duplicate-check",
            action="store_true",
            help="do not look for likely duplicates with the identity engine (large migrations)",
        )
        parser.add_argument(
            "--bulk",
            action=argparse.BooleanOptionalAction,
            default=None,
            help=(
                "drop the registry's secondary indexes while loading and build them again "
                "before commit; locks the registry tables on PostgreSQL until the import ends "
                f"(default: from {importing.BULK_FROM} lines, if the file is at least as large "
                "as the registry)"
            ),
        )
        parser.add_argument(
            "--preview", type=int, default=5, help="how many checked lines to show (default 5)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(_("Unknown agency: %(code)s") % {"code": options["agency"]})
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"], agency=agency).first()
            if actor is None:
                raise CommandError(
                    _("No user %(user)s in agency %(code)s.")
                    % {"user": options["user"], "code": agency.code}
                )
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            width = 30
            filled = width * done // max(total, 1)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            if done == total:
                sys.stderr.write("\n")

        actor_label = actor.get_username() if actor else "hamroh import registry"
        # Without the duplicate search (large migrations) each batch is written as soon as it
        # is checked, in the one transaction; any problem and nothing stays.
        at_once = options["skip_duplicate_check"] and not options["dry_run"]
        try:
            if at_once:
                report = importing.check_and_store(
                    path.read_bytes(),
                    str(path),
                    agency=agency,
                    actor=actor,
                    actor_label=actor_label,
                    bulk=options["bulk"],
                    progress=progress if sys.stderr.isatty() else None,
                )
            else:
                report = importing.check_file(
                    path, find_duplicates=not options["skip_duplicate_check"]
                )
        except importing.ImportFileError as error:
            raise CommandError(f"{path}: {error}") from None
        self.stdout.write(
            _("%(n)s lines checked, %(bad)s problems; columns: %(columns)s")
            % {
                "n": len(report.rows) + len({p.line for p in report.problems}),
                "bad": len(report.problems),
                "columns": ", ".join(report.columns),
            }
        )
        for row in report.rows[: options["preview"]]:
            self.stdout.write(
                f"  {_('line')} {row.line}: {row.sex} {row.birth} {row.region} "
                f"{row.occupation or '-'}"
            )
        for problem in report.problems[:200]:
            self.stderr.write(problem.located(str(path)))
        if len(report.problems) > 200:
            self.stderr.write(_("... and %(n)s more problems.") % {"n": len(report.problems) - 200})
        for line, other in report.duplicates:
            self.stdout.write(
                _("%(path)s, line %(line)s: may be the same person as %(other)s (merge candidate)")
                % {"path": path, "line": line, "other": other}
            )
        if not report.ok:
            raise CommandError(_("Nothing was imported: correct the lines above and try again."))
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was stored."))
            return

        if at_once:
            stored = report.created
        else:
            stored = importing.store(
                report,
                agency=agency,
                actor=actor,
                actor_label=actor_label,
                progress=progress if sys.stderr.isatty() else None,
                bulk=options["bulk"],
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("%(n)s people imported in %(seconds).1f s.")
                % {"n": stored, "seconds": time.monotonic() - started}
            )
        )
