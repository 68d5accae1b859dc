from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from hamroh.recruitment import services
from hamroh.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(people):
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(people.recruiter)
    return client


def test_the_api_walks_the_same_pipeline_as_the_desk(api, order):
    person, _ = make_person()
    created = api.post(
        "/api/v1/recruitment/applications/",
        {"person": person.public_id, "job_order": order.pk},
        format="json",
    )
    assert created.status_code == 201 and created.json()["status"] == "shortlisted"
    pk = created.json()["id"]
    sent = api.post(
        f"/api/v1/recruitment/job-orders/{order.pk}/send-shortlist/",
        {"applications": [pk]},
        format="json",
    )
    assert sent.status_code == 201
    assert api.post(f"/api/v1/recruitment/applications/{pk}/select/").json()["status"] == (
        "selected"
    )
    today = date.today().isoformat()
    for kind, extra in [
        ("language_test", {"result": "passed", "score": 70}),
        ("skills_test", {"result": "passed", "score": 90}),
        ("orientation", {"result": "passed", "certificate": "O-1"}),
        ("training", {"result": "passed", "certificate": "T-1"}),
        ("medical", {"result": "passed"}),
        ("contract", {}),
        (
            "ticket",
            {
                "travel_date": today,
                "carrier": "Somon Air SZ 201",
                "travel_from": "Dushanbe",
                "travel_to": "Moscow",
            },
        ),
    ]:
        response = api.post(
            f"/api/v1/recruitment/applications/{pk}/steps/",
            {"kind": kind, "date": today, **extra},
            format="json",
        )
        assert response.status_code == 201, response.json()
    assert response.json()["blockers"] == []
    departed = api.post(
        f"/api/v1/recruitment/applications/{pk}/steps/",
        {"kind": "departure", "date": today, "crossing_point": "DYU"},
        format="json",
    )
    assert departed.json()["status"] == "departed"


def test_a_rule_broken_through_the_api_is_a_translated_json_error(api, order):
    person, _ = make_person()
    application = services.apply_for_job(person=person, job_order=order)
    response = api.post(
        f"/api/v1/recruitment/applications/{application.pk}/steps/",
        {"kind": "departure", "date": date.today().isoformat(), "crossing_point": "DYU"},
        format="json",
    )
    assert response.status_code == 400
    assert "Only a selected candidate can depart" in str(response.json())


def test_registering_through_the_api_returns_the_access_code_once(api):
    response = api.post(
        "/api/v1/registry/people/",
        {
            "names": [
                {
                    "surname": "Давлатов",
                    "given_name": "Умед",
                    "script": "tg-cyrl",
                    "source": "passport",
                }
            ],
            "sex": "M",
            "birth_date": "1992-11",
            "region": "TJ-DU",
            "passport_number": "400999111",
            "passport_expiry_date": "2031-01-01",
            "consent": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    public_id = response.json()["public_id"]
    detail = api.get(f"/api/v1/registry/people/{public_id}/").json()
    assert detail["birth_date"] == "1992-11" and "access_code" not in detail
    assert detail["names"][0]["surname"] == "Давлатов"


def test_a_partner_system_cannot_read_the_registry(people):
    client = APIClient()
    client.force_authenticate(people.partner_mvd)
    assert client.get("/api/v1/registry/people/").status_code == 403
    assert client.get("/api/v1/recruitment/applications/").status_code == 403


def test_open_job_orders_are_public(order):
    response = APIClient().get("/api/v1/recruitment/open-job-orders/")
    assert response.json()["results"][0]["title"] == "Bricklayer"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/recruitment/applications/",
        "/api/v1/recruitment/roster/",
        "/api/v1/registry/people/",
    ],
)
def test_api_lists_take_a_fixed_number_of_queries(api, order, url):
    for _ in range(2):
        person, _ = make_person()
        services.apply_for_job(person=person, job_order=order)
    with CaptureQueriesContext(connection) as few:
        api.get(url)
    for _ in range(4):
        person, _ = make_person()
        services.apply_for_job(person=person, job_order=order)
    with CaptureQueriesContext(connection) as more:
        response = api.get(url)
    assert response.status_code == 200
    assert len(more) == len(few)
