"""Knowledge pages: reading by topic in three languages, asking for a consultation, editing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from hamroh.assistance import knowledge
from hamroh.assistance.demo import load_articles
from hamroh.assistance.demo_articles import ARTICLES
from hamroh.assistance.models import Article, Case, CaseEvent
from hamroh.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def english_only() -> Article:
    return Article.objects.create(
        slug="only-english",
        topic="work",
        title_en="Only in English",
        body_en="English body.",
        is_published=True,
    )


def test_the_demo_pages_are_written_in_three_languages() -> None:
    assert 6 <= len(ARTICLES) <= 10
    assert {topic for _, topic, _, _ in ARTICLES} == {"legal", "documents", "work", "return"}
    for _slug, _topic, _order, texts in ARTICLES:
        assert set(texts) == {"tg", "ru", "en"}
        assert all(title and summary and body for title, summary, body in texts.values())
        # Tajik is written in Tajik Cyrillic, not Russian with the Tajik letters left out.
        assert any(letter in "".join(texts["tg"]) for letter in "ғӣқӯҳҷ")


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("tg", "Русия: патенти кориро дар давоми 30 рӯзи пас аз воридшавӣ гиред"),
        ("ru", "Россия: оформите патент на работу в течение 30 дней после въезда"),
        ("en", "Russia: apply for a work patent within 30 days of entry"),
    ],
)
def test_the_knowledge_list_and_a_page_in_each_language(
    client: Any, language: str, title: str
) -> None:
    load_articles()
    listing = client.get("/assistance/knowledge/", HTTP_ACCEPT_LANGUAGE=language)
    assert listing.status_code == 200
    assert title in listing.content.decode()
    assert [group.code for group in listing.context["groups"]] == [
        "legal",
        "documents",
        "work",
        "return",
    ]
    page = client.get("/assistance/knowledge/russia-work-patent/", HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    assert title in page.content.decode()
    assert page.context["shown_language"] == language
    assert "fallback-note" not in page.content.decode()


def test_a_topic_filter_lists_only_that_topic(client: Any) -> None:
    load_articles()
    response = client.get("/assistance/knowledge/?topic=return", HTTP_ACCEPT_LANGUAGE="en")
    assert [group.code for group in response.context["groups"]] == ["return"]


def test_a_missing_translation_falls_back_tajik_russian_english(client: Any) -> None:
    article = Article.objects.create(
        slug="no-tajik",
        topic="legal",
        title_en="English title",
        title_ru="Русский заголовок",
        body_en="English body.",
        body_ru="Русский текст.",
        is_published=True,
    )
    response = client.get(f"/assistance/knowledge/{article.slug}/", HTTP_ACCEPT_LANGUAGE="tg")
    body = response.content.decode()
    assert "Русский заголовок" in body and "Русский текст." in body
    assert response.context["shown_language"] == "ru"
    assert 'data-testid="fallback-note"' in body
    english_only()
    response = client.get("/assistance/knowledge/only-english/", HTTP_ACCEPT_LANGUAGE="ru")
    assert "English body." in response.content.decode()


def test_a_link_in_a_reply_opens_the_page_in_the_reporters_language(client: Any) -> None:
    load_articles()
    response = client.get("/assistance/knowledge/unpaid-wages/?lang=tg", HTTP_ACCEPT_LANGUAGE="en")
    assert "Музди меҳнати шуморо намедиҳанд" in response.content.decode()


def test_drafts_are_not_shown_on_the_portal(client: Any) -> None:
    Article.objects.create(slug="draft", topic="work", title_en="Draft", body_en="x")
    assert client.get("/assistance/knowledge/draft/").status_code == 404
    assert "Draft" not in client.get("/assistance/knowledge/").content.decode()


def test_page_text_is_never_read_as_html() -> None:
    parts = knowledge.blocks("Intro <script>x</script>\n\n- one\n- two\n\nEnd")
    assert parts[0].text == "Intro <script>x</script>"
    assert parts[1].items == ("one", "two")
    assert parts[2].text == "End"


def test_asking_for_a_consultation_opens_a_consultation_case_with_the_topic(
    client: Any,
) -> None:
    load_articles()
    form = client.get("/assistance/knowledge/ask/?article=unpaid-wages", HTTP_ACCEPT_LANGUAGE="en")
    assert form.context["form"].initial == {"topic": "work", "article": "unpaid-wages"}
    response = client.post(
        "/assistance/knowledge/ask/",
        {
            "topic": "work",
            "article": "unpaid-wages",
            "question": "The foreman has not paid me for two months. What can I do?",
            "country": "RUS",
            "anonymous": "on",
            "reporter_name": "Ҷӯраев Ҷамшед",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    case = Case.objects.get()
    body = response.content.decode()
    assert case.reference in body and response.context["code"] in body
    assert case.case_type.code == "consultation"
    assert case.channel == "web" and case.anonymous and case.reporter_name == ""
    assert case.owning_agency.code == "mlme-mow"  # the first representation in Russia
    assert "Work · Your wages are not paid" in case.answers
    assert case.narrative.startswith("The foreman")
    assert case.language == "en"
    entry = AuditEntry.objects.get(
        action="create", object_type="assistance.case", object_id=str(case.pk)
    )
    assert "answers" in entry.fields and "reporter_name" not in entry.fields


def test_a_consultation_needs_a_question(client: Any) -> None:
    response = client.post("/assistance/knowledge/ask/", {"topic": "legal", "question": ""})
    assert response.status_code == 200
    assert not Case.objects.exists()


def test_the_answer_with_a_page_link_reaches_the_web_reporter(
    client: Any, client_for: Any, people: Any
) -> None:
    load_articles()
    client.post(
        "/assistance/knowledge/ask/",
        {"topic": "legal", "question": "Do I have a ban?", "country": "RUS", "anonymous": "on"},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    case = Case.objects.get()
    article = Article.objects.get(slug="entry-ban-check-and-appeal")
    desk = client_for(people.caseworker)
    page = desk.get(f"/desk/assistance/cases/{case.pk}/")
    assert article in list(page.context["articles"])
    desk.post(
        f"/desk/assistance/cases/{case.pk}/reply/",
        {"text": "Please read this page first.", "article": article.pk},
    )
    reply = CaseEvent.objects.get(case=case, kind="reply")
    assert "Запрет въезда: проверьте до поездки" in reply.text
    assert "/assistance/knowledge/entry-ban-check-and-appeal/?lang=ru" in reply.text
    # No Telegram chat: the answer waits on the follow-up page, which the reporter opens.
    assert case.first_contact_at is None
    from hamroh.assistance.services import followup_hash

    code = "TEST-CODE-AAAA-BBBB-CCCC-DDDD"
    Case.objects.filter(pk=case.pk).update(followup_hash=followup_hash(code))
    desk.logout()
    followed = client.post(
        "/assistance/follow-up/", {"code": code}, HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    assert "Please read this page first." in followed
    assert 'href="http://testserver/assistance/knowledge/entry-ban-check-and-appeal/?lang=ru"' in (
        followed
    )


def test_supervisors_write_and_publish_pages_and_it_is_audited(
    client_for: Any, people: Any
) -> None:
    client = client_for(people.supervisor)
    assert client.get("/desk/assistance/knowledge/").status_code == 200
    values = {
        "slug": "kazakhstan-registration",
        "topic": "documents",
        "order": 3,
        "title_tg": "Қазоқистон: бақайдгирӣ",
        "title_ru": "Казахстан: регистрация",
        "title_en": "Kazakhstan: registration",
        "summary_tg": "",
        "summary_ru": "",
        "summary_en": "",
        "body_tg": "Матн.",
        "body_ru": "Текст.",
        "body_en": "Text.",
    }
    response = client.post("/desk/assistance/knowledge/new/", values)
    article = Article.objects.get(slug="kazakhstan-registration")
    assert response.status_code == 302 and not article.is_published
    client.post(f"/desk/assistance/knowledge/{article.pk}/", {**values, "body_en": "Better."})
    client.post(f"/desk/assistance/knowledge/{article.pk}/publish/", {"decision": "publish"})
    article.refresh_from_db()
    assert article.is_published and article.body_en == "Better."
    assert article.updated_by == people.supervisor
    entries = AuditEntry.objects.filter(
        object_type="assistance.article", object_id=str(article.pk)
    ).order_by("seq")
    assert [(e.action, e.fields) for e in entries][1:] == [
        ("update", ["body_en"]),
        ("update", ["is_published"]),
    ]
    assert entries[0].action == "create"


@pytest.mark.parametrize("persona", ["caseworker", "operator", "recruiter"])
def test_roles_without_the_capability_may_not_manage_pages(
    client_for: Any, people: Any, persona: str
) -> None:
    article = english_only()
    client = client_for(getattr(people, persona))
    assert client.get("/desk/assistance/knowledge/").status_code == 403
    assert client.post("/desk/assistance/knowledge/new/", {"slug": "x"}).status_code == 403
    response = client.post(
        f"/desk/assistance/knowledge/{article.pk}/publish/", {"decision": "withdraw"}
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        knowledge.set_published(actor=getattr(people, persona), article=article, published=False)
    assert Article.objects.get(pk=article.pk).is_published
