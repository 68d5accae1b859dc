"""Fifty demo people with Tajik names in Cyrillic and Latin, from every region.

Never loaded in production. Idempotent: a person whose demo passport is already registered
is left as it is.
"""

from __future__ import annotations

import random
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from hamroh.core.crypto import blind_index
from hamroh.core.models import Occupation, Subdivision, User
from hamroh.identity.engine.records import BirthDate
from hamroh.registry.demo_names import FATHERS, MEN, SURNAMES, WOMEN
from hamroh.registry.models import Document, Person, PersonName
from hamroh.registry.services import NameInput, register_person

DEMO_PEOPLE = 50
OCCUPATIONS = ["711", "711", "921", "921", "611", "832", "512"]
REGIONS = ["TJ-SU", "TJ-SU", "TJ-KT", "TJ-KT", "TJ-KT", "TJ-RA", "TJ-RA", "TJ-DU", "TJ-GB"]


def demo_passport(n: int) -> str:
    return f"40{n:07d}"


def _feminine(surname: str) -> str:
    return surname if surname.endswith("зода") else surname + "а"


def _latin_feminine(surname: str) -> str:
    return surname if surname.endswith("ZODA") else surname + "A"


@transaction.atomic
def load_demo_data() -> str:
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo data is never loaded in production.")
    rng = random.Random(2026)
    officer = User.objects.filter(username="recruiter").first()
    occupations = {o.code: o for o in Occupation.objects.filter(code__in=set(OCCUPATIONS))}
    districts: dict[str, list[Subdivision]] = {}
    for sub in Subdivision.objects.exclude(parent=None):
        districts.setdefault(str(sub.parent_id), []).append(sub)
    created = 0
    this_year = date.today().year
    for n in range(1, DEMO_PEOPLE + 1):
        woman = n % 6 == 0
        surname, surname_latin = rng.choice(SURNAMES)
        given, given_latin = rng.choice(WOMEN if woman else MEN)
        father = rng.choice(FATHERS)
        patronymic = father + ("овна" if woman else "ович")
        region_code = rng.choice(REGIONS)
        passport = demo_passport(n)
        if Document.objects.filter(
            kind=Document.Kind.PASSPORT, number_index=blind_index(passport)
        ).exists():
            continue
        if woman:
            surname, surname_latin = _feminine(surname), _latin_feminine(surname_latin)
        region = Subdivision.objects.get(code=region_code)
        register_person(
            actor=officer if n % 3 else None,
            names=[
                NameInput(surname, given, patronymic, PersonName.Script.TAJIK),
                NameInput(surname_latin, given_latin, "", PersonName.Script.LATIN),
            ],
            sex="F" if woman else "M",
            birth_date=BirthDate(
                this_year - rng.randint(21, 44), rng.randint(1, 12), rng.randint(1, 28)
            ),
            region=region,
            district=rng.choice(districts.get(region_code, [None])),
            phone=f"+992 9{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
            passport_number=passport,
            passport_issue_date=date(this_year - rng.randint(1, 4), rng.randint(1, 12), 1),
            passport_expiry_date=date(this_year + rng.randint(3, 8), rng.randint(1, 12), 1),
            education=rng.choice(["secondary", "secondary", "vocational", "higher"]),
            occupation=occupations[OCCUPATIONS[n % len(OCCUPATIONS)]],
            languages=["tg", "ru"] if n % 4 else ["tg", "ru", "uz"],
            consent=True,
            source=Person.Source.DESK if n % 3 else Person.Source.PORTAL,
        )
        created += 1
    return f"{created} demo people registered ({Person.objects.count()} in the registry)"
