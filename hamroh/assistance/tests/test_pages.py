"""Every page of the desk answers in each language (no missing template variables)."""

from __future__ import annotations

from typing import Any

import pytest

from hamroh.assistance.demo import load_partners
from hamroh.assistance.tests.factories import submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["tg", "ru", "en"])
def test_public_pages_answer_in_every_language(client: Any, language: str) -> None:
    client.cookies["django_language"] = language
    for url in ("/assistance/help/", "/assistance/follow-up/"):
        response = client.get(url)
        assert response.status_code == 200
        assert f'<html lang="{language}">' in response.content.decode()


@pytest.mark.parametrize("language", ["tg", "ru", "en"])
def test_desk_pages_answer_in_every_language(client_for: Any, people: Any, language: str) -> None:
    load_partners()
    case = submit().case
    client = client_for(people.supervisor)
    client.cookies["django_language"] = language
    people.supervisor.language = language
    people.supervisor.save(update_fields=["language"])
    for url in (
        "/desk/assistance/",
        "/desk/assistance/?queue=overdue",
        "/desk/assistance/console/",
        "/desk/assistance/dashboard/",
        f"/desk/assistance/cases/{case.pk}/",
    ):
        assert client.get(url).status_code == 200, url


def test_the_queue_names_follow_the_readers_language(client_for: Any, people: Any) -> None:
    client = client_for(people.caseworker)
    people.caseworker.language = "ru"
    people.caseworker.save(update_fields=["language"])
    client.cookies["django_language"] = "ru"
    assert "Не назначены" in client.get("/desk/assistance/").content.decode()
