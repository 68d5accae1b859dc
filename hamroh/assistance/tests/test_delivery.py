"""Messages to reporters leave through a local fake Bot API: sent after the commit by the
worker, retried with backoff by ``hamroh send_messages``, failed after the last attempt,
left queued while Telegram is not configured; shown on the case timeline."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from hamroh.assistance import services
from hamroh.assistance.models import Case, OutgoingMessage
from hamroh.core import messaging
from hamroh.core.models import AuditEntry

from .factories import submit
from .fake_channels import FakeTelegram, sms_gateway, telegram_api  # noqa: F401

pytestmark = pytest.mark.django_db
CHAT = "517734211"


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> None:
    # The worker runs the task as soon as it is enqueued (setting TASKS resets the backends).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.HAMROH_MESSAGE_MAX_ATTEMPTS = 3


@pytest.fixture
def case_with_chat() -> Case:
    """A web case whose reporter turned Telegram updates on."""
    case = submit(language="ru").case
    Case.objects.filter(pk=case.pk).update(telegram_chat=CHAT, wants_updates=True)
    case.refresh_from_db()
    return case


def queue_reply(people: Any, case: Case, capture: Any) -> OutgoingMessage:
    with capture(execute=True):
        message = services.reply_to_reporter(actor=people.operator, case=case, text="Позвоните")
    assert message is not None
    message.refresh_from_db()
    return message


def test_a_reply_is_sent_by_the_worker_once_the_transaction_commits(
    people: Any,
    case_with_chat: Case,
    telegram_api: FakeTelegram,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    message = queue_reply(people, case_with_chat, django_capture_on_commit_callbacks)
    [request] = telegram_api.received
    assert request.body == {"chat_id": CHAT, "text": "Позвоните"}
    assert (message.status, message.attempts, message.error) == ("sent", 1, "")
    assert message.sent_at is not None
    audit = AuditEntry.objects.get(object_type="assistance.outgoingmessage", action="export")
    assert audit.object_id == str(message.pk) and audit.fields == ["chat", "text"]
    assert audit.subject_agency_code == case_with_chat.owning_agency.code


def test_nothing_is_sent_before_the_commit(
    people: Any,
    case_with_chat: Case,
    telegram_api: FakeTelegram,  # noqa: F811
) -> None:
    services.reply_to_reporter(actor=people.operator, case=case_with_chat, text="Позвоните")
    assert telegram_api.received == []
    assert OutgoingMessage.objects.get().status == "queued"


def test_a_blocked_bot_fails_at_once_and_is_not_retried(
    people: Any,
    case_with_chat: Case,
    telegram_api: FakeTelegram,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    telegram_api.script.append(FakeTelegram.blocked())
    message = queue_reply(people, case_with_chat, django_capture_on_commit_callbacks)
    assert message.status == "failed" and message.attempts == 1
    assert message.error == "telegram 403: Forbidden: bot was blocked by the user"
    messaging.deliver_due(now=timezone.now() + timedelta(days=1))
    assert len(telegram_api.received) == 1


def test_a_server_error_is_retried_with_backoff_and_fails_after_the_last_attempt(
    case_with_chat: Case,
    telegram_api: FakeTelegram,  # noqa: F811
) -> None:
    telegram_api.script.extend([FakeTelegram.bad_gateway()] * 3)
    message = services.notify_reporter(case=case_with_chat, text="Статус")
    assert message is not None
    start = timezone.now()

    assert messaging.deliver_due(now=start) == {"queued": 1}
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("queued", 1)
    assert message.next_attempt_at == start + timedelta(minutes=1)
    assert message.error == "telegram 502: Bad Gateway"

    assert messaging.deliver_due(now=start + timedelta(seconds=59)) == {}  # not due yet
    assert len(telegram_api.received) == 1

    messaging.deliver_due(now=start + timedelta(minutes=1))
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.next_attempt_at == start + timedelta(minutes=1 + 4)

    assert messaging.deliver_due(now=start + timedelta(minutes=5)) == {"failed": 1}
    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == ("failed", 3, None)
    assert len(telegram_api.received) == 3
    assert AuditEntry.objects.filter(action="export", object_id=str(message.pk)).count() == 3


def test_telegrams_retry_after_is_honoured(
    case_with_chat: Case,
    telegram_api: FakeTelegram,  # noqa: F811
) -> None:
    telegram_api.script.append(FakeTelegram.too_many(retry_after=300))
    message = services.notify_reporter(case=case_with_chat, text="Статус")
    assert message is not None
    start = timezone.now()
    messaging.deliver_due(now=start)
    message.refresh_from_db()
    assert message.next_attempt_at == start + timedelta(seconds=300)
    assert messaging.deliver_due(now=start + timedelta(seconds=300)) == {"sent": 1}


def test_an_unconfigured_channel_leaves_messages_queued_until_it_is_configured(
    settings: Any,
    case_with_chat: Case,
    telegram_api: FakeTelegram,  # noqa: F811
) -> None:
    settings.HAMROH_TELEGRAM_TOKEN = ""
    services.notify_reporter(case=case_with_chat, text="Статус")
    out = io.StringIO()
    call_command("send_messages", stdout=out)
    assert "1 waiting for a channel to be configured" in out.getvalue()
    message = OutgoingMessage.objects.get()
    assert (message.status, message.attempts) == ("queued", 0)
    assert telegram_api.received == []
    assert not AuditEntry.objects.filter(action="export").exists()

    from .fake_channels import TELEGRAM_TOKEN

    settings.HAMROH_TELEGRAM_TOKEN = TELEGRAM_TOKEN
    out = io.StringIO()
    call_command("send_messages", stdout=out)
    assert out.getvalue().startswith("1 sent")
    assert OutgoingMessage.objects.get().status == "sent"


def test_nothing_personal_is_logged(
    case_with_chat: Case,
    telegram_api: FakeTelegram,  # noqa: F811
    caplog: Any,
) -> None:
    telegram_api.script.append(FakeTelegram.bad_gateway())
    services.notify_reporter(case=case_with_chat, text="Статус обращения")
    with caplog.at_level("INFO", logger="hamroh.core.messaging"):
        messaging.deliver_due()
        messaging.deliver_due(now=timezone.now() + timedelta(minutes=2))
    logged = caplog.text
    assert "attempt 1 via telegram: queued" in logged and "attempt 2 via telegram: sent" in logged
    assert CHAT not in logged and "Статус" not in logged and "AAHk" not in logged


def test_the_timeline_shows_whether_each_message_was_sent_queued_or_failed(
    settings: Any,
    people: Any,
    client_for: Any,
    case_with_chat: Case,
    telegram_api: FakeTelegram,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    queue_reply(people, case_with_chat, django_capture_on_commit_callbacks)  # sent
    telegram_api.script.append(FakeTelegram.blocked())
    queue_reply(people, case_with_chat, django_capture_on_commit_callbacks)  # failed
    services.notify_reporter(case=case_with_chat, text="Статус")  # queued, not yet tried
    client = client_for(people.operator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/desk/assistance/cases/{case_with_chat.pk}/").content.decode()
    assert page.count("Message to the reporter (Telegram)") == 3
    assert 'data-testid="delivery-sent"' in page
    assert 'data-testid="delivery-failed"' in page and "bot was blocked by the user" in page
    assert 'data-testid="delivery-queued"' in page

    settings.HAMROH_TELEGRAM_TOKEN = ""
    page = client.get(f"/desk/assistance/cases/{case_with_chat.pk}/").content.decode()
    assert "Telegram is not configured" in page
