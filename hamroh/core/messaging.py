"""Messages to people outside Hamroh: Telegram's Bot API and an SMS gateway.

Two apps keep an outbox: the assistance desk (``OutgoingMessage``: replies and status
updates to reporters) and screening (``MigrantMessage``: what a person with a confirmed
match is told). Both are an :class:`Outbox`: the same delivery columns (``status``,
``attempts``, ``next_attempt_at``, ``sent_at``, ``error``), and each says where a row goes
(``destination()``); this module sends one row of either, retries with backoff and gives up
after ``HAMROH_MESSAGE_MAX_ATTEMPTS``.

Sending happens in the background worker (:func:`deliver_message`, enqueued by
:func:`deliver_on_commit` when a message is queued) and in ``hamroh send_messages`` (cron),
never in a request. A channel without its settings sends nothing: its messages stay queued,
visibly, until an operator configures it. Logs carry message ids and outcomes, never
addresses or text; every attempt that hands a message to a channel is audited.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_tasks import task

from hamroh.core import audit
from hamroh.core.models import Agency, AuditEntry

log = logging.getLogger(__name__)

TELEGRAM = "telegram"
SMS = "sms"
# Outcomes of one delivery try besides SENT and FAILED.
WAITING = "waiting"  # queued, next try later (backoff, or another worker holds it)
UNCONFIGURED = "unconfigured"  # queued, the channel has no settings

OUTBOXES = ("assistance.outgoingmessage", "screening.migrantmessage")
SENDER_LABEL = "hamroh messaging"
TELEGRAM_TEXT_LIMIT = 4096
ANSWER_LIMIT = 64 * 1024


class Outbox(models.Model):
    """A message waiting for this module: the delivery columns both outboxes share. A
    subclass says where it goes, what it says and whose it is."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", pgettext_lazy("outgoing message", "Failed")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The channel's last refusal (Telegram's description, the gateway's status); not personal.
    error = models.CharField(max_length=200, blank=True)

    # Names of the personal fields a delivery hands over, for the audit entry.
    DELIVERED_FIELDS: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def destination(self) -> tuple[str, str] | None:
        """(channel, address), or None when no channel reaches the address."""
        raise NotImplementedError

    def message_text(self) -> str:
        raise NotImplementedError

    def audit_agency(self) -> Agency | None:
        raise NotImplementedError


QUEUED, SENT, FAILED = Outbox.Status.QUEUED, Outbox.Status.SENT, Outbox.Status.FAILED


@dataclass
class SendError(Exception):
    """The channel did not take the message. ``detail`` is never personal."""

    detail: str
    permanent: bool = False
    retry_after: int = 0


# --- Channels ---------------------------------------------------------------------------


def configured(channel: str) -> bool:
    if channel == TELEGRAM:
        return bool(settings.HAMROH_TELEGRAM_TOKEN)
    if channel == SMS:
        return bool(settings.HAMROH_SMS_GATEWAY_URL and settings.HAMROH_SMS_GATEWAY_TOKEN)
    return False


def _post_json(url: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, Any]:
    if not url.startswith(("https://", "http://")):
        raise SendError("the channel's address must start with https://")
    request = urllib.request.Request(  # noqa: S310 (http or https, checked above)
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=settings.HAMROH_MESSAGE_TIMEOUT
        ) as response:
            status, raw = response.status, response.read(ANSWER_LIMIT)
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read(ANSWER_LIMIT)
    except (OSError, ValueError) as error:
        # Only the kind of failure: the error's text may hold the URL, and with it the token.
        raise SendError(f"no answer ({type(error).__name__})") from None
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, None


def send_telegram(chat: str, text: str) -> str:
    """Bot API ``sendMessage``; returns Telegram's message id."""
    url = f"{settings.HAMROH_TELEGRAM_API.rstrip('/')}/bot{settings.HAMROH_TELEGRAM_TOKEN}"
    status, answer = _post_json(
        f"{url}/sendMessage", {"chat_id": chat, "text": text[:TELEGRAM_TEXT_LIMIT]}, {}
    )
    answer = answer if isinstance(answer, dict) else {}
    if answer.get("ok") is True:
        return str(answer["result"]["message_id"])
    code = answer.get("error_code", status)
    detail = f"telegram {code}: {answer.get('description') or 'no description'}"[:200]
    if code == 429:
        retry_after = (answer.get("parameters") or {}).get("retry_after", 0)
        raise SendError(detail, retry_after=int(retry_after))
    # 400 (chat not found, chat id invalid) and 403 (blocked, deactivated) will not change by
    # retrying; 401/404 mean a wrong token, which an operator fixes, so those are retried.
    raise SendError(detail, permanent=code in (400, 403))


def send_sms(to: str, text: str) -> str:
    """POST ``{"to", "text"}`` with a bearer token; returns the gateway's ``id``, if any."""
    status, answer = _post_json(
        settings.HAMROH_SMS_GATEWAY_URL,
        {"to": to, "text": text},
        {"Authorization": f"Bearer {settings.HAMROH_SMS_GATEWAY_TOKEN}"},
    )
    if 200 <= status < 300:
        return str(answer.get("id", "")) if isinstance(answer, dict) else ""
    # Only the status: a gateway's error text may repeat the number.
    raise SendError(
        f"sms gateway HTTP {status}", permanent=400 <= status < 500 and status not in (408, 429)
    )


SENDERS: dict[str, Callable[[str, str], str]] = {TELEGRAM: send_telegram, SMS: send_sms}

_PHONE = re.compile(r"^\+?[\d\s().-]+$")
_CHAT_PREFIXES = ("telegram:", "tg:")


def route_contact(contact: str) -> tuple[str, str] | None:
    """Where a free-text contact goes: ``telegram:<chat id>`` (or ``tg:``) by Telegram, a
    phone number (7 to 15 digits) by SMS, anything else (an @username, which a bot cannot
    write to first) nowhere."""
    value = contact.strip()
    for prefix in _CHAT_PREFIXES:
        if value.lower().startswith(prefix):
            chat = value[len(prefix) :].strip()
            return (TELEGRAM, chat) if chat.lstrip("-").isdigit() else None
    digits = "".join(ch for ch in value if ch.isdigit())
    if _PHONE.match(value) and 7 <= len(digits) <= 15:
        return SMS, ("+" if value.startswith("+") else "") + digits
    return None


def telegram_start_link(token: str) -> str:
    """The deep link that opens the bot with ``/start <token>``; empty without a bot name."""
    username = settings.HAMROH_TELEGRAM_BOT_USERNAME
    return f"https://t.me/{username}?start={token}" if username else ""


# --- Delivery ---------------------------------------------------------------------------


def backoff(attempt: int) -> timedelta:
    """Wait after the n-th attempt: 1, 4, 16, 64, 256 minutes, at most 6 hours."""
    return timedelta(seconds=min(60 * 4 ** (attempt - 1), 6 * 3600))


def _due(now: datetime) -> Q:
    """Never tried, or its backoff is over."""
    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


def deliver(model: type[models.Model], pk: int, *, now: datetime | None = None) -> str:
    """Try one message once, if it is queued and due; returns the outcome."""
    now = now or timezone.now()
    message: Outbox | None = model._default_manager.filter(pk=pk).first()  # type: ignore[assignment]
    if message is None or message.status != QUEUED:
        return message.status if message is not None else FAILED
    if message.next_attempt_at is not None and message.next_attempt_at > now:
        return WAITING
    route = message.destination()
    if route is None:
        _record(model, message, now, status=FAILED, error="no channel reaches this address")
        return FAILED
    channel, address = route
    if not configured(channel):
        return UNCONFIGURED
    # Claim the attempt and schedule the next one before sending: a second worker skips the
    # row, and a worker that dies mid-send leaves it to be retried after the backoff.
    attempt = message.attempts + 1
    claimed = (
        model._default_manager.filter(pk=pk, status=QUEUED, attempts=message.attempts)
        .filter(_due(now))
        .update(attempts=attempt, next_attempt_at=now + backoff(attempt))
    )
    if not claimed:
        return WAITING
    message.attempts = attempt
    label = model._meta.label_lower
    try:
        SENDERS[channel](address, message.message_text())
    except SendError as error:
        final = error.permanent or attempt >= settings.HAMROH_MESSAGE_MAX_ATTEMPTS
        wait = max(backoff(attempt), timedelta(seconds=error.retry_after))
        status = FAILED if final else QUEUED
        _record(
            model,
            message,
            now,
            status=status,
            error=error.detail,
            next_attempt_at=None if final else now + wait,
            audited=True,
        )
        log.warning("%s %s attempt %d via %s: %s", label, pk, attempt, channel, status)
        return status
    _record(model, message, now, status=SENT, sent_at=now, audited=True)
    log.info("%s %s attempt %d via %s: sent", label, pk, attempt, channel)
    return SENT


def _record(
    model: type[models.Model],
    message: Outbox,
    now: datetime,
    *,
    status: str,
    error: str = "",
    sent_at: datetime | None = None,
    next_attempt_at: datetime | None = None,
    audited: bool = False,
) -> None:
    with transaction.atomic():
        model._default_manager.filter(pk=message.pk).update(
            status=status, error=error, sent_at=sent_at, next_attempt_at=next_attempt_at
        )
        if audited:
            # The message's personal fields left Hamroh for a channel (sent or not).
            audit.append(
                actor=None,
                actor_label=SENDER_LABEL,
                action=AuditEntry.Action.EXPORT,
                object_type=model._meta.label_lower,
                object_id=str(message.pk),
                fields=message.DELIVERED_FIELDS,
                subject_agency=message.audit_agency(),
            )


def deliver_due(*, now: datetime | None = None, limit: int = 500) -> Counter[str]:
    """Every queued message whose next try is due, in both outboxes (``hamroh
    send_messages``); returns how many ended in each outcome."""
    now = now or timezone.now()
    outcomes: Counter[str] = Counter()
    for label in OUTBOXES:
        model = apps.get_model(label)
        due = (
            model._default_manager.filter(status=QUEUED)
            .filter(_due(now))
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        for pk in list(due):
            outcomes[deliver(model, pk, now=now)] += 1
    return outcomes


@task()
def deliver_message(label: str, pk: int) -> str:
    """One delivery try in the background worker; ``hamroh send_messages`` retries."""
    return deliver(apps.get_model(label), pk)


def deliver_on_commit(message: models.Model) -> None:
    """Hand the message to the worker once the transaction that queued it commits."""
    label, pk = message._meta.label_lower, message.pk
    transaction.on_commit(lambda: deliver_message.enqueue(label, pk))
