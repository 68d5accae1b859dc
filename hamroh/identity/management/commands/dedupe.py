"""``manage.py dedupe`` / ``hamroh dedupe``: find records that are the same person."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from hamroh.identity.engine import PersonFileError, dedupe, read_person_csv, write_clusters_csv
from hamroh.identity.management.errors import file_error, output_error
from hamroh.identity.management.progress import add_run_arguments, bar_for


class Command(BaseCommand):
    help = _(
        "Group the records of RECORDS.csv that are the same person and write CLUSTERS.csv "
        "with the columns id, cluster_id (every record appears once; records of one person "
        "share a cluster_id). Only confident matches are joined. The input is a person CSV "
        "file: id, surname, given_name, patronymic, full_name, birth_date, sex, "
        "nationality, document_number."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("records", metavar="RECORDS.csv", help=_("records to deduplicate"))
        parser.add_argument(
            "--out",
            metavar="CLUSTERS.csv",
            required=True,
            help=_("where to write the clusters; written only if the whole run succeeds"),
        )
        add_run_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            records = read_person_csv(options["records"])
        except PersonFileError as exc:
            raise file_error(exc) from exc
        bar = bar_for(self, _("records"), options)
        try:
            clusters = dedupe(records, progress=bar.update, workers=options["workers"])
        finally:
            bar.close()
        try:
            write_clusters_csv(options["out"], clusters)
        except OSError as exc:
            raise output_error(options["out"], exc) from exc
        if options["verbosity"] > 0:
            self.stdout.write(
                _(
                    "Deduplicated %(records)d records into %(clusters)d people in "
                    "%(seconds).1f s; written to %(out)s."
                )
                % {
                    "records": len(records),
                    "clusters": len(clusters),
                    "seconds": time.monotonic() - started,
                    "out": options["out"],
                }
            )
