"""Small builders for tests of the registry and of the apps that use it."""

from __future__ import annotations

from datetime import date
from typing import Any

from hamroh.core.models import Occupation, Subdivision
from hamroh.identity.engine.records import BirthDate
from hamroh.registry.models import Person, PersonName
from hamroh.registry.services import NameInput, register_person

_counter = iter(range(10_000, 99_999))


def make_person(**overrides: Any) -> tuple[Person, str]:
    n = next(_counter)
    values: dict[str, Any] = {
        "actor": None,
        "names": [
            NameInput("Раҳимов", "Фарҳод", "Бахтиёрович", PersonName.Script.TAJIK),
            NameInput("RAKHIMOV", "FARKHOD", "", PersonName.Script.LATIN),
        ],
        "sex": "M",
        "birth_date": BirthDate(1995, 4, 12),
        "region": Subdivision.objects.get(code="TJ-SU"),
        "district": Subdivision.objects.get(code="TJ-SU-KHUJAND"),
        "phone": f"+992 92 {n:06d}",
        "passport_number": f"400{n:06d}",
        "passport_expiry_date": date(date.today().year + 6, 1, 1),
        "education": "vocational",
        "occupation": Occupation.objects.get(code="711"),
        "languages": ["tg", "ru"],
        "consent": True,
    }
    values.update(overrides)
    return register_person(**values)


def office_csv(lines: list[str]) -> bytes:
    """As an office spreadsheet saves it: byte-order mark, semicolons, Windows line ends."""
    return "\ufeff".encode() + "\r\n".join(lines).encode() + b"\r\n"
