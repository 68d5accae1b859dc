from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamroh.core.management.base import TranslatedCommand
from hamroh.core.reference import load_reference_data


class Command(TranslatedCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "Load the shipped reference data (countries, regions and districts, ISCO-08, ISIC Rev.4)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_reference_data()
        if options["verbosity"] >= 1:
            for table, count in counts.items():
                self.stdout.write(_("%(table)s: %(count)d rows") % {"table": table, "count": count})
