"""`hamroh import list FILE --list NAME`: load a partner's restriction list as its new version."""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamroh.core.management.base import TranslatedCommand
from hamroh.core.management.files import read_input
from hamroh.core.models import User
from hamroh.screening import services
from hamroh.screening.list_file import ListFileError
from hamroh.screening.models import RestrictionList


class Command(TranslatedCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "Load a restriction list file (CSV or Excel) as the list's new version; the version in "
        "force stays in force if the file has a problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("the list file (CSV or .xlsx)"))
        parser.add_argument("--list", required=True, dest="list_name", help=_("the list's name"))
        parser.add_argument(
            "--user",
            help=_(
                "the user who loads it (needs the review-matches capability); without it the "
                "audit trail names this command"
            ),
        )
        parser.add_argument(
            "--create",
            choices=[choice for choice, _label in RestrictionList.Kind.choices],
            help=_("create the list with this kind if it does not exist"),
        )
        parser.add_argument(
            "--country", default="RUS", help=_("country that imposes a new list (alpha-3)")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path, data = read_input(options["file"])
        actor = None
        if options["user"]:
            actor = User.objects.select_related("agency").filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(_("No user named %(name)s.") % {"name": options["user"]})
        restriction_list = RestrictionList.objects.filter(name=options["list_name"]).first()
        try:
            # A list created here is not left behind, empty, if its first file is refused.
            with transaction.atomic():
                if restriction_list is None:
                    if not options["create"]:
                        raise CommandError(
                            _("No list named %(name)s; add --create KIND to create it.")
                            % {"name": options["list_name"]}
                        )
                    restriction_list = services.create_list(
                        actor=actor,
                        name=options["list_name"],
                        kind=options["create"],
                        country_code=options["country"].upper(),
                    )
                version = services.load_list(
                    actor=actor,
                    restriction_list=restriction_list,
                    file_name=path.name,
                    data=data,
                    progress=self._progress,
                )
        except ListFileError as error:
            raise CommandError("\n".join(error.messages)) from None
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        if self.stderr.isatty():
            self.stderr.write("")
        self.stdout.write(
            _(
                "%(list)s version %(number)d is in force: %(entries)d entries, %(added)d added, "
                "%(removed)d removed, %(changed)d changed."
            )
            % {
                "list": restriction_list.name,
                "number": version.number,
                "entries": version.entry_count,
                "added": version.added,
                "removed": version.removed,
                "changed": version.changed,
            }
        )

    def _progress(self, done: int, total: int) -> None:
        if sys.stderr.isatty():
            sys.stderr.write(f"\r{done}/{total}")
            sys.stderr.flush()
