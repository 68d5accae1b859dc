"""Knowledge pages: reads and writes, with the same rules as ``selectors`` and ``services``.

Anyone reads published pages (no personal data, so no audit entry for a read); supervisors
(``SUPERVISE_CASES``) write, publish and withdraw them, each change audited in the same
transaction. A consultation asked from a page is an ordinary ``consultation`` case made by
``services.submit_report``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hamroh.assistance.models import Article, Case, CaseEvent
from hamroh.core.models import AuditEntry, User
from hamroh.core.roles import Capability
from hamroh.core.services import record_audit, require

# Who writes the knowledge pages: the role that approves closures (supervisors).
EDIT_CAPABILITY = Capability.SUPERVISE_CASES
ARTICLE_FIELDS = (
    "slug",
    "topic",
    "order",
    "title_tg",
    "title_ru",
    "title_en",
    "summary_tg",
    "summary_ru",
    "summary_en",
    "body_tg",
    "body_ru",
    "body_en",
)

# --- Reads ------------------------------------------------------------------------------


def published_articles() -> QuerySet[Article]:
    return Article.objects.filter(is_published=True)


@dataclass(frozen=True)
class TopicGroup:
    code: str
    label: str
    articles: list[Article]


def topics_with_articles(topic: str = "") -> list[TopicGroup]:
    """Published pages grouped by topic in the topics' order (one query)."""
    articles = list(published_articles().filter(**({"topic": topic} if topic else {})))
    groups = []
    for code, label in Article.Topic.choices:
        mine = [a for a in articles if a.topic == code]
        if mine:
            groups.append(TopicGroup(code=code, label=str(label), articles=mine))
    return groups


def published_article(slug: str) -> Article:
    article = published_articles().filter(slug=slug).first()
    if article is None:
        raise Http404
    return article


def articles_for_editor(user: User) -> QuerySet[Article]:
    """Every page, drafts too, for the people who write them."""
    require(user, EDIT_CAPABILITY)
    return Article.objects.select_related("updated_by")


@dataclass(frozen=True)
class Block:
    """A paragraph (``items`` empty) or a bulleted list of a page's text."""

    text: str = ""
    items: tuple[str, ...] = ()


def blocks(text: str) -> list[Block]:
    """Plain text to paragraphs and lists: blank lines part paragraphs, "- " starts an item.
    Nothing is read as HTML, so a page can never carry markup or scripts."""
    result: list[Block] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        items = [line[2:].strip() for line in lines if line.startswith("- ")]
        if len(items) == len(lines):
            result.append(Block(items=tuple(items)))
        else:
            prose = [line for line in lines if not line.startswith("- ")]
            result.append(Block(text=" ".join(prose)))
            if items:
                result.append(Block(items=tuple(items)))
    return result


def shown_language(article: Article) -> str:
    """The language the page's text is actually shown in (after the fallback)."""
    order = {"tg": ("tg", "ru", "en"), "ru": ("ru", "en", "tg")}.get(
        (translation.get_language() or "en")[:2], ("en", "ru", "tg")
    )
    return next((lang for lang in order if getattr(article, f"body_{lang}")), "en")


def link_text(article: Article, *, language: str, absolute: Any) -> str:
    """A line a caseworker adds to a reply: the title in the reporter's language and the
    page's address that opens in that language."""
    language = language if language in ("tg", "ru", "en") else "tg"
    with translation.override(language):
        title = article.title
    path = reverse("assistance:knowledge_article", args=[article.slug])
    return f"{title}: {absolute(path)}?lang={language}"


def answers_for_reporter(case: Case) -> QuerySet[CaseEvent]:
    """The caseworker's replies, shown on the reporter's follow-up page (the reporter reached
    it with the private code; the read is audited there)."""
    return case.events.filter(kind=CaseEvent.Kind.REPLY).only("at", "text").order_by("at", "pk")


# --- Writes -----------------------------------------------------------------------------


def _audit(actor: User, article: Article, action: str, fields: Iterable[str]) -> None:
    record_audit(actor=actor, action=action, target=article, fields=list(fields))


@transaction.atomic
def save_article(*, actor: User, article: Article | None, values: dict[str, Any]) -> Article:
    """Create a page (a draft) or change one; only the fields given change."""
    require(actor, EDIT_CAPABILITY)
    creating = article is None
    if article is None:
        article = Article()
    else:
        article = Article.objects.select_for_update().get(pk=article.pk)
    changed = [
        name for name in ARTICLE_FIELDS if name in values and getattr(article, name) != values[name]
    ]
    for name in changed:
        setattr(article, name, values[name])
    article.full_clean()
    if creating or changed:
        article.updated_by = actor
        article.save()
        _audit(
            actor,
            article,
            AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
            changed,
        )
    return article


@transaction.atomic
def set_published(*, actor: User, article: Article, published: bool) -> Article:
    require(actor, EDIT_CAPABILITY)
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.is_published != published:
        article.is_published = published
        if published:
            article.published_at = timezone.now()
        article.updated_by = actor
        article.save(update_fields=["is_published", "published_at", "updated_by", "updated_at"])
        _audit(actor, article, AuditEntry.Action.UPDATE, ["is_published"])
    return article


def topic_label(code: str) -> str:
    try:
        return str(Article.Topic(code).label)
    except ValueError:
        return _("Other question")
