from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hamroh.screening import indexes

DEMO = Path(__file__).resolve().parent.parent / "demo"

HEADER = (
    "id,surname,given_name,patronymic,birth_date,sex,nationality,document_number,"
    "document_issue_date,list_kind,reason,legal_basis,valid_from,valid_until,source_reference"
)
ENTRIES = [
    "EB-1,Джураев,Джамшед,,1990-05-17,M,TJK,400123456,2019-03-01,entry_ban,overstay,114-FZ,2024-01-10,2029-01-10,MVD/1",
    "EB-2,KARIMOV,FARRUKH,,1985-11-02,M,TJK,400555111,,entry_ban,overstay,114-FZ,2023-06-01,2028-06-01,MVD/2",
    "EB-3,Назарова,Мадина,,1992-02-29,F,TJK,400777888,,entry_ban,fine unpaid,114-FZ,2025-02-01,,MVD/3",
]


def list_csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> Iterator[None]:
    # Setting TASKS resets django-tasks' backends (its setting_changed receiver).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    indexes.forget_all()
    yield
    indexes.forget_all()


@pytest.fixture
def entry_bans(people: Any) -> Any:
    """A list owned by the reviewer's agency with three entries loaded."""
    from hamroh.screening import services

    restriction_list = services.create_list(
        actor=people.reviewer,
        name="Entry bans (test)",
        kind="entry_ban",
        country_code="RUS",
        appeal_route="Appeal to the court within three months.",
    )
    services.load_list(
        actor=people.reviewer,
        restriction_list=restriction_list,
        file_name="bans.csv",
        data=list_csv(*ENTRIES),
    )
    return restriction_list


@pytest.fixture
def aoe_reviewer(people: Any) -> Any:
    """A reviewer of an agency that does not operate the platform (sees only its own)."""
    from hamroh.core.models import User

    return User.objects.create(
        username="reviewer-aoe", agency=people.recruiter.agency, role="reviewer"
    )


@pytest.fixture(autouse=True)
def english_pages(client: Any) -> None:
    """Pages in these tests are read in English (a language cookie, as a person would set)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
