"""The Telegram webhook, fed with update payloads as Telegram sends them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hamroh.assistance.models import Case, OutgoingMessage, TelegramUpdate

pytestmark = pytest.mark.django_db

SECRET = "s3cret-path-0123456789"
URL = f"/assistance/telegram/{SECRET}/"


@pytest.fixture(autouse=True)
def webhook_secret(monkeypatch: Any) -> None:
    monkeypatch.setenv("HAMROH_TELEGRAM_WEBHOOK_SECRET", SECRET)


def message_update(
    update_id: int, text: str, *, chat_id: int = 517734211, language: str = "ru"
) -> dict[str, Any]:
    """A private-chat text message, shaped exactly like Bot API 7 sends it."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1000 + update_id,
            "from": {
                "id": chat_id,
                "is_bot": False,
                "first_name": "Джамшед",
                "username": "jamshed_92",
                "language_code": language,
            },
            "chat": {
                "id": chat_id,
                "first_name": "Джамшед",
                "username": "jamshed_92",
                "type": "private",
            },
            "date": 1763890000,
            "text": text,
            **(
                {"entities": [{"offset": 0, "length": len(text), "type": "bot_command"}]}
                if text.startswith("/")
                else {}
            ),
        },
    }


def post(client: Any, payload: dict[str, Any], token: str = SECRET) -> Any:
    return client.post(
        URL,
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=token,
    )


def test_start_queues_the_help_text_in_the_users_language(client: Any) -> None:
    assert post(client, message_update(1, "/start", language="tg")).status_code == 200
    message = OutgoingMessage.objects.get()
    assert message.chat == "517734211" and "Ҳамроҳ" in message.text
    assert not Case.objects.exists()


def test_a_first_message_opens_a_consultation_case(client: Any) -> None:
    post(client, message_update(2, "Меня держат в аэропорту Внуково с утра"))
    case = Case.objects.get()
    assert case.case_type.code == "consultation" and case.channel == "telegram"
    assert case.narrative == "Меня держат в аэропорту Внуково с утра"
    reply = OutgoingMessage.objects.get()
    assert case.reference in reply.text and "код" in reply.text


def test_a_later_message_from_the_same_chat_joins_the_open_case(client: Any) -> None:
    post(client, message_update(3, "Меня держат в аэропорту"))
    post(client, message_update(4, "Паспорт забрали"))
    case = Case.objects.get()
    assert case.events.get(kind="reporter_message").text == "Паспорт забрали"
    assert OutgoingMessage.objects.count() == 2


def test_a_redelivered_update_is_handled_once(client: Any) -> None:
    post(client, message_update(5, "Помогите"))
    post(client, message_update(5, "Помогите"))
    assert Case.objects.count() == 1 and TelegramUpdate.objects.count() == 1


def test_a_wrong_secret_header_is_refused(client: Any) -> None:
    assert post(client, message_update(6, "hi"), token="guess").status_code == 404
    assert (
        client.post(
            "/assistance/telegram/guess/", data="{}", content_type="application/json"
        ).status_code
        == 404
    )
    assert not TelegramUpdate.objects.exists()


def test_a_body_that_is_not_an_update_is_a_bad_request(client: Any) -> None:
    response = client.post(
        URL,
        data="[1]",
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=SECRET,
    )
    assert response.status_code == 400


def test_group_chats_and_edited_channel_posts_are_ignored(client: Any) -> None:
    update = message_update(7, "spam")
    update["message"]["chat"] = {"id": -100200, "title": "Migrants chat", "type": "supergroup"}
    post(client, update)
    assert not Case.objects.exists() and not OutgoingMessage.objects.exists()


def test_the_chat_id_is_stored_encrypted(client: Any) -> None:
    from django.db import connection

    post(client, message_update(8, "Помогите"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT telegram_chat FROM assistance_case")
        assert "517734211" not in cursor.fetchone()[0]


def test_a_caseworkers_reply_is_queued_for_the_chat(client: Any, people: Any) -> None:
    from hamroh.assistance import services

    post(client, message_update(9, "Нужна консультация по патенту"))
    case = Case.objects.get()
    services.reply_to_reporter(actor=people.operator, case=case, text="Позвоните нам")
    last = OutgoingMessage.objects.latest("pk")
    assert (last.text, last.chat) == ("Позвоните нам", "517734211")
    case.refresh_from_db()
    assert case.first_contact_at is not None


def test_the_reporter_hears_in_their_language_when_the_case_is_taken_up(
    client: Any, people: Any
) -> None:
    from hamroh.assistance import services

    post(client, message_update(10, "Помогите с патентом"))
    case = Case.objects.get()
    services.assign_case(actor=people.operator, case=case, assignee=people.operator)
    last = OutgoingMessage.objects.latest("pk")
    assert last.text == f"Ваше обращение {case.reference}: В работе."
