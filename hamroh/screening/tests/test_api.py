"""The machine interface: the same services and rules as the desk."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hamroh.screening.models import ListVersion, PossibleMatch

from .conftest import ENTRIES, list_csv


@pytest.fixture
def api(client_for, people):
    return client_for(people.reviewer)


def test_lists_show_the_version_in_force(api, entry_bans):
    body = api.get("/api/v1/screening/lists/").json()
    item = next(i for i in body["results"] if i["name"] == "Entry bans (test)")
    assert item["active_version"]["number"] == 1 and item["active_version"]["entry_count"] == 3


def test_a_version_is_loaded_and_its_diff_listed(api, entry_bans):
    response = api.post(
        f"/api/v1/screening/lists/{entry_bans.pk}/load/",
        {"file": SimpleUploadedFile("v2.csv", list_csv(ENTRIES[0]), "text/csv")},
    )
    assert response.status_code == 201
    assert (response.json()["number"], response.json()["removed"]) == (2, 2)
    diff = api.get(f"/api/v1/screening/versions/{response.json()['id']}/diff/").json()
    assert {row["entry_id"] for row in diff["results"]} == {"EB-2", "EB-3"}


def test_a_bad_file_is_answered_with_located_errors(api, entry_bans):
    response = api.post(
        f"/api/v1/screening/lists/{entry_bans.pk}/load/",
        {"file": SimpleUploadedFile("v2.csv", list_csv(ENTRIES[0], ENTRIES[0]), "text/csv")},
    )
    assert response.status_code == 400
    assert "v2.csv, line 3" in response.json()["errors"]["file"][0]
    assert ListVersion.objects.get(restriction_list=entry_bans, is_active=True).number == 1


def test_a_person_is_screened_and_the_match_decided(
    api, entry_bans, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/screening/runs/",
            {
                "scope": "person",
                "person": {"full_name": "Juraev Jamshed", "birth_date": "1990-05-17"},
            },
            content_type="application/json",
        )
    assert response.status_code == 202
    run = api.get(f"/api/v1/screening/runs/{response.json()['id']}/").json()
    assert run["status"] == "done" and run["raised"] == 1
    queue = api.get("/api/v1/screening/matches/").json()["results"]
    assert len(queue) == 1 and "subject" not in queue[0]
    detail = api.get(f"/api/v1/screening/matches/{queue[0]['id']}/").json()
    assert detail["subject"]["full_name"] == "Juraev Jamshed"
    assert detail["entry"]["surname"] == "Джураев"
    missing = api.post(f"/api/v1/screening/matches/{queue[0]['id']}/reject/", {})
    assert missing.status_code == 400
    decided = api.post(
        f"/api/v1/screening/matches/{queue[0]['id']}/reject/", {"reason": "Other person"}
    )
    assert decided.json()["status"] == "rejected"
    assert PossibleMatch.objects.get().status == "rejected"


def test_a_caseworker_cannot_use_the_reviewer_endpoints(client_for, people, entry_bans):
    client = client_for(people.caseworker)
    assert client.get("/api/v1/screening/matches/").status_code == 403
    assert client.get("/api/v1/screening/lists/").status_code == 403


def test_the_schema_still_generates(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/screening/self-check/" in response.content
