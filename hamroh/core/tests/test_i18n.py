"""Every page and message in Tajik, Russian and English."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format, number_format

PACKAGE_DIR = Path(__file__).resolve().parents[2]
LOCALE_DIR = PACKAGE_DIR / "locale"
# The project's catalogue plus one per app (hamroh/<app>/locale), each complete on its own.
CATALOGUE_DIRS = [LOCALE_DIR, *sorted(PACKAGE_DIR.glob("*/locale"))]

HEADLINES = {
    "tg": "Бехатар дар хориҷа кор кунед",
    "ru": "Работайте за рубежом безопасно",
    "en": "Work abroad safely",
}


@pytest.mark.parametrize("language", ["tg", "ru", "en"])
def test_portal_speaks_the_chosen_language(db, client, language):
    client.post(reverse("core:set_language"), {"language": language, "next": "/"})
    response = client.get("/")
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    assert HEADLINES[language] in response.content.decode()


def test_portal_defaults_to_tajik(db, client):
    response = client.get("/")
    assert '<html lang="tg">' in response.content.decode()


def test_browser_language_is_honoured_until_a_choice_is_made(db, client):
    response = client.get("/", headers={"accept-language": "ru-RU,ru;q=0.9"})
    assert '<html lang="ru">' in response.content.decode()


def test_unknown_language_is_refused(db, client):
    response = client.post(reverse("core:set_language"), {"language": "xx"})
    assert response.status_code == 400


def test_language_switch_refuses_to_redirect_off_site(db, client):
    response = client.post(
        reverse("core:set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


CATALOGUES = [
    pytest.param(folder, language, id=f"{folder.parent.name}-{language}")
    for folder in CATALOGUE_DIRS
    for language in ("tg", "ru", "en")
]


@pytest.mark.parametrize(("folder", "language"), CATALOGUES)
def test_catalogue_is_complete(folder, language):
    """No message is left untranslated or fuzzy in any shipped catalogue."""
    import polib

    catalogue = polib.pofile(str(folder / language / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 0
    assert catalogue.untranslated_entries() == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert (folder / language / "LC_MESSAGES" / "django.mo").exists()


@pytest.mark.parametrize(("folder", "language"), CATALOGUES)
def test_catalogue_keeps_placeholders(folder, language):
    import polib

    catalogue = polib.pofile(str(folder / language / "LC_MESSAGES" / "django.po"))
    for entry in catalogue.translated_entries():
        for placeholder in ("%(", "{{", "{"):
            if placeholder == "{" and "{{" in entry.msgid:
                continue
            assert (
                entry.msgid.count(placeholder) == entry.msgstr.count(placeholder)
                or entry.msgstr_plural
            ), entry.msgid


@pytest.mark.parametrize(
    ("language", "expected_date", "expected_number"),
    [
        ("tg", "23 ноябр 2026", "1 234 567,5"),
        ("ru", "23 ноября 2026", "1 234 567,5"),
        ("en", "Nov. 23, 2026", "1,234,567.5"),
    ],
)
def test_dates_and_numbers_follow_the_language(language, expected_date, expected_number):
    import datetime

    with translation.override(language):
        assert date_format(datetime.date(2026, 11, 23)).startswith(expected_date)
        assert number_format(1234567.5, force_grouping=True).replace("\xa0", " ") == expected_number


@pytest.mark.parametrize(("base", "language"), CATALOGUES)
def test_compiled_catalogue_matches_its_source(base, language):
    """The committed .mo was compiled from the current .po (run compilemessages)."""
    import polib

    folder = base / language / "LC_MESSAGES"
    source = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in polib.pofile(str(folder / "django.po")).translated_entries()
    }
    compiled = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in polib.mofile(str(folder / "django.mo"))
        if e.msgid
    }
    assert compiled == source


def test_portal_home_leads_to_every_public_service(db, client):
    page = client.get("/", headers={"accept-language": "en"}).content.decode()
    for name in (
        "screening:self_check",
        "recruitment:jobs",
        "registry:register",
        "assistance:report",
        "assistance:follow_up",
    ):
        assert f'href="{reverse(name)}"' in page, name
