"""A web reporter turns on Telegram updates: the follow-up page gives a one-time deep link,
the bot's ``/start <token>`` links the chat, and from then on updates reach it."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from hamroh.assistance import services
from hamroh.assistance.models import Case, CaseEvent, OutgoingMessage, TelegramLink

from .factories import submit
from .test_telegram import SECRET, URL, webhook_secret  # noqa: F401

pytestmark = pytest.mark.django_db
BOT = "hamroh_test_bot"


@pytest.fixture(autouse=True)
def bot_username(settings: Any) -> None:
    settings.HAMROH_TELEGRAM_BOT_USERNAME = BOT


def start_update(update_id: int, token: str, *, chat_id: int = 517734211) -> dict[str, Any]:
    """What Telegram sends when someone opens t.me/<bot>?start=<token> and presses Start:
    the command entity covers "/start" only."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": 2000 + update_id,
            "from": {
                "id": chat_id,
                "is_bot": False,
                "first_name": "Мадина",
                "language_code": "en",
            },
            "chat": {"id": chat_id, "first_name": "Мадина", "type": "private"},
            "date": 1763890000,
            "text": f"/start {token}",
            "entities": [{"offset": 0, "length": 6, "type": "bot_command"}],
        },
    }


def send(client: Any, payload: dict[str, Any]) -> None:
    response = client.post(
        URL,
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=SECRET,
    )
    assert response.status_code == 200


def ask_for_link(client: Any, code: str, language: str = "ru") -> str:
    client.cookies["django_language"] = language
    response = client.post("/assistance/follow-up/", {"code": code, "action": "telegram"})
    found = re.search(
        rf'href="https://t\.me/{BOT}\?start=([A-Za-z0-9_-]+)"', response.content.decode()
    )
    assert found, "the page gives no deep link"
    return found.group(1)


def test_the_follow_up_page_offers_telegram_updates(client: Any) -> None:
    submitted = submit()
    client.cookies["django_language"] = "en"
    page = client.post("/assistance/follow-up/", {"code": submitted.followup_code})
    html = page.content.decode()
    assert "Get updates on Telegram" in html and 'value="telegram"' in html
    assert "t.me/" not in html  # the link is made only when asked for


def test_the_deep_link_carries_a_fresh_token_that_is_not_the_code(client: Any) -> None:
    submitted = submit()
    token = ask_for_link(client, submitted.followup_code)
    assert len(token) >= 32 and token != submitted.followup_code
    link = TelegramLink.objects.get()
    assert link.case == submitted.case and link.language == "ru"
    assert token not in link.token_hash and link.token_hash == services._link_hash(token)
    assert ask_for_link(client, submitted.followup_code) != token  # a new one each time


def test_start_with_the_token_links_the_chat_and_answers_in_the_pages_language(
    client: Any, people: Any
) -> None:
    submitted = submit(language="tg")
    token = ask_for_link(client, submitted.followup_code, language="ru")
    send(client, start_update(101, token))
    case = Case.objects.get(pk=submitted.case.pk)
    assert (case.telegram_chat, case.wants_updates, case.language) == ("517734211", True, "ru")
    assert case.events.filter(kind=CaseEvent.Kind.TELEGRAM_LINKED).exists()
    answer = OutgoingMessage.objects.get()
    assert answer.chat == "517734211" and answer.case == case
    assert answer.text.startswith("Готово") and case.reference in answer.text

    services.assign_case(actor=people.caseworker, case=case, assignee=people.caseworker)
    services.reply_to_reporter(actor=people.caseworker, case=case, text="Позвоните нам")
    sent = OutgoingMessage.objects.filter(case=case)
    assert {message.chat for message in sent} == {"517734211"}
    texts = [message.text for message in sent]
    assert f"Ваше обращение {case.reference}: В работе." in texts and "Позвоните нам" in texts


def test_the_token_is_single_use(client: Any) -> None:
    submitted = submit()
    token = ask_for_link(client, submitted.followup_code)
    send(client, start_update(102, token))
    send(client, start_update(103, token, chat_id=990001))
    case = Case.objects.get(pk=submitted.case.pk)
    assert case.telegram_chat == "517734211"
    [refusal] = [m for m in OutgoingMessage.objects.all() if m.chat == "990001"]
    assert "expired or was already used" in refusal.text  # the second chat's language: en
    assert refusal.case is None


def test_an_expired_token_links_nothing(client: Any) -> None:
    submitted = submit()
    token = ask_for_link(client, submitted.followup_code)
    TelegramLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    send(client, start_update(104, token))
    assert Case.objects.get(pk=submitted.case.pk).telegram_chat == ""
    assert "expired" in OutgoingMessage.objects.get().text


def test_a_made_up_token_links_nothing(client: Any) -> None:
    submitted = submit()
    send(client, start_update(105, "A" * 32))
    assert Case.objects.get(pk=submitted.case.pk).telegram_chat == ""


def test_without_a_bot_name_the_page_says_telegram_updates_are_unavailable(
    client: Any, settings: Any
) -> None:
    settings.HAMROH_TELEGRAM_BOT_USERNAME = ""
    submitted = submit()
    client.cookies["django_language"] = "en"
    response = client.post(
        "/assistance/follow-up/", {"code": submitted.followup_code, "action": "telegram"}
    )
    html = response.content.decode()
    assert "Telegram updates are not available" in html
    assert "t.me/" not in html and 'value="telegram"' not in html
    assert not TelegramLink.objects.exists()
