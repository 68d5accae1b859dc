"""Errors explain themselves in the reader's language and never leak personal data."""

from __future__ import annotations

from django.test import Client


def test_missing_page_is_explained_in_russian(db, client):
    response = client.get("/desk/nothing-here/", headers={"accept-language": "ru"})
    assert response.status_code == 404
    assert '<html lang="ru">' in response.content.decode()


def test_api_missing_page_is_json(db, client):
    response = client.get("/api/v1/nothing/")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_form_without_csrf_token_is_refused_with_an_explanation(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/desk/login/", {"username": "admin", "password": "x"})
    assert response.status_code == 403
    assert (
        "form" in response.content.decode().lower() or "форма" in response.content.decode().lower()
    )


def test_every_response_carries_a_request_id(db, client):
    response = client.get("/")
    assert len(response["X-Request-ID"]) == 32


def test_health_check_reports_the_database(db, client):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
