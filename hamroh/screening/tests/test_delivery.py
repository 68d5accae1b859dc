"""The message to a person with a confirmed match leaves after the reviewer's confirmation:
a phone number by the SMS gateway, ``telegram:<chat id>`` by Telegram (local fakes)."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from hamroh.assistance.tests.fake_channels import (  # noqa: F401
    SMS_TOKEN,
    FakeGateway,
    FakeTelegram,
    sms_gateway,
    telegram_api,
)
from hamroh.core import messaging
from hamroh.core.models import AuditEntry
from hamroh.screening import services
from hamroh.screening.models import MigrantMessage, PossibleMatch

pytestmark = pytest.mark.django_db

COHORT = (
    "id,surname,given_name,birth_date,document_number,consent,contact,language\n"
    "P-1,Ҷӯраев,Ҷамшед,1990-05-17,400123456,yes,+992 90 000-00-01,ru\n"
    "P-2,Каримов,Фаррух,1985-11-02,400555111,yes,telegram:517734211,tg\n"
    "P-3,Назарова,Мадина,1992-02-29,400777888,yes,@madina_n,en\n"
).encode()


@pytest.fixture(autouse=True)
def fewer_attempts(settings: Any) -> None:
    settings.HAMROH_MESSAGE_MAX_ATTEMPTS = 2


@pytest.fixture
def run(people: Any, entry_bans: Any, django_capture_on_commit_callbacks: Any) -> Any:
    with django_capture_on_commit_callbacks(execute=True):
        return services.screen_cohort(actor=people.reviewer, file_name="week.csv", data=COHORT)


def confirm(people: Any, run: Any, subject: str, capture: Any) -> MigrantMessage:
    match = PossibleMatch.objects.get(run=run, subject_ref=f"cohort:{subject}")
    with capture(execute=True):
        services.confirm_match(actor=people.reviewer, match=match, reason="Passport equal")
    return MigrantMessage.objects.get(match=match)


def test_a_confirmation_sends_the_message_by_sms(
    people: Any,
    run: Any,
    sms_gateway: FakeGateway,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    message = confirm(people, run, "P-1", django_capture_on_commit_callbacks)
    [request] = sms_gateway.received
    assert request.path == "/messages"
    assert request.headers["Authorization"] == f"Bearer {SMS_TOKEN}"
    assert request.body["to"] == "+992900000001"
    assert request.body["text"] == message.body and "Entry bans (test)" in message.body
    assert (message.status, message.attempts) == ("sent", 1) and message.sent_at is not None
    audit = AuditEntry.objects.get(object_type="screening.migrantmessage", action="export")
    assert audit.fields == ["body", "contact"] and audit.subject_agency_code == "mlme"


def test_a_telegram_contact_is_sent_by_the_bot(
    people: Any,
    run: Any,
    telegram_api: FakeTelegram,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    message = confirm(people, run, "P-2", django_capture_on_commit_callbacks)
    [request] = telegram_api.received
    assert request.body["chat_id"] == "517734211" and request.body["text"] == message.body
    assert message.status == "sent"


def test_a_contact_no_channel_reaches_fails_without_a_call(
    people: Any,
    run: Any,
    sms_gateway: FakeGateway,  # noqa: F811
    telegram_api: FakeTelegram,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    message = confirm(people, run, "P-3", django_capture_on_commit_callbacks)
    assert (message.status, message.attempts) == ("failed", 0)
    assert message.error == "no channel reaches this address"
    assert sms_gateway.received == [] and telegram_api.received == []


def test_a_gateway_error_is_retried_then_fails_and_a_refusal_is_final(
    people: Any,
    run: Any,
    sms_gateway: FakeGateway,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    sms_gateway.script.extend([(503, {"error": "busy"}), (503, {"error": "busy"})])
    message = confirm(people, run, "P-1", django_capture_on_commit_callbacks)
    assert (message.status, message.attempts) == ("queued", 1)
    assert message.error == "sms gateway HTTP 503"
    messaging.deliver_due(now=timezone.now() + timedelta(minutes=2))
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 2)

    sms_gateway.script.append((400, {"error": "invalid number +992900000003"}))
    MigrantMessage.objects.filter(pk=message.pk).update(status="queued", attempts=0)
    messaging.deliver_due(now=timezone.now() + timedelta(hours=1))
    message.refresh_from_db()
    assert (message.status, message.attempts, message.error) == (
        "failed",
        1,
        "sms gateway HTTP 400",  # the gateway's text, which may repeat the number, is dropped
    )


def test_without_a_gateway_the_message_waits_queued(
    settings: Any, people: Any, run: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.HAMROH_SMS_GATEWAY_URL = ""
    message = confirm(people, run, "P-1", django_capture_on_commit_callbacks)
    out = io.StringIO()
    call_command("send_messages", stdout=out)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("queued", 0)
    assert "1 waiting for a channel to be configured" in out.getvalue()
