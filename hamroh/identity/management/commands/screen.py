"""``manage.py screen`` / ``hamroh screen``: screen people against a restriction list."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from hamroh.identity.engine import (
    PersonFileError,
    build_index,
    read_person_csv,
    screen,
    write_matches_csv,
)
from hamroh.identity.management.errors import file_error, output_error
from hamroh.identity.management.progress import add_run_arguments, bar_for


class Command(BaseCommand):
    help = _(
        "Screen everyone in PEOPLE.csv against the entries of LIST.csv (for example an "
        "entry-ban list) and write the possible matches to MATCHES.csv with the columns "
        "person_id, entry_id, score, decision, reasons. 'match' means confident, 'review' "
        "means a person must look. Both inputs are person CSV files: id, surname, "
        "given_name, patronymic, full_name, birth_date, sex, nationality, document_number."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("people", metavar="PEOPLE.csv", help=_("people to screen"))
        parser.add_argument("list", metavar="LIST.csv", help=_("list entries to screen against"))
        parser.add_argument(
            "--out",
            metavar="MATCHES.csv",
            required=True,
            help=_("where to write the matches; written only if the whole run succeeds"),
        )
        add_run_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            people = read_person_csv(options["people"])
            entries = read_person_csv(options["list"])
        except PersonFileError as exc:
            raise file_error(exc) from exc
        bar = bar_for(self, _("people"), options)
        index = build_index(entries)
        try:
            rows = write_matches_csv(
                options["out"],
                screen(people, index, progress=bar.update, workers=options["workers"]),
            )
        except OSError as exc:
            raise output_error(options["out"], exc) from exc
        finally:
            bar.close()
        if options["verbosity"] > 0:
            self.stdout.write(
                _(
                    "Screened %(people)d people against %(entries)d entries in %(seconds).1f s: "
                    "%(rows)d pairs written to %(out)s."
                )
                % {
                    "people": len(people),
                    "entries": len(entries),
                    "seconds": time.monotonic() - started,
                    "rows": rows,
                    "out": options["out"],
                }
            )
