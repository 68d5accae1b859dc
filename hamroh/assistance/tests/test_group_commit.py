"""Group commit of public reports (PostgreSQL): concurrent reports written in one
transaction, each answered only once committed, each with its own rows and audit entry."""

from __future__ import annotations

import importlib
import threading
import time
from typing import Any

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, connections

from hamroh.assistance import group_commit, services
from hamroh.assistance.models import Case, CaseEvent, CaseNameKey
from hamroh.assistance.tests.factories import report
from hamroh.conftest import load_fixtures
from hamroh.core import audit
from hamroh.core.middleware import RequestContext, _current
from hamroh.core.models import AuditEntry

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="group commit is PostgreSQL's (SQLite: one by one)"
)


@pytest.fixture
def loaded(transactional_db: None) -> None:
    # Transactional tests empty every table afterwards, data migrations included: ship again.
    load_fixtures()
    importlib.import_module("hamroh.assistance.migrations.0002_case_types_and_border_points").ship(
        apps, None
    )


class Recorder:
    """Wraps the batch writer: which reports went together, and holds the first batch long
    enough for the other threads to queue behind it."""

    def __init__(self, monkeypatch: Any, hold: float = 0.5) -> None:
        self.batches: list[list[str]] = []
        self.returned: set[str] = set()
        self.answered_early: list[str] = []
        self.hold = hold
        original = group_commit._write

        def write(reports: list[Any]) -> None:
            names = [r.case.city for r in reports]
            self.batches.append(names)
            if len(self.batches) == 1:
                time.sleep(self.hold)
            original(reports)

        original_append = audit.append_many

        def append_many(pending: Any) -> Any:
            entries = original_append(pending)
            # Inside the transaction, not yet committed: none of these may have answered.
            time.sleep(0.05)
            self.answered_early += [
                p.target.city for p in pending if p.target.city in self.returned
            ]
            return entries

        monkeypatch.setattr(group_commit, "_write", write)
        monkeypatch.setattr(audit, "append_many", append_many)


def run_threads(count: int, recorder: Recorder, bad: str = "") -> dict[str, Any]:
    """``count`` threads submit at once (each its own city, its own request id); returns what
    each got: the Submitted, the case as its own connection reads it once answered, or the
    error raised."""
    results: dict[str, Any] = {}
    start = threading.Barrier(count)

    def one(n: int) -> None:
        city = f"city-{n}"
        token = _current.set(RequestContext(f"{n:032d}", f"10.0.0.{n}"))
        try:
            start.wait()
            if city == bad:
                time.sleep(0.1)  # queued behind the first batch, with others
            submitted = services.submit_report(
                report=report(city=city, reporter_name="" if n % 3 else "Ҷӯраев Ҷамшед"),
                channel="api",
            )
            recorder.returned.add(city)
            # Answered: the report must already be committed, so another connection sees it.
            stored = Case.objects.filter(reference=submitted.case.reference).first()
            results[city] = (submitted, stored)
        except Exception as error:
            results[city] = error
        finally:
            _current.reset(token)
            connections.close_all()

    threads = [threading.Thread(target=one, args=(n,), name=f"report-{n}") for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_concurrent_reports_are_grouped_and_each_is_committed_before_it_is_answered(
    loaded: None, monkeypatch: Any
) -> None:
    recorder = Recorder(monkeypatch)
    entries_before = AuditEntry.objects.count()
    results = run_threads(8, recorder)
    assert all(not isinstance(r, Exception) for r in results.values()), results
    assert max(len(batch) for batch in recorder.batches) > 1, recorder.batches  # grouped
    assert sorted(c for batch in recorder.batches for c in batch) == sorted(results)
    assert recorder.answered_early == []
    references = set()
    for city, (submitted, stored) in results.items():
        case = submitted.case
        assert stored is not None and stored.pk == case.pk  # committed when answered
        assert stored.city == city
        assert case.reference == f"HMR-{case.created_at.year}-{case.pk:06d}"
        assert stored.reference == case.reference
        assert stored.followup_hash == services.followup_hash(submitted.followup_code)
        assert stored.reporter_phone == "+7 916 123-45-67"  # encrypted, read back
        references.add(case.reference)
        assert list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True)) == [
            CaseEvent.Kind.CREATED
        ]
        keys = set(CaseNameKey.objects.filter(case=case).values_list("key", flat=True))
        assert keys == services.name_keys(stored.reporter_name)
        entry = AuditEntry.objects.get(object_type="assistance.case", object_id=str(case.pk))
        n = int(city.split("-")[1])
        assert (entry.request_id, entry.ip) == (f"{n:032d}", f"10.0.0.{n}")
        assert entry.actor_label == services.PUBLIC_ACTOR
        assert entry.action == AuditEntry.Action.CREATE
        assert entry.subject_agency_code == stored.owning_agency.code
        assert "reporter_phone" in entry.fields and "city" in entry.fields
    assert len(references) == 8
    assert AuditEntry.objects.count() == entries_before + 8
    assert audit.verify().ok


def test_a_bad_report_in_a_batch_fails_alone(loaded: None, monkeypatch: Any) -> None:
    existing = services.submit_report(report=report(city="first"))
    original = services.new_followup_code

    def code() -> str:
        # The bad report reuses a follow-up code already stored: its INSERT must fail.
        if threading.current_thread().name == "report-3":
            return existing.followup_code
        return original()

    monkeypatch.setattr(services, "new_followup_code", code)
    recorder = Recorder(monkeypatch)
    results = run_threads(6, recorder, bad="city-3")
    assert isinstance(results["city-3"], IntegrityError)
    assert any("city-3" in batch and len(batch) > 1 for batch in recorder.batches), recorder.batches
    good = {city: r for city, r in results.items() if city != "city-3"}
    assert len(good) == 5
    for submitted, stored in good.values():
        assert stored is not None and stored.reference == submitted.case.reference
        assert CaseEvent.objects.filter(case=stored).count() == 1
        assert (
            AuditEntry.objects.filter(
                object_type="assistance.case", object_id=str(stored.pk)
            ).count()
            == 1
        )
    assert not Case.objects.filter(city="city-3").exists()
    assert Case.objects.count() == 6
    assert audit.verify().ok


def test_inside_a_transaction_the_report_is_written_alone(loaded: None) -> None:
    from django.db import transaction

    with transaction.atomic():
        assert not group_commit.enabled()
        submitted = services.submit_report(report=report())
    assert Case.objects.get().reference == submitted.case.reference
    assert audit.verify().ok
