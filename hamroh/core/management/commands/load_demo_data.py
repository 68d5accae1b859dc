from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamroh.core.demo import DEMO_PASSWORD, USERS, load_demo_data
from hamroh.core.management.base import TranslatedCommand


def _app_demo_loaders() -> list[tuple[str, Any]]:
    """Each capability app may ship ``demo.py`` with ``load_demo_data()``; core's runs first."""
    loaders = []
    for config in apps.get_app_configs():
        if not config.name.startswith("hamroh.") or config.name == "hamroh.core":
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
            continue
        loaders.append((config.label, module.load_demo_data))
    return loaders


class Command(TranslatedCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "Add the demo agencies, one demo user per role and each module's demo records "
        "(never in production)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            created = load_demo_data()
            extra = {label: loader() for label, loader in _app_demo_loaders()}
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Demo data: %(agencies)d agencies and %(users)d users added.") % created
        )
        for label, summary in extra.items():
            self.stdout.write(f"{label}: {summary}")
        self.stdout.write(
            _("Demo accounts (password %(password)s): %(names)s")
            % {"password": DEMO_PASSWORD, "names": ", ".join(user.username for user in USERS)}
        )
