"""Demo referral directory and cases at every status, so the desk and dashboard have life.

Never loaded in production. Cases are made through the services (so the audit chain and
timeline are real) and then moved back in time, spread over twelve weeks.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from hamroh.assistance import case_tasks, services
from hamroh.assistance.demo_articles import ARTICLES
from hamroh.assistance.models import (
    Article,
    BorderPoint,
    Case,
    CaseEvent,
    CaseType,
    Partner,
    Task,
    Urgency,
)
from hamroh.core.models import Agency, User

PARTNERS = [
    # code, kind, country, city, agency code, services, en, ru, tg
    ("iom-tj", "international", "TJK", "Dushanbe", "iom-tj", "return, reintegration, trafficking victims",
     "IOM Tajikistan", "МОМ в Таджикистане", "СБМ дар Тоҷикистон"),
    ("iom-ru", "international", "RUS", "Moscow", "", "counter-trafficking, shelter referrals",
     "IOM Moscow", "МОМ в Москве", "СБМ дар Москва"),
    ("tajmigrant-legal", "lawyer", "RUS", "Moscow", "", "free legal aid to migrants, court representation",
     "Migrant legal aid clinic (Moscow)", "Юридическая клиника для мигрантов (Москва)",
     "Клиникаи ҳуқуқӣ барои муҳоҷирон (Москва)"),
    ("almaty-legal", "lawyer", "KAZ", "Almaty", "", "labour disputes, detention",
     "Legal aid centre (Almaty)", "Центр правовой помощи (Алматы)", "Маркази ёрии ҳуқуқӣ (Алмаато)"),
    ("mvd-ru", "authority", "RUS", "Moscow", "mvd-ru", "migration registration, entry bans",
     "Migration Directorate, Ministry of Internal Affairs of Russia",
     "Главное управление по вопросам миграции МВД России",
     "Раёсати асосии муҳоҷирати ВКД Россия"),
    ("kz-migration", "authority", "KAZ", "Astana", "", "migration police, work permits",
     "Migration Service Committee of Kazakhstan", "Комитет миграционной службы Казахстана",
     "Кумитаи хадамоти муҳоҷирати Қазоқистон"),
]  # fmt: skip

NARRATIVES = {
    "held_at_border": "Held in the transit zone since the morning; officers kept the passport.",
    "denied_entry": "Refused entry at passport control without a written reason.",
    "deportation": "A court ordered expulsion; the person is in a temporary detention centre.",
    "entry_ban": "Learned of a ban by SMS; never had a fine.",
    "detention": "Detained during a document check on a construction site.",
    "unpaid_wages": "Three months of wages unpaid by a construction subcontractor.",
    "documents": "The employer keeps the passport 'for registration'.",
    "patent_registration": "Patent payment not registered, fined at a check.",
    "trafficking": "Recruiter took passports of six workers; they sleep at the site, cannot leave.",
    "death_injury": "A worker fell from scaffolding; family asks for repatriation.",
    "consultation": "How to renew a patent after changing employer?",
}
CITIES = {"Moscow": "RUS", "St Petersburg": "RUS", "Almaty": "KAZ", "Dushanbe": ""}
NAMES = [
    "Раҳимов Фирӯз", "Saidov Bakhtiyor", "Ҷӯраев Ҷамшед", "Karimzoda Muhammad",
    "Назарова Шаҳло", "Umarov Dilshod", "Қодиров Парвиз", "Sharipov Aziz",
]  # fmt: skip


def load_partners() -> int:
    """The referral directory; partners with an agency answer referrals through the API."""
    created = 0
    agencies = {a.code: a for a in Agency.objects.filter(kind=Agency.Kind.PARTNER)}
    for code, kind, country, city, agency, what, en, ru, tg in PARTNERS:
        _, new = Partner.objects.get_or_create(
            code=code,
            defaults={
                "kind": kind,
                "country_code": country,
                "city": city,
                "agency": agencies.get(agency),
                "services": what,
                "name_en": en,
                "name_ru": ru,
                "name_tg": tg,
            },
        )
        created += new
    return created


def load_articles() -> int:
    """The demo knowledge pages, published (texts in ``demo_articles``)."""
    created = 0
    for slug, topic, order, texts in ARTICLES:
        values: dict[str, object] = {"topic": topic, "order": order, "is_published": True}
        for lang, (title, summary, body) in texts.items():
            values.update(
                {f"title_{lang}": title, f"summary_{lang}": summary, f"body_{lang}": body}
            )
        _, new = Article.objects.get_or_create(slug=slug, defaults=values)
        created += new
    Article.objects.filter(is_published=True, published_at__isnull=True).update(
        published_at=timezone.now()
    )
    return created


def _add_demo_tasks(users: dict[str, User]) -> int:
    """A few reminders for the Moscow caseworker: due today, later, and overdue."""
    worker, supervisor = users["caseworker"], users["supervisor"]
    cases = list(Case.objects.filter(is_open=True, assignee=worker).order_by("pk")[:6])
    texts = [
        "Call the reporter back about the patent receipt.",
        "Check whether the employer returned the passport.",
        "Ask IOM for an update on the shelter place.",
        "Send the legal clinic's address to the reporter.",
        "Check the entry-ban register for the family name.",
        "Confirm the wage claim was received by the employer.",
    ]
    today = timezone.localdate()
    for step, case in enumerate(cases):
        task = case_tasks.add_task(
            actor=supervisor if step % 3 == 2 else worker,
            case=case,
            text=texts[step],
            due_on=today + timedelta(days=step % 3),
            assignee=worker,
        )
        if step in (0, 3):
            # Fell due in the past: shown as overdue.
            Task.objects.filter(pk=task.pk).update(due_on=today - timedelta(days=step + 1))
    return len(cases)


def _age(case: Case, *, days: float, contact_after_hours: float) -> None:
    """Move a demo case and its timeline back in time, as if worked over those days."""
    case.refresh_from_db()
    delta = timedelta(days=days)
    case.created_at -= delta
    case.set_due_times()
    if case.first_contact_at is not None:
        case.first_contact_at = case.created_at + timedelta(hours=contact_after_hours)
        case.first_contact_breached = case.first_contact_at > case.first_contact_due
    if case.closed_at is not None:
        case.closed_at -= delta / 2
        case.resolution_breached = case.closed_at > case.resolution_due
    Case.objects.filter(pk=case.pk).update(
        created_at=case.created_at,
        first_contact_due=case.first_contact_due,
        resolution_due=case.resolution_due,
        first_contact_at=case.first_contact_at,
        first_contact_breached=case.first_contact_breached,
        closed_at=case.closed_at,
        resolution_breached=case.resolution_breached,
    )
    # Spread the timeline between the report and (half-way to) today.
    events = list(CaseEvent.objects.filter(case=case).order_by("at", "pk"))
    for step, event in enumerate(events):
        if step == 0:
            at = case.created_at
        elif event.kind == CaseEvent.Kind.CONTACT and case.first_contact_at:
            at = case.first_contact_at
        else:
            at = (
                case.created_at
                + timedelta(hours=contact_after_hours)
                + (delta / 2) * step / len(events)
            )
        CaseEvent.objects.filter(pk=event.pk).update(at=at)


@transaction.atomic
def load_demo_data() -> str:
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo data is never loaded in production mode.")
    partners = load_partners()
    articles = load_articles()
    if Case.objects.exists():
        return (
            f"{partners} partners and {articles} knowledge pages added;"
            " cases already present, none added"
        )
    rng = random.Random(2026)
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["caseworker", "supervisor", "caseworker-ala", "operator"]
        )
    }
    agencies = {a.code: a for a in Agency.objects.all()}
    types = {t.code: t for t in CaseType.objects.all()}
    points = list(BorderPoint.objects.all())
    iom = Partner.objects.get(code="iom-tj")
    lawyer = Partner.objects.get(code="tajmigrant-legal")
    statuses = [
        "new",
        "open",
        "open",
        "referred",
        "transferred",
        "awaiting_approval",
        "closed",
        "closed",
    ]
    count = 0
    for i in range(72):
        code = list(types)[i % len(types)]
        point = (
            rng.choice(points)
            if code in ("held_at_border", "denied_entry", "deportation", "detention") or i % 3 == 0
            else None
        )
        city = rng.choice(list(CITIES))
        submitted = services.submit_report(
            report=services.Report(
                case_type=types[code],
                urgency=rng.choice(
                    [Urgency.CRITICAL, Urgency.HIGH, Urgency.NORMAL, Urgency.NORMAL, Urgency.LOW]
                ),
                border_point=point,
                city="" if point else city,
                country_code=CITIES.get(city, ""),
                hours_held=rng.randint(3, 60) if code == "held_at_border" else None,
                documents_taken=rng.choice([True, False, None]),
                anonymous=i % 5 == 0,
                reporter_name=NAMES[i % len(NAMES)],
                reporter_phone=f"+7 916 {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
                narrative=NARRATIVES[code],
                language=rng.choice(["tg", "ru"]),
            ),
        )
        case = submitted.case
        status = statuses[i % len(statuses)]
        owner_code = case.owning_agency.code
        worker = users["caseworker-ala"] if owner_code == "mlme-ala" else users["caseworker"]
        if owner_code not in ("mlme-mow", "mlme-ala"):
            # Yekaterinburg and the helpline have no demo caseworkers: those stay new.
            status = "new"
        if status != "new":
            case = services.assign_case(actor=worker, case=case, assignee=worker)
            services.add_note(
                actor=worker, case=case, text="Called the reporter back.", contacted=True
            )
        if status == "referred":
            services.refer_case(
                actor=worker, case=case, partner=iom if i % 2 else lawyer, note="Please take over."
            )
        elif status == "transferred":
            target = agencies["mlme-ala"] if owner_code != "mlme-ala" else agencies["mlme-mow"]
            services.request_transfer(
                actor=worker, case=case, to_agency=target, reason="The person moved."
            )
        elif status in ("awaiting_approval", "closed"):
            services.request_closure(
                actor=worker, case=case, summary="Advice given; documents returned."
            )
            if status == "closed" and owner_code == "mlme-mow":
                services.approve_closure(actor=users["supervisor"], case=case)
        _age(case, days=rng.uniform(0.2, 45), contact_after_hours=rng.choice([0.5, 2, 6, 30]))
        count += 1
    escalated = services.escalate_breached_cases()
    tasks = _add_demo_tasks(users)
    return (
        f"{partners} partners, {articles} knowledge pages and {count} cases added,"
        f" {escalated} escalated, {tasks} tasks"
    )
