from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamroh.core.management.base import TranslatedCommand
from hamroh.core.management.files import read_input
from hamroh.stats import services
from hamroh.stats.tabular import FileRefused


class Command(TranslatedCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "Import individual departure records (CSV: person_id, sex, birth_date, departure_date, "
        "destination, destination_region, origin_region, occupation, channel). All or nothing; "
        "a record already imported is not added twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("the CSV file"))
        parser.add_argument(
            "--source",
            default="import",
            help=_("name of the source system; a person's record is unique per source"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path, data = read_input(options["file"])
        started = time.monotonic()

        def progress(stage: str, done: int, total: int) -> None:
            if stage == "read":
                self.stderr.write(_("read %(done)d lines") % {"done": done})
            else:
                self.stderr.write(
                    _("stored %(done)d of %(total)d") % {"done": done, "total": total}
                )

        try:
            batch = services.import_departures(
                data=data,
                file_name=path.name,
                source=options["source"],
                actor_label="hamroh import departures",
                progress=progress,
            )
        except FileRefused as refused:
            for line in refused.errors:
                self.stderr.write(line)
            raise CommandError(
                _("Nothing was imported: %(count)d problem(s) in %(file)s.")
                % {"count": len(refused.errors), "file": path.name}
            ) from None
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(
            _(
                "Import %(batch)d: %(rows)d records read, %(created)d added, "
                "%(unchanged)d already present, in %(seconds).1f s."
            )
            % {
                "batch": batch.pk,
                "rows": batch.rows,
                "created": batch.created,
                "unchanged": batch.unchanged,
                "seconds": time.monotonic() - started,
            }
        )
