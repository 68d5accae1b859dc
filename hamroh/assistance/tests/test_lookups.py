"""Reports read case types, crossing points and receiving agencies from per-process memory
(``lookups``); these tests prove an administrator's change is not missed."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from hamroh.assistance import lookups
from hamroh.assistance.models import BorderPoint, Case, CaseType
from hamroh.core.models import Agency

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


def report(**values: Any) -> Any:
    body = {"case_type": "held_at_border", "border_point": "svo", "anonymous": True}
    body.update(values)
    return APIClient().post("/api/v1/assistance/reports/", body, format="json")


def test_a_second_report_reads_no_reference_row_from_the_database() -> None:
    assert report().status_code == 201
    with CaptureQueriesContext(connection) as queries:
        assert report().status_code == 201
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    for table in ("assistance_casetype", "assistance_borderpoint", "core_agency"):
        assert f'FROM "{table}"' not in tables


def test_a_case_type_switched_off_in_the_back_office_is_refused_at_once() -> None:
    assert report(case_type="documents").status_code == 201
    documents = CaseType.objects.get(code="documents")
    documents.is_active = False
    documents.save()  # what the back office does
    response = report(case_type="documents")
    assert response.status_code == 400
    assert str(response.data["errors"]["case_type"][0]) == (
        "Object with code=documents does not exist."
    )


def test_a_crossing_point_given_to_another_representation_routes_there_at_once() -> None:
    assert Case.objects.get(reference=report().data["reference"]).owning_agency.code == "mlme-mow"
    svo = BorderPoint.objects.get(code="svo")
    svo.representation_code = "mlme-ekb"
    svo.save()
    assert Case.objects.get(reference=report().data["reference"]).owning_agency.code == "mlme-ekb"


def test_a_deactivated_agency_no_longer_receives_reports() -> None:
    assert Case.objects.get(reference=report().data["reference"]).owning_agency.code == "mlme-mow"
    moscow = Agency.objects.get(code="mlme-mow")
    moscow.is_active = False
    moscow.save()
    owner = Case.objects.get(reference=report().data["reference"]).owning_agency
    assert owner.code != "mlme-mow" and owner.is_active


def test_changes_without_a_signal_are_seen_after_the_ttl(monkeypatch: Any) -> None:
    """Another web worker (or a bulk ``update``) sends this process no signal: the memory
    is trusted for ``lookups.TTL`` seconds at most."""
    clock = [1000.0]
    monkeypatch.setattr(lookups.time, "monotonic", lambda: clock[0])
    assert report(case_type="documents").status_code == 201
    CaseType.objects.filter(code="documents").update(is_active=False)  # no signal
    clock[0] += lookups.TTL / 2
    assert report(case_type="documents").status_code == 201  # still remembered
    clock[0] += lookups.TTL
    assert report(case_type="documents").status_code == 400


def test_deleting_a_crossing_point_forgets_it() -> None:
    point = BorderPoint.objects.create(
        code="test-point", kind="road", country_code="KAZ", latitude=0, longitude=0
    )
    assert report(border_point="test-point").status_code == 201
    Case.objects.filter(border_point=point).delete()
    point.delete()
    assert report(border_point="test-point").status_code == 400


def test_the_reference_is_stored_as_answered_and_built_from_the_id() -> None:
    response = report()
    case = Case.objects.get(reference=response.data["reference"])
    assert case.reference == f"HMR-{case.created_at.year}-{case.pk:06d}"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_on_postgresql_the_insert_writes_the_reference() -> None:
    with CaptureQueriesContext(connection) as queries:
        response = report()
    assert not [
        q for q in queries.captured_queries if q["sql"].startswith('UPDATE "assistance_case"')
    ]
    case = Case.objects.get(pk=Case.objects.get(reference=response.data["reference"]).pk)
    assert case.reference == f"HMR-{case.created_at.year}-{case.pk:06d}"
    # Seven-digit ids keep every digit, as Python's {:06d} does.
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('assistance_case', 'id'), 1234566)")
    case = Case.objects.get(reference=report().data["reference"])
    assert case.pk == 1234567 and case.reference == f"HMR-{case.created_at.year}-1234567"
