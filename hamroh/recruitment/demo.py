"""Demo employers in Russia and Kazakhstan, their job orders, and candidates at every stage
of the pipeline (a few abroad, one back home), so every recruitment screen has something real
to show. Never loaded in production; loading twice changes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from hamroh.core.crypto import blind_index
from hamroh.core.models import Country, Occupation, Sector, User
from hamroh.recruitment import services
from hamroh.recruitment.models import Application, Employer, JobOrder, Step
from hamroh.registry import demo as registry_demo
from hamroh.registry.models import Person

K = Step.Kind

EMPLOYERS: list[dict[str, Any]] = [
    {
        "name": "ООО «СтройГрад»",
        "country": "RUS",
        "tax_id": "7705123456",
        "sector": "F",
        "region": "Moscow",
        "address": "Москва, ул. Нижняя Красносельская, 35",
        "contact_name": "Смирнов Андрей Викторович",
        "contact_email": "hr@stroygrad.example",
        "contact_phone": "+7 495 555-12-34",
        "status": "vetted",
    },
    {
        "name": "АО «Тепличный комбинат Подмосковье»",
        "country": "RUS",
        "tax_id": "5024112233",
        "sector": "A",
        "region": "Moscow Oblast",
        "address": "Московская обл., Красногорск, Ильинское ш., 4",
        "contact_name": "Кузнецова Ольга Петровна",
        "contact_email": "kadry@teplica.example",
        "contact_phone": "+7 495 555-77-01",
        "status": "vetted",
    },
    {
        "name": "ООО «Агрокомплекс Кубань»",
        "country": "RUS",
        "tax_id": "2310987654",
        "sector": "A",
        "region": "Krasnodar Krai",
        "address": "Краснодарский край, ст. Выселки, ул. Ленина, 12",
        "contact_name": "Петренко Игорь Сергеевич",
        "contact_email": "ok@agrokuban.example",
        "contact_phone": "+7 861 555-40-40",
        "status": "vetted",
    },
    {
        "name": "ТОО «Астана Құрылыс Групп»",
        "country": "KAZ",
        "tax_id": "180540012345",
        "sector": "F",
        "region": "Astana",
        "address": "Астана, пр. Мангилик Ел, 55",
        "contact_name": "Ахметов Нурлан",
        "contact_email": "hr@astana-qurylys.example",
        "contact_phone": "+7 7172 55 00 11",
        "status": "pending",
    },
    {
        "name": "ООО «Быстрый Склад»",
        "country": "RUS",
        "tax_id": "7811223344",
        "sector": "H",
        "region": "Saint Petersburg",
        "address": "Санкт-Петербург, Софийская ул., 8",
        "contact_name": "Иванов Павел",
        "contact_email": "job@bystrysklad.example",
        "contact_phone": "+7 812 555-00-99",
        "status": "suspended",
    },
]

ORDERS: list[dict[str, Any]] = [
    {
        "employer": "7705123456",
        "title": "Каменщик / Bricklayer",
        "occupation": "711",
        "destination_region": "Москва",
        "quota": 20,
        "wage": 95000,
        "hours_per_week": 40,
        "housing": "provided",
        "contract_months": 12,
        "min_age": 20,
        "max_age": 50,
        "requirements": "Опыт кладки от 1 года; русский язык на базовом уровне.",
    },
    {
        "employer": "5024112233",
        "title": "Работник теплицы / Greenhouse worker",
        "occupation": "921",
        "destination_region": "Московская область",
        "quota": 30,
        "wage": 68000,
        "hours_per_week": 40,
        "housing": "provided",
        "contract_months": 9,
        "min_age": 18,
        "max_age": 55,
        "requirements": "Без опыта; обучение на месте.",
    },
    {
        "employer": "2310987654",
        "title": "Сборщик фруктов / Fruit picker",
        "occupation": "921",
        "destination_region": "Краснодарский край",
        "quota": 40,
        "wage": 62000,
        "hours_per_week": 42,
        "housing": "paid",
        "contract_months": 6,
        "min_age": 18,
        "max_age": 55,
        "requirements": "Сезонная работа, август–январь.",
    },
    {
        "employer": "5024112233",
        "title": "Повар столовой / Canteen cook",
        "occupation": "512",
        "destination_region": "Московская область",
        "quota": 3,
        "wage": 75000,
        "hours_per_week": 40,
        "housing": "provided",
        "contract_months": 12,
        "min_age": 21,
        "max_age": 50,
        "requirements": "Санитарная книжка оформляется работодателем.",
    },
]

# (order index, final stage, days ago the application was made) per demo person, in order.
PLAN: list[tuple[int, str, int]] = [
    (0, "returned", 300),
    (1, "ended", 280),
    (0, "arrived", 150),
    (0, "departed", 120),
    (1, "departed", 100),
    (1, "ready", 80),
    (0, "ready", 75),
    (1, "medical", 60),
    (2, "trained", 45),
    (2, "tested", 40),
    (2, "sent", 30),
    (2, "sent", 28),
    (0, "sent", 25),
    (1, "sent", 25),
    (0, "shortlisted", 20),
    (1, "shortlisted", 18),
    (2, "shortlisted", 15),
    (3, "shortlisted", 12),
    (0, "applied", 10),
    (1, "applied", 8),
    (2, "applied", 6),
    (2, "applied", 5),
    (3, "applied", 3),
    (1, "applied", 2),
    (0, "not_selected", 40),
    (2, "withdrawn", 20),
]
STEPS_UNTIL = {
    "tested": [K.LANGUAGE_TEST, K.SKILLS_TEST],
    "trained": [K.LANGUAGE_TEST, K.SKILLS_TEST, K.ORIENTATION, K.TRAINING],
    "medical": [K.LANGUAGE_TEST, K.SKILLS_TEST, K.ORIENTATION, K.TRAINING, K.MEDICAL],
}
ALL_STEPS = [kind for kind, _ in services.REQUIRED_STEPS]
CROSSINGS = ["Dushanbe International Airport", "Khujand Airport", "Fotehobod (road, UZB)"]
# The ticket of each crossing: carrier and flight or train, from, to.
TICKETS = [
    ("Somon Air SZ 201", "Dushanbe", "Moscow (Vnukovo)"),
    ("Ural Airlines U6 2892", "Khujand", "Moscow (Domodedovo)"),
    ("Train 329F Khujand — Moscow", "Khujand", "Moscow (Kazansky station)"),
]
ABROAD_STAGES = ("departed", "arrived", "ended", "returned")
TRAVEL_AFTER_SELECTION = 35


def _step(
    officer: User,
    application: Application,
    kind: str,
    day: date,
    n: int,
    travel: date | None = None,
) -> None:
    extra: dict[str, Any] = {}
    result = Step.Result.PASSED
    if kind in (K.LANGUAGE_TEST, K.SKILLS_TEST):
        extra["score"] = 60 + (n * 7) % 38
    elif kind in (K.ORIENTATION, K.TRAINING):
        prefix = "PDO" if kind == K.ORIENTATION else "VT"
        extra["certificate"] = f"{prefix}-{day.year}-{1000 + n:04d}"
    elif kind == K.CONTRACT:
        result = Step.Result.DONE
    elif kind == K.TICKET:
        result = Step.Result.DONE
        carrier, start, end = TICKETS[n % len(TICKETS)]
        extra.update(travel_date=travel, carrier=carrier, travel_from=start, travel_to=end)
    elif kind == K.DEPARTURE:
        result = Step.Result.DONE
        extra["crossing_point"] = CROSSINGS[n % len(CROSSINGS)]
    elif kind in (K.ARRIVAL, K.RETURN):
        result = Step.Result.DONE
    services.record_step(
        actor=officer, application=application, kind=kind, date=day, result=result, **extra
    )


@transaction.atomic
def load_demo_data() -> str:
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo data is never loaded in production.")
    if Employer.objects.filter(tax_id=EMPLOYERS[0]["tax_id"]).exists():
        return "demo recruitment already loaded"
    registry_demo.load_demo_data()
    officer = User.objects.select_related("agency").get(username="recruiter")
    today = date.today()
    employers: dict[str, Employer] = {}
    for values in EMPLOYERS:
        values = dict(values)
        status = values.pop("status")
        values["country"] = Country.objects.get(alpha3=values["country"])
        values["sector"] = Sector.objects.get(code=values["sector"])
        employer = services.create_employer(actor=officer, **values)
        if status != "pending":
            services.set_employer_status(
                actor=officer,
                employer=employer,
                status="vetted",
            )
        employers[employer.tax_id] = employer
    orders: list[JobOrder] = []
    for values in ORDERS:
        values = dict(values)
        values["employer"] = employers[values["employer"]]
        values["occupation"] = Occupation.objects.get(code=values["occupation"])
        orders.append(
            services.create_job_order(
                actor=officer,
                currency="RUB",
                passport_valid_months=18,
                valid_from=today - timedelta(days=320),
                valid_until=today + timedelta(days=60 + 15 * len(orders)),
                **values,
            )
        )
    # A warehouse whose workers reported unpaid wages: its order is closed by the suspension.
    services.create_job_order(
        actor=officer,
        employer=employers["7811223344"],
        title="Грузчик / Warehouse loader",
        occupation=Occupation.objects.get(code="832"),
        destination_region="Санкт-Петербург",
        quota=10,
        wage=70000,
        currency="RUB",
        hours_per_week=48,
        housing="none",
        contract_months=12,
        min_age=20,
        max_age=45,
        passport_valid_months=18,
        requirements="",
        valid_from=today - timedelta(days=200),
        valid_until=today + timedelta(days=30),
    )
    services.set_employer_status(
        actor=officer,
        employer=employers["7811223344"],
        status="suspended",
        note="Работники сообщили о невыплате зарплаты (обращение на горячую линию).",
    )
    demo_people = [
        Person.objects.prefetch_related("documents").get(
            documents__kind="passport",
            documents__number_index=blind_index(registry_demo.demo_passport(n)),
        )
        for n in range(1, len(PLAN) + 1)
    ]
    for n, (person, (order_index, stage, days_ago)) in enumerate(
        zip(demo_people, PLAN, strict=True), 1
    ):
        order = orders[order_index]
        applied = today - timedelta(days=days_ago)
        application = services.apply_for_job(person=person, job_order=order, today=applied)
        if stage == "applied":
            continue
        if stage == "withdrawn":
            services.withdraw_application(person=person, application=application)
            continue
        services.shortlist(actor=officer, application=application, today=applied)
        if stage == "shortlisted":
            continue
        services.send_shortlist(actor=officer, job_order=order, applications=[application])
        if stage == "sent":
            continue
        selected = applied + timedelta(days=7)
        services.record_selection(
            actor=officer, application=application, selected=stage != "not_selected", day=selected
        )
        if stage == "not_selected":
            continue
        # Those abroad travelled on their ticket's date; those ready to leave travel soon.
        departed = selected + timedelta(days=TRAVEL_AFTER_SELECTION)
        travel = departed if stage in ABROAD_STAGES else today + timedelta(days=9)
        kinds = STEPS_UNTIL.get(stage, ALL_STEPS)
        for i, kind in enumerate(kinds):
            day = min(selected + timedelta(days=3 + 4 * i), today)
            _step(officer, application, kind, day, n, travel=travel)
        if stage in ABROAD_STAGES:
            _step(officer, application, K.DEPARTURE, departed, n)
            if stage in ("arrived", "ended", "returned"):
                _step(officer, application, K.ARRIVAL, departed + timedelta(days=1), n)
            if stage in ("ended", "returned"):
                services.record_step(
                    actor=officer,
                    application=application,
                    kind=K.CONTRACT_END,
                    date=departed + timedelta(days=230 if stage == "ended" else 240),
                )
            if stage == "returned":
                _step(officer, application, K.RETURN, departed + timedelta(days=243), n)
    return (
        f"{len(employers)} employers, {JobOrder.objects.count()} job orders, "
        f"{Application.objects.count()} applications"
    )
