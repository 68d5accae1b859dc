from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.db import IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamroh.core.management.base import TranslatedCommand
from hamroh.core.services import bootstrap_operator


class Command(TranslatedCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "Create the agency that operates Hamroh and its first administrator. "
        "The password is read from HAMROH_ADMIN_PASSWORD or asked for."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--agency-code", default="mlme", help=_("Code of the operating agency.")
        )
        parser.add_argument(
            "--agency-name",
            default="Ministry of Labour, Migration and Employment of the Republic of Tajikistan",
            help=_("Name of the operating agency."),
        )
        parser.add_argument("--country", default="TJK", help=_("ISO alpha-3 country code."))
        parser.add_argument("--username", required=True, help=_("User name of the administrator."))

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("HAMROH_ADMIN_PASSWORD") or getpass.getpass(_("Password: "))
        try:
            user = bootstrap_operator(
                agency_code=options["agency_code"],
                agency_name=options["agency_name"],
                country_code=options["country"],
                username=options["username"],
                password=password,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        except IntegrityError as error:
            raise CommandError(_("That user name is taken.")) from error
        self.stdout.write(
            _("Administrator %(username)s of %(agency)s created.")
            % {"username": user.username, "agency": options["agency_code"]}
        )
