"""Knowledge pages on the portal (by topic, one page per article, "ask for a consultation")
and their editing on the desk. Views parse, call ``knowledge`` or ``services``, render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hamroh.assistance import knowledge, services
from hamroh.assistance.models import Article, CaseType, Urgency
from hamroh.assistance.ratelimit import over_limit
from hamroh.assistance.views import REPORT_LIMIT, _user, too_many

# --- Forms ------------------------------------------------------------------------------


class ConsultationForm(forms.Form):
    """ "Still need help?": a question to a caseworker, anonymous allowed."""

    topic = forms.ChoiceField(label=gettext_lazy("Topic"), choices=Article.Topic.choices)
    question = forms.CharField(
        label=gettext_lazy("Your question"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    country = forms.ChoiceField(
        label=gettext_lazy("Where are you now?"),
        choices=[
            ("RUS", gettext_lazy("Russia")),
            ("KAZ", gettext_lazy("Kazakhstan")),
            ("TJK", gettext_lazy("Tajikistan")),
            ("", gettext_lazy("Other or not sure")),
        ],
        required=False,
    )
    city = forms.CharField(label=gettext_lazy("City"), max_length=100, required=False)
    anonymous = forms.BooleanField(
        label=gettext_lazy("I do not want to leave any contact (anonymous question)"),
        required=False,
    )
    reporter_name = forms.CharField(label=gettext_lazy("Your name"), max_length=200, required=False)
    reporter_phone = forms.CharField(
        label=gettext_lazy("Phone or WhatsApp"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    reporter_contact = forms.CharField(
        label=gettext_lazy("Telegram or e-mail"), max_length=200, required=False
    )
    article = forms.SlugField(required=False, widget=forms.HiddenInput)
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # a trap for robots

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError(gettext_lazy("The form could not be sent."))
        return data

    def report(self, *, language: str) -> services.Report:
        data = self.cleaned_data
        topic = knowledge.topic_label(data["topic"])
        article = knowledge.published_articles().filter(slug=data.get("article") or "").first()
        if article is not None:
            topic = f"{topic} · {article.title}"
        country = data.get("country") or ""
        return services.Report(
            case_type=CaseType.objects.get(code="consultation"),
            urgency=Urgency.NORMAL,
            # Tajikistan has no representation: the helpline answers.
            country_code="" if country == "TJK" else country,
            city=data.get("city") or "",
            narrative=data["question"],
            answers={"topic": topic},
            anonymous=bool(data.get("anonymous")),
            reporter_name=data.get("reporter_name") or "",
            reporter_phone=data.get("reporter_phone") or "",
            reporter_contact=data.get("reporter_contact") or "",
            language=language,
        )


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = list(knowledge.ARTICLE_FIELDS)
        widgets = {
            f"body_{lang}": forms.Textarea(attrs={"rows": 12}) for lang in ("tg", "ru", "en")
        }
        help_texts = {
            "slug": gettext_lazy("Latin letters, digits and hyphens; the page's address."),
            "body_en": gettext_lazy(
                'Plain text. A blank line starts a paragraph; a line starting with "- " is a '
                "list item."
            ),
        }


# --- Portal -----------------------------------------------------------------------------


def _topic(request: HttpRequest) -> str:
    topic = request.GET.get("topic", "")
    return topic if topic in Article.Topic.values else ""


def knowledge_index(request: HttpRequest) -> HttpResponse:
    topic = _topic(request)
    return render(
        request,
        "assistance/portal/knowledge.html",
        {
            "groups": knowledge.topics_with_articles(topic),
            "topic": topic,
            "topics": Article.Topic.choices,
        },
    )


def knowledge_article(request: HttpRequest, slug: str) -> HttpResponse:
    """One page. ``?lang=tg|ru|en`` (the links caseworkers send) opens it in that language."""
    lang = request.GET.get("lang", "")
    if lang in dict(settings.LANGUAGES):
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
    article = knowledge.published_article(slug)
    return render(
        request,
        "assistance/portal/article.html",
        {
            "article": article,
            "blocks": knowledge.blocks(article.body),
            "shown_language": knowledge.shown_language(article),
            "related": knowledge.published_articles()
            .filter(topic=article.topic)
            .exclude(pk=article.pk)[:5],
        },
    )


@never_cache
def consultation(request: HttpRequest) -> HttpResponse:
    """Ask for a consultation: a ``consultation`` case through the report service."""
    initial = {"topic": _topic(request) or Article.Topic.LEGAL}
    article = knowledge.published_articles().filter(slug=request.GET.get("article", "")).first()
    if article is not None:
        initial = {"topic": article.topic, "article": article.slug}
    form = ConsultationForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if over_limit(request, "report", REPORT_LIMIT):
            return too_many(request)
        if form.is_valid():
            submitted = services.submit_report(
                report=form.report(language=translation.get_language() or "tg")
            )
            # Shown once, as for a report; the code is stored hashed.
            return render(
                request,
                "assistance/portal/consultation_sent.html",
                {"case": submitted.case, "code": submitted.followup_code},
            )
    return render(
        request, "assistance/portal/consultation.html", {"form": form, "article": article}
    )


# --- Desk -------------------------------------------------------------------------------


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    articles = knowledge.articles_for_editor(_user(request))
    return render(request, "assistance/desk/articles.html", {"articles": articles})


@login_required
def article_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _user(request)
    articles = knowledge.articles_for_editor(user)
    article = get_object_or_404(articles, pk=pk) if pk is not None else None
    form = ArticleForm(request.POST or None, instance=article)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in knowledge.ARTICLE_FIELDS}
        try:
            saved = knowledge.save_article(
                actor=user,
                article=Article.objects.get(pk=pk) if pk is not None else None,
                values=values,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The page was saved."))
            return redirect("assistance:article_edit", pk=saved.pk)
    return render(request, "assistance/desk/article_edit.html", {"form": form, "article": article})


@login_required
@require_POST
def article_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    article = get_object_or_404(knowledge.articles_for_editor(user), pk=pk)
    publish = request.POST.get("decision") == "publish"
    knowledge.set_published(actor=user, article=article, published=publish)
    messages.success(
        request,
        _("The page is published.") if publish else _("The page was withdrawn from the portal."),
    )
    return redirect("assistance:article_edit", pk=pk)
