from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamroh.core import messaging
from hamroh.core.management.base import TranslatedCommand


class Command(TranslatedCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "Send the queued messages to reporters and screened people whose next try is due "
        "(Telegram, SMS); retry with backoff and mark a message failed after the last attempt."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        outcomes = messaging.deliver_due()
        self.stdout.write(
            _(
                "%(sent)d sent, %(retry)d to retry, %(failed)d failed, "
                "%(unconfigured)d waiting for a channel to be configured."
            )
            % {
                "sent": outcomes[messaging.SENT],
                "retry": outcomes[messaging.QUEUED] + outcomes[messaging.WAITING],
                "failed": outcomes[messaging.FAILED],
                "unconfigured": outcomes[messaging.UNCONFIGURED],
            }
        )
