"""Test personas, shared by every app: the demo agencies and one user per role.

| persona        | agency    | country | role                |
|----------------|-----------|---------|---------------------|
| admin          | mlme (operator) | TJK | administrator     |
| mow_admin      | mlme-mow  | RUS     | administrator       |
| operator       | mlme      | TJK     | helpline operator   |
| caseworker     | mlme-mow  | RUS     | caseworker          |
| caseworker_ala | mlme-ala  | KAZ     | caseworker          |
| supervisor     | mlme-mow  | RUS     | supervisor          |
| recruiter      | aoe       | TJK     | recruitment officer |
| reviewer       | mlme      | TJK     | reviewer            |
| statistician   | mlme      | TJK     | statistician        |
| partner_mvd    | mvd-ru    | RUS     | partner system      |
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

PERSONAS = (
    "admin",
    "mow_admin",
    "operator",
    "caseworker",
    "caseworker_ala",
    "supervisor",
    "recruiter",
    "reviewer",
    "statistician",
    "partner_mvd",
    "partner_iom",
)


def pytest_configure(config: pytest.Config) -> None:
    # Argon2 is the production hasher (one test pins that); tests hash with MD5 for speed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests read static files from the source tree; production serves collected, hashed ones.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


def load_fixtures() -> None:
    from hamroh.core.demo import load_demo_data
    from hamroh.core.reference import load_reference_data

    load_reference_data()
    load_demo_data()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        load_fixtures()


class Personas:
    def __getattr__(self, name: str) -> Any:
        from hamroh.core.models import User

        if name not in PERSONAS:
            raise AttributeError(name)
        user = User.objects.select_related("agency").get(username=name.replace("_", "-"))
        setattr(self, name, user)
        return user


@pytest.fixture
def people(db: None) -> Personas:
    return Personas()


@pytest.fixture
def client_for(client: Any) -> Iterator[Any]:
    """``client_for(user)`` signs the test client in as that user."""

    def sign_in(user: Any) -> Any:
        client.force_login(user)
        return client

    yield sign_in


@pytest.fixture(autouse=True)
def english_outside_requests() -> Iterator[None]:
    """Code called directly (not through a request) speaks English unless a test says otherwise;
    requests still pick their language from the cookie, the account or the browser."""
    from django.utils import translation

    with translation.override("en"):
        yield


# --- Browser tests (Debian's Chromium through Playwright) ---------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DEMO_PASSWORD = "hamroh-demo-2026"  # noqa: S105  (the demo password, public)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("HAMROH_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
        pytest.skip("Chromium is not installed (apt install chromium chromium-driver)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def site(live_server: Any, transactional_db: None) -> str:
    """A live server with reference data and the demo agencies and users loaded."""
    load_fixtures()
    return str(live_server.url)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A page the size of a cheap Android phone."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in(page: Any, site: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{site}/desk/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button.primary")
    page.wait_for_url(f"{site}/desk/")


def use_language(page: Any, code: str) -> None:
    page.select_option("[data-testid=language-select]", code)
    page.locator("form.lang button").click()
    page.wait_for_load_state()
