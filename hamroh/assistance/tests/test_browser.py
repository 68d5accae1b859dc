"""The path a report walks: a migrant's phone, two representations, IOM and the supervisor."""

from __future__ import annotations

import importlib
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from hamroh.assistance import services
from hamroh.assistance.demo import load_partners
from hamroh.assistance.models import Case, OutgoingMessage
from hamroh.assistance.tests.factories import PNG
from hamroh.assistance.tests.test_telegram import SECRET
from hamroh.assistance.tests.test_telegram_link import send, start_update
from hamroh.conftest import sign_in, use_language

pytestmark = pytest.mark.browser


@pytest.fixture
def desk_site(site: str) -> str:
    # Transactional tests empty every table afterwards, data migrations included: ship again.
    importlib.import_module("hamroh.assistance.migrations.0002_case_types_and_border_points").ship(
        apps, None
    )
    load_partners()
    return site


def act(page: Any, site: str, username: str) -> None:
    """Sign in as someone else in the same browser, reading English."""
    page.context.clear_cookies()
    sign_in(page, site, username)
    use_language(page, "en")


def test_a_report_from_a_phone_walks_to_an_approved_closure(
    desk_site: str, phone: Any, page: Any, settings: Any, monkeypatch: Any
) -> None:
    site = desk_site
    settings.HAMROH_TELEGRAM_BOT_USERNAME = "HamrohHelpBot"
    monkeypatch.setenv("HAMROH_TELEGRAM_WEBHOOK_SECRET", SECRET)
    # A migrant held at the Kazakh–Uzbek crossing reports from a phone, with a photo.
    phone.goto(f"{site}/assistance/help/")
    use_language(phone, "en")
    phone.select_option("#id_case_type", label="Held at a border crossing")
    phone.select_option(
        "#id_border_point", label="Zhibek Zholy road crossing (Kazakhstan–Uzbekistan)"
    )
    phone.fill("#id_hours_held", "14")
    phone.select_option("#id_documents_taken", "yes")
    phone.fill("#id_narrative", "Held since the morning, passport taken by the officers.")
    phone.set_input_files(
        "#id_attachments", files=[{"name": "stamp.png", "mimeType": "image/png", "buffer": PNG}]
    )
    phone.fill("#id_reporter_name", "Ҷӯраев Ҷамшед")
    phone.fill("#id_reporter_phone", "+7 916 123-45-67")
    phone.click("button.primary[type=submit]")
    reference = phone.locator("[data-testid=case-reference]").inner_text()
    code = phone.locator("[data-testid=followup-code]").inner_text()
    assert reference.startswith("HMR-") and len(code) == 29
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # They ask for updates on Telegram: the follow-up page gives a one-time link to the bot,
    # and pressing Start in Telegram (the update Telegram then posts) links the chat.
    phone.goto(f"{site}/assistance/follow-up/")
    phone.fill("#id_code", code)
    phone.click("button.primary")
    phone.click("[data-testid=telegram-updates] button[type=submit]")
    link = phone.locator("[data-testid=telegram-link]").get_attribute("href")
    assert link.startswith("https://t.me/HamrohHelpBot?start=") and code not in link
    send(Client(), start_update(9001, link.split("start=", 1)[1], chat_id=700100200))
    assert Case.objects.get(reference=reference).telegram_chat == "700100200"

    # The Almaty caseworker finds it unassigned, takes it, and transfers it to Moscow.
    act(page, site, "caseworker-ala")
    page.goto(f"{site}/desk/assistance/?queue=unassigned")
    page.click(f"text={reference}")
    page.click("form[action$='/assign/'] button")
    assert "Дилшод" in page.locator("[data-testid=assignee]").inner_text()
    page.select_option(
        "#transfer-agency", label="MLME representation in the Russian Federation (Moscow)"
    )
    page.fill("#transfer-text", "He flew on to Moscow.")
    page.click("form[action$='/transfer/'] button")
    assert "Transfer pending" in page.locator("[data-testid=status]").inner_text()

    # Moscow accepts the transfer and refers the case to IOM, which accepts.
    act(page, site, "caseworker")
    page.goto(f"{site}/desk/assistance/?queue=incoming")
    page.click(f"text={reference}")
    page.click("[data-testid=transfer-answer] button[value=accept]")
    assert "Moscow" in page.locator("[data-testid=owner]").inner_text()
    page.click("form[action$='/assign/'] button")
    page.select_option("#partner", label="IOM Tajikistan (International organisation)")
    page.fill("#refer-text", "Shelter and return counselling")
    page.click("form[action$='/refer/'] button")
    page.click("button[value=accept]")
    assert page.locator("[data-testid=referral-status]").inner_text() == "Accepted"

    # Nobody called the migrant back in time: the target is breached and escalated.
    case = Case.objects.get(reference=reference)
    Case.objects.filter(pk=case.pk).update(first_contact_due=timezone.now() - timedelta(minutes=5))
    assert services.escalate_breached_cases() == 1
    page.reload()
    assert page.locator("[data-testid=escalated]").is_visible()
    assert "breached" in page.locator("[data-testid=timer-contact]").get_attribute("class")

    # IOM finishes; the caseworker asks to close; the supervisor approves.
    page.click("button[value=complete]")
    page.fill("#closure-text", "Released after 14 hours; IOM arranged shelter.")
    page.click("form[action$='/closure/'] button[value=request]")
    assert "Awaiting approval" in page.locator("[data-testid=status]").inner_text()
    act(page, site, "supervisor")
    page.goto(f"{site}/desk/assistance/?queue=approval")
    page.click(f"text={reference}")
    page.click("[data-testid=approval] button[value=approve]")
    assert page.locator("[data-testid=status]").inner_text() == "Closed"
    timeline = page.locator("[data-testid=timeline]").inner_text()
    for step in (
        "Transfer accepted",
        "Referral accepted",
        "Escalated to the supervisor",
        "Closure approved",
    ):
        assert step in timeline

    # The migrant sees the outcome with the private code.
    phone.goto(f"{site}/assistance/follow-up/")
    phone.fill("#id_code", code)
    phone.click("button.primary")
    assert phone.locator("[data-testid=case-status]").inner_text() == "Closed"
    # … and every change reached their Telegram chat too (the worker sends; queued here).
    sent_to_chat = [
        message.text
        for message in OutgoingMessage.objects.filter(case__reference=reference)
        if message.chat == "700100200"
    ]
    assert len(sent_to_chat) >= 3  # the link confirmation, assignments, the closure
    assert reference in sent_to_chat[-1]


def test_a_report_typed_on_a_dropped_connection_is_kept_on_the_phone(
    desk_site: str, phone: Any
) -> None:
    phone.goto(f"{desk_site}/assistance/help/")
    use_language(phone, "en")
    phone.fill("#id_narrative", "Held at Vnukovo since 6 a.m.")
    phone.fill("#id_hours_held", "5")
    phone.context.set_offline(True)
    phone.click("button.primary[type=submit]", no_wait_after=True)
    phone.wait_for_timeout(300)
    phone.context.set_offline(False)
    phone.goto(f"{desk_site}/assistance/help/")
    assert phone.input_value("#id_narrative") == "Held at Vnukovo since 6 a.m."
    assert phone.input_value("#id_hours_held") == "5"
    assert phone.locator("#draft-note").is_visible()


def test_a_phone_reads_a_knowledge_page_and_asks_for_a_consultation(
    desk_site: str, phone: Any
) -> None:
    from hamroh.assistance.demo import load_articles

    load_articles()
    site = desk_site
    phone.goto(f"{site}/assistance/help/")
    use_language(phone, "en")
    phone.click("text=A question rather than a problem?")
    phone.click("[data-testid=topic-documents]")
    phone.click("text=The employer keeps your passport")
    assert "No employer may keep your passport" in phone.inner_text("main")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.click("[data-testid=ask]")
    assert phone.input_value("#id_topic") == "documents"
    phone.fill("#id_question", "My foreman keeps my passport. How do I get it back?")
    phone.select_option("#id_country", "RUS")
    phone.check("#id_anonymous")
    phone.click("button.primary[type=submit]")
    reference = phone.locator("[data-testid=case-reference]").inner_text()
    code = phone.locator("[data-testid=followup-code]").inner_text()
    assert reference.startswith("HMR-") and len(code) == 29
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    case = Case.objects.get(reference=reference)
    assert case.case_type.code == "consultation" and case.anonymous
    assert "Documents · The employer keeps your passport" in case.answers
