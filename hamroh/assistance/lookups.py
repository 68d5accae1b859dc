"""Per-process memory of the reference rows every report needs: case types, crossing points
and the agencies that receive reports.

Public intake looked each of them up in the database for every report (three queries of
the ten or so a report costs). They change a few times a year, in the back office, so each
process keeps them for at most ``TTL`` seconds:

- a save or delete of a case type, crossing point or agency in this process (the back
  office, a service, a fixture) forgets everything at once (signals, see ``apps.py``);
- other processes (the other web workers) forget at the latest ``TTL`` seconds later, also
  after changes that send no signal (``QuerySet.update``, SQL, a data migration);
- ``flush``/``migrate`` (``post_migrate``) forget too, so tests that empty the database do
  not see rows of an earlier test.

The rows are shared between threads and must be treated as read-only.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from hamroh.assistance.models import BorderPoint, CaseType
from hamroh.core.models import Agency

# Seconds another process may go on using a row after an administrator changed it.
TTL = 30.0

_MISSING = object()


@dataclass
class _Snapshot:
    loaded_at: float
    case_types: dict[str, CaseType] | None = None
    border_points: dict[str, BorderPoint] | None = None
    # Routing answers, filled as asked: ("code", code) / ("country", iso3) / ("operator", "").
    agencies: dict[tuple[str, str], Agency | None] = field(default_factory=dict)


_lock = threading.Lock()
_generation = 0
_snapshot: _Snapshot | None = None


def forget(*args: Any, **kwargs: Any) -> None:
    """Drop everything remembered (a signal receiver, hence the arguments)."""
    global _generation, _snapshot
    with _lock:
        _generation += 1
        _snapshot = None


def _current() -> tuple[_Snapshot, int]:
    global _snapshot
    now = time.monotonic()
    with _lock:
        snapshot, generation = _snapshot, _generation
        if snapshot is None or now - snapshot.loaded_at > TTL:
            snapshot = _snapshot = _Snapshot(loaded_at=now)
    return snapshot, generation


def _still(generation: int) -> bool:
    """False when ``forget`` ran while we were reading: the rows read may be stale."""
    return generation == _generation


def case_types() -> dict[str, CaseType]:
    """Active case types by code."""
    snapshot, generation = _current()
    types = snapshot.case_types
    if types is None:
        types = {t.code: t for t in CaseType.objects.filter(is_active=True)}
        if _still(generation):
            snapshot.case_types = types
    return types


def border_points() -> dict[str, BorderPoint]:
    """Crossing points by code."""
    snapshot, generation = _current()
    points = snapshot.border_points
    if points is None:
        points = {p.code: p for p in BorderPoint.objects.all()}
        if _still(generation):
            snapshot.border_points = points
    return points


def _agency(key: tuple[str, str]) -> Agency | None:
    snapshot, generation = _current()
    found = snapshot.agencies.get(key, _MISSING)
    if found is not _MISSING:
        return found  # type: ignore[return-value]
    kind, value = key
    active = Agency.objects.filter(is_active=True)
    if kind == "code":
        agency = active.filter(code=value).first()
    elif kind == "country":
        agency = (
            active.filter(kind=Agency.Kind.REPRESENTATION, country_id=value).order_by("pk").first()
        )
    else:
        agency = active.filter(is_operator=True).order_by("pk").first()
    if _still(generation):
        snapshot.agencies[key] = agency
    return agency


def active_agency(code: str) -> Agency | None:
    return _agency(("code", code))


def first_representation(country_code: str) -> Agency | None:
    """The first active representation (by id) in a country."""
    return _agency(("country", country_code))


def operator_agency() -> Agency | None:
    """The platform operator (the helpline), which receives what nobody else does."""
    return _agency(("operator", ""))
