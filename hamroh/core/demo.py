"""Demo agencies and one user per role, for trying Hamroh on a laptop.

Never loaded in production mode: the password is printed in the README.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from hamroh.core.models import Agency, AuditEntry, User
from hamroh.core.roles import Role
from hamroh.core.services import AGENCY_FIELDS, USER_FIELDS, record_audit

DEMO_PASSWORD = "hamroh-demo-2026"  # noqa: S105  (printed in the README on purpose)


@dataclass(frozen=True)
class DemoAgency:
    code: str
    kind: str
    country: str
    name_tg: str
    name_ru: str
    name_en: str
    parent: str = ""
    is_operator: bool = False


AGENCIES = [
    DemoAgency(
        "mlme",
        Agency.Kind.MINISTRY,
        "TJK",
        "Вазорати меҳнат, муҳоҷират ва шуғли аҳолии Ҷумҳурии Тоҷикистон",
        "Министерство труда, миграции и занятости населения Республики Таджикистан",
        "Ministry of Labour, Migration and Employment of the Republic of Tajikistan",
        is_operator=True,
    ),
    DemoAgency(
        "mlme-mow",
        Agency.Kind.REPRESENTATION,
        "RUS",
        "Намояндагии ВМҲШ дар Федератсияи Россия (Москва)",
        "Представительство МТМЗН в Российской Федерации (Москва)",
        "MLME representation in the Russian Federation (Moscow)",
        parent="mlme",
    ),
    DemoAgency(
        "mlme-ekb",
        Agency.Kind.REPRESENTATION,
        "RUS",
        "Намояндагии ВМҲШ дар Екатеринбург",
        "Представительство МТМЗН в Екатеринбурге",
        "MLME representation in Yekaterinburg",
        parent="mlme",
    ),
    DemoAgency(
        "mlme-ala",
        Agency.Kind.REPRESENTATION,
        "KAZ",
        "Намояндагии ВМҲШ дар Ҷумҳурии Қазоқистон (Алмаато)",
        "Представительство МТМЗН в Республике Казахстан (Алматы)",
        "MLME representation in the Republic of Kazakhstan (Almaty)",
        parent="mlme",
    ),
    DemoAgency(
        "aoe",
        Agency.Kind.MINISTRY,
        "TJK",
        "Агентии шуғли меҳнатии муҳоҷирон",
        "Агентство по занятости трудовых мигрантов",
        "Agency for the Employment of Labour Migrants",
        parent="mlme",
    ),
    DemoAgency(
        "mvd-ru",
        Agency.Kind.PARTNER,
        "RUS",
        "Вазорати корҳои дохилии Федератсияи Россия",
        "Министерство внутренних дел Российской Федерации",
        "Ministry of Internal Affairs of the Russian Federation",
    ),
    DemoAgency(
        "iom-tj",
        Agency.Kind.PARTNER,
        "TJK",
        "Созмони байналмилалии муҳоҷират, намояндагӣ дар Тоҷикистон",
        "Международная организация по миграции, представительство в Таджикистане",
        "International Organization for Migration, Tajikistan office",
    ),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    agency: str
    role: str
    first_name: str
    last_name: str
    language: str


USERS = [
    DemoUser("admin", "mlme", Role.ADMINISTRATOR, "Фирӯза", "Раҳимова", "tg"),
    DemoUser("operator", "mlme", Role.HELPLINE_OPERATOR, "Шаҳло", "Назарова", "tg"),
    DemoUser("caseworker", "mlme-mow", Role.CASEWORKER, "Бахтиёр", "Саидов", "ru"),
    DemoUser("supervisor", "mlme-mow", Role.SUPERVISOR, "Муҳаммад", "Каримзода", "ru"),
    DemoUser("mow-admin", "mlme-mow", Role.ADMINISTRATOR, "Зарина", "Ғафурова", "ru"),
    DemoUser("caseworker-ala", "mlme-ala", Role.CASEWORKER, "Дилшод", "Умаров", "ru"),
    DemoUser("recruiter", "aoe", Role.RECRUITMENT_OFFICER, "Ҷамшед", "Ҷӯраев", "tg"),
    DemoUser("reviewer", "mlme", Role.REVIEWER, "Нигина", "Қодирова", "tg"),
    DemoUser("statistician", "mlme", Role.STATISTICIAN, "Парвиз", "Шарипов", "en"),
    DemoUser("partner-mvd", "mvd-ru", Role.PARTNER_SYSTEM, "", "", "ru"),
    DemoUser("partner-iom", "iom-tj", Role.PARTNER_SYSTEM, "", "", "en"),
]


@transaction.atomic
def load_demo_data() -> dict[str, int]:
    """Create the demo agencies and users that do not exist yet; change nothing else."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo data is never loaded in production mode.")
    created = {"agencies": 0, "users": 0}
    agencies: dict[str, Agency] = {}
    for spec in AGENCIES:
        agency = Agency.objects.filter(code=spec.code).first()
        if agency is None:
            agency = Agency.objects.create(
                code=spec.code,
                kind=spec.kind,
                country_id=spec.country,
                name_tg=spec.name_tg,
                name_ru=spec.name_ru,
                name_en=spec.name_en,
                parent=agencies.get(spec.parent),
                is_operator=spec.is_operator,
            )
            record_audit(
                actor=None,
                actor_label="hamroh demo",
                action=AuditEntry.Action.CREATE,
                target=agency,
                fields=AGENCY_FIELDS,
                subject_agency=agency,
            )
            created["agencies"] += 1
        agencies[spec.code] = agency
    for person in USERS:
        if User.objects.filter(username=person.username).exists():
            continue
        user = User(
            username=person.username,
            agency=agencies[person.agency],
            role=person.role,
            first_name=person.first_name,
            last_name=person.last_name,
            language=person.language,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        record_audit(
            actor=None,
            actor_label="hamroh demo",
            action=AuditEntry.Action.CREATE,
            target=user,
            fields=["username", "password", *USER_FIELDS],
            subject_agency=user.agency,
        )
        created["users"] += 1
    return created
