"""The Telegram bot, driven by Telegram's webhook.

Updates are parsed with python-telegram-bot's ``Update.de_json`` without a ``Bot`` object,
so nothing here ever calls Telegram. Answers are queued as ``OutgoingMessage`` rows; the
background worker delivers them (``hamroh.core.messaging``). The chat id is personal: it is
stored encrypted with a blind index to find the chat's open case again.

``/start <token>`` comes from the deep link on a web reporter's follow-up page: it links the
chat to that case, so its updates and the caseworker's replies arrive here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import override
from telegram import Update

from hamroh.assistance.models import Case, CaseType, TelegramUpdate
from hamroh.assistance.services import (
    TELEGRAM_ACTOR,
    Report,
    add_reporter_information,
    link_telegram_chat,
    open_case_from_telegram,
    queue_message,
)
from hamroh.core.crypto import blind_index

LANGUAGES = ("tg", "ru", "en")


@dataclass(frozen=True)
class Outcome:
    kind: str  # "help", "added", "opened", "linked", "link_refused", "duplicate", "ignored"
    case: Case | None = None


def _language(update: Update) -> str:
    code = (update.effective_user.language_code or "") if update.effective_user else ""
    code = code[:2].lower()
    return code if code in LANGUAGES else "tg"


def _queue(chat: str, text: str, case: Case | None = None) -> None:
    queue_message(chat=chat, text=text, case=case)


def _help_text() -> str:
    return _(
        "Hamroh helps Tajik citizens abroad. Write what happened: where you are, what the "
        "officers did, whether your documents were taken. We open a case and a caseworker of "
        "the representation answers here. In danger, call the helpline."
    )


@transaction.atomic
def handle_update(payload: dict[str, Any]) -> Outcome:
    """Handle one webhook update exactly once (Telegram re-sends slow ones)."""
    update = Update.de_json(payload, None)
    try:
        with transaction.atomic():
            TelegramUpdate.objects.create(update_id=update.update_id)
    except IntegrityError:
        return Outcome("duplicate")
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or chat.type != "private":
        return Outcome("ignored")
    chat_id = str(chat.id)
    language = _language(update)
    text = (message.text or message.caption or "").strip()
    command, _space, argument = text.partition(" ")
    if command == "/start" and argument.strip():
        return _link(chat_id, argument.strip(), language)
    with override(language):
        if text.startswith("/start") or text.startswith("/help"):
            _queue(chat_id, _help_text())
            return Outcome("help")
        if not text:
            _queue(
                chat_id,
                _("Please describe the problem in words; photos can follow on the web form."),
            )
            return Outcome("ignored")
        case = (
            Case.objects.select_related("owning_agency", "case_type")
            .filter(telegram_index=blind_index(chat_id), is_open=True)
            .order_by("-created_at")
            .first()
        )
        if case is not None:
            add_reporter_information(case=case, text=text, label=TELEGRAM_ACTOR)
            _queue(
                chat_id,
                _("Added to your case %(reference)s.") % {"reference": case.reference},
                case,
            )
            return Outcome("added", case)
        submitted = open_case_from_telegram(
            report=Report(
                case_type=CaseType.objects.get(code="consultation"),
                narrative=text,
                language=language,
                telegram_chat=chat_id,
                wants_updates=True,
            )
        )
        _queue(
            chat_id,
            _(
                "Your case %(reference)s is open. Keep this private code to follow it on the "
                "website: %(code)s. Write here to add information."
            )
            % {"reference": submitted.case.reference, "code": submitted.followup_code},
            submitted.case,
        )
        return Outcome("opened", submitted.case)


def _link(chat_id: str, token: str, language: str) -> Outcome:
    linked = link_telegram_chat(token=token, chat=chat_id)
    if linked is None:
        with override(language):
            _queue(
                chat_id,
                _(
                    "This link has expired or was already used. Open your case on the website "
                    "with your private code and ask for a new one."
                ),
            )
        return Outcome("link_refused")
    with override(linked.language):
        _queue(
            chat_id,
            _(
                "Done: updates on your case %(reference)s will come here, and you can write "
                "here to add information."
            )
            % {"reference": linked.case.reference},
            linked.case,
        )
    return Outcome("linked", linked.case)
