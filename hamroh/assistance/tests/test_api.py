from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from hamroh.assistance import services
from hamroh.assistance.demo import load_partners
from hamroh.assistance.models import Case, Partner, RateCounter
from hamroh.assistance.tests.factories import submit
from hamroh.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


def api_for(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_anyone_can_report_through_the_api_and_gets_the_code_once() -> None:
    response = api_for().post(
        "/api/v1/assistance/reports/",
        {"case_type": "held_at_border", "border_point": "svo", "hours_held": 20, "anonymous": True},
        format="json",
    )
    assert response.status_code == 201
    case = Case.objects.get(reference=response.data["reference"])
    assert case.followup_hash == services.followup_hash(response.data["followup_code"])
    assert (
        case.channel == "api" and case.urgency == "high" and case.owning_agency.code == "mlme-mow"
    )


def test_an_unknown_case_type_names_the_field() -> None:
    response = api_for().post("/api/v1/assistance/reports/", {"case_type": "alien"}, format="json")
    assert response.status_code == 400 and "case_type" in response.data["errors"]


def test_one_thread_validates_report_after_report_with_the_same_fields() -> None:
    """The report serializer's fields are built once per thread and reused: nothing of one
    report's validation (a value, an error) reaches the next."""
    client = api_for()
    bad = {"case_type": "alien", "hours_held": -1, "latitude": "north", "urgency": "soon"}
    first = client.post("/api/v1/assistance/reports/", bad, format="json")
    good = client.post(
        "/api/v1/assistance/reports/",
        {"case_type": "detention", "hours_held": 3, "latitude": "55.41", "city": "Kazan"},
        format="json",
    )
    again = client.post("/api/v1/assistance/reports/", bad, format="json")
    assert first.status_code == again.status_code == 400
    assert first.data == again.data
    assert set(first.data["errors"]) == {"case_type", "hours_held", "latitude", "urgency"}
    assert good.status_code == 201
    case = Case.objects.get(reference=good.data["reference"])
    assert (case.case_type.code, case.hours_held, str(case.latitude), case.city) == (
        "detention",
        3,
        "55.41000",
        "Kazan",
    )
    empty = client.post("/api/v1/assistance/reports/", {}, format="json")
    assert empty.status_code == 400 and set(empty.data["errors"]) == {"case_type"}


def three_reports_from_one_address() -> list[int]:
    client = api_for()
    return [
        client.post(
            "/api/v1/assistance/reports/", {"case_type": "consultation"}, format="json"
        ).status_code
        for _ in range(3)
    ]


def test_api_reports_are_rate_limited_per_address(monkeypatch: Any) -> None:
    monkeypatch.setenv("HAMROH_REPORT_API_PER_HOUR", "2")
    assert three_reports_from_one_address() == [201, 201, 429]


def test_the_queue_lists_without_personal_fields_in_fixed_queries(people: Any) -> None:
    client = api_for(people.caseworker)
    submit()
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/assistance/cases/?queue=unassigned")
    for _ in range(5):
        submit()
    with CaptureQueriesContext(connection) as many:
        response = client.get("/api/v1/assistance/cases/?queue=unassigned")
    assert len(response.data["results"]) == 6
    assert "reporter_name" not in response.data["results"][0]
    assert len(many) == len(few)


def test_reading_one_case_through_the_api_is_audited(people: Any) -> None:
    case = submit().case
    response = api_for(people.caseworker).get(f"/api/v1/assistance/cases/{case.pk}/")
    assert response.data["reporter_name"] == "Ҷӯраев Ҷамшед"
    assert AuditEntry.objects.filter(
        object_id=str(case.pk), action="read", actor=people.caseworker
    ).exists()
    assert (
        api_for(people.caseworker_ala).get(f"/api/v1/assistance/cases/{case.pk}/").status_code
        == 404
    )


def test_case_work_through_the_api_follows_the_desk_rules(people: Any) -> None:
    load_partners()
    case = submit().case
    client = api_for(people.caseworker)
    assert (
        client.post(f"/api/v1/assistance/cases/{case.pk}/assign/", {"assignee": "caseworker"}).data[
            "status"
        ]
        == "open"
    )
    client.post(
        f"/api/v1/assistance/cases/{case.pk}/refer/", {"partner": "iom-tj", "text": "shelter"}
    )
    referral = case.referrals.get()
    iom = api_for(people.partner_iom)
    assert [r["reference"] for r in iom.get("/api/v1/assistance/referrals/").data["results"]] == [
        case.reference
    ]
    assert (
        iom.post(
            f"/api/v1/assistance/referrals/{referral.pk}/answer/", {"decision": "accept"}
        ).data["status"]
        == "accepted"
    )
    assert (
        api_for(people.partner_mvd)
        .post(f"/api/v1/assistance/referrals/{referral.pk}/answer/", {"decision": "complete"})
        .status_code
        == 404
    )
    iom.post(f"/api/v1/assistance/referrals/{referral.pk}/answer/", {"decision": "complete"})
    client.post(f"/api/v1/assistance/cases/{case.pk}/closure/", {"text": "Done"})
    denied = client.post(f"/api/v1/assistance/cases/{case.pk}/closure/", {"decision": "approve"})
    assert denied.status_code == 403
    approved = api_for(people.supervisor).post(
        f"/api/v1/assistance/cases/{case.pk}/closure/", {"decision": "approve"}
    )
    assert approved.data["status"] == "closed"
    assert Partner.objects.get(code="iom-tj").referrals.get().status == "completed"


def test_the_openapi_schema_still_generates(client: Any) -> None:
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/assistance/reports/" in response.content


def test_api_reports_are_rate_limited_in_redis_when_it_is_configured(
    monkeypatch: Any, settings: Any
) -> None:
    """Production keeps the counters in Redis (REDIS_URL); the same limit holds there."""
    import uuid

    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379 (.ci/run starts one)")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": uuid.uuid4().hex,
        }
    }
    monkeypatch.setenv("HAMROH_REPORT_API_PER_HOUR", "2")
    assert three_reports_from_one_address() == [201, 201, 429]
    assert not RateCounter.objects.exists()  # counted in Redis, not in the table
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    counters = redis.Redis.from_url(url).keys(f"{prefix}:*assistance:report-api:*")
    assert len(counters) == 1  # one counter, which expires with its window
    assert 0 < redis.Redis.from_url(url).ttl(counters[0]) <= 3600
    assert int(redis.Redis.from_url(url).get(counters[0])) == 3
