"""Signing in: Argon2, throttling, expiring sessions, and the language a person chose."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from hamroh import settings as project_settings
from hamroh.core import services
from hamroh.core.models import AuditEntry
from hamroh.core.roles import Role


def test_passwords_are_hashed_with_argon2(people, settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = services.create_user(
        actor=people.admin,
        username="argon",
        password="Vakhsh-river-valley",
        agency=people.caseworker.agency,
        role=Role.CASEWORKER,
    )
    assert user.password.startswith("argon2$")


def test_five_wrong_passwords_lock_the_account(people, client):
    for _ in range(5):
        client.post(reverse("core:login"), {"username": "caseworker", "password": "wrong"})
    response = client.post(
        reverse("core:login"), {"username": "caseworker", "password": "hamroh-demo-2026"}
    )
    assert response.status_code == 429
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED).count() >= 5


def test_failed_sign_in_does_not_store_the_typed_name(people, client):
    client.post(reverse("core:login"), {"username": "my-secret-passphrase", "password": "x"})
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == AuditEntry.Action.LOGIN_FAILED
    assert entry.actor_label == "unknown"


def test_sessions_expire_after_idle_minutes():
    assert django_settings.SESSION_COOKIE_AGE == 30 * 60
    assert django_settings.SESSION_SAVE_EVERY_REQUEST
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_expired_session_is_explained_on_the_sign_in_page(db, client):
    client.cookies[django_settings.SESSION_COOKIE_NAME] = "expired-session-key"
    response = client.get(reverse("core:login"))
    assert response.context["session_expired"]


def test_changing_own_password_is_audited(people, client_for):
    client = client_for(people.statistician)
    response = client.post(reverse("core:account"), {"password": "Zarafshon-2026-spring"})
    assert response.status_code == 302
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.fields == ["password"]
    assert entry.actor == people.statistician


def test_logout_needs_post(people, client_for):
    client = client_for(people.operator)
    assert client.get(reverse("core:logout")).status_code == 405
    assert client.post(reverse("core:logout")).status_code == 302


@pytest.mark.parametrize("language", ["tg", "ru", "en"])
def test_signed_in_person_keeps_chosen_language(people, client_for, language):
    client = client_for(people.operator)
    client.post(reverse("core:set_language"), {"language": language, "next": "/desk/"})
    people.operator.refresh_from_db()
    assert people.operator.language == language
    response = client.get(reverse("core:desk"))
    assert response["Content-Language"] == language
