"""``hamroh discard_stale_imports``: delete uploads checked but never imported (cron, daily)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamroh.core.management.base import TranslatedCommand
from hamroh.registry.services import discard_stale_imports


class Command(TranslatedCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "Delete the files of registry uploads that were checked but neither imported nor "
        "discarded within seven days (every upload also does this)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = discard_stale_imports()
        self.stdout.write(_("%(count)d unused uploads deleted.") % {"count": count})
