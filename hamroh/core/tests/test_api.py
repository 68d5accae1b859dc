"""The machine interface behaves like the desk: same services, same scope, same audit."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hamroh.core import services
from hamroh.core.models import AuditEntry, Country
from hamroh.core.roles import Role


@pytest.fixture
def api_for(people):
    def sign_in(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return sign_in


def test_reference_data_is_public(db):
    response = APIClient().get("/api/v1/reference/countries/")
    assert response.status_code == 200
    assert {"alpha3": "TJK"}.items() <= next(
        c for c in response.json() if c["alpha3"] == "TJK"
    ).items()


def test_subdivisions_of_tajikistan_have_names_in_three_languages(db):
    regions = [
        r
        for r in APIClient().get("/api/v1/reference/subdivisions/").json()
        if r["kind"] == "region"
    ]
    sughd = next(r for r in regions if r["code"] == "TJ-SU")
    assert sughd["name_tg"] == "Вилояти Суғд"
    assert sughd["name_ru"] and sughd["name_en"]


def test_partner_system_gets_a_token_with_its_password(people):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "partner-mvd", "password": "hamroh-demo-2026"}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient(headers={"authorization": f"Token {token}"})
    assert client.get("/api/v1/me/").json()["agency"] == "mvd-ru"


def test_anonymous_caller_is_refused_with_a_json_error(db):
    response = APIClient().get("/api/v1/agencies/")
    assert response.status_code in {401, 403}
    assert "detail" in response.json()


def test_agency_list_is_scoped_to_the_callers_agency(api_for, people):
    codes = [
        a["code"] for a in api_for(people.mow_admin).get("/api/v1/agencies/").json()["results"]
    ]
    assert codes == ["mlme-mow"]


def test_agency_list_query_count_does_not_grow_with_agencies(api_for, people):
    client = api_for(people.admin)
    with CaptureQueriesContext(connection) as before:
        client.get("/api/v1/agencies/")
    for n in range(5):
        services.create_agency(
            actor=people.admin,
            code=f"extra-{n}",
            kind="partner",
            country=Country.objects.get(pk="KAZ"),
            name_en=f"Extra {n}",
        )
    with CaptureQueriesContext(connection) as after:
        client.get("/api/v1/agencies/")
    assert len(after) == len(before)


def test_user_list_query_count_does_not_grow_with_users(api_for, people):
    client = api_for(people.admin)
    with CaptureQueriesContext(connection) as before:
        client.get("/api/v1/users/")
    for n in range(5):
        services.create_user(
            actor=people.admin,
            username=f"u{n}",
            password="Istaravshan-2026!",
            agency=people.admin.agency,
            role=Role.REVIEWER,
        )
    with CaptureQueriesContext(connection) as after:
        client.get("/api/v1/users/")
    assert len(after) == len(before)


def test_creating_a_user_through_the_api_is_audited(api_for, people):
    response = api_for(people.admin).post(
        "/api/v1/users/",
        {
            "username": "api-made",
            "password": "Dushanbe-Moscow-2026",
            "agency": "mlme-ala",
            "role": "caseworker",
            "first_name": "",
            "last_name": "",
            "email": "",
            "language": "ru",
            "is_active": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.object_id == str(response.json()["id"])
    assert "password" not in response.json()


def test_representation_admin_cannot_create_user_elsewhere_through_the_api(api_for, people):
    response = api_for(people.mow_admin).post(
        "/api/v1/users/",
        {
            "username": "x",
            "password": "Dushanbe-Moscow-2026",
            "agency": "mlme",
            "role": "caseworker",
        },
        format="json",
    )
    assert response.status_code == 403


def test_reading_one_user_through_the_api_is_audited(api_for, people):
    before = AuditEntry.objects.filter(action=AuditEntry.Action.READ).count()
    response = api_for(people.admin).get(f"/api/v1/users/{people.caseworker.pk}/")
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action=AuditEntry.Action.READ).count() == before + 1


def test_audit_verify_endpoint_answers_conflict_when_broken(api_for, people):
    client = api_for(people.admin)
    assert client.get("/api/v1/audit/verify/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = 2")
    response = client.get("/api/v1/audit/verify/")
    assert response.status_code == 409
    assert response.json()["broken_seq"] == 2


def test_openapi_schema_is_served(db):
    response = APIClient().get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/agencies/" in response.content


def test_api_errors_are_translated(api_for, people):
    response = api_for(people.caseworker).get(
        "/api/v1/agencies/", headers={"accept-language": "ru"}
    )
    assert response.status_code == 403
    assert "роль" in response.json()["detail"].lower()


@pytest.mark.parametrize("token", ["", "Token nonsense"])
def test_bad_tokens_are_refused(db, token):
    client = APIClient(headers={"authorization": token} if token else {})
    assert client.get("/api/v1/me/").status_code in {401, 403}
    assert not Token.objects.filter(key="nonsense").exists()


def test_malformed_payload_gets_400_with_a_reason(api_for, people):
    response = api_for(people.admin).post(
        "/api/v1/users/", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"]


def test_invalid_user_fields_are_named(api_for, people):
    response = api_for(people.admin).post(
        "/api/v1/users/", {"username": "", "agency": "no-such-agency"}, format="json"
    )
    assert response.status_code == 400
    assert {"username", "agency", "role"} <= set(response.json()["errors"])
