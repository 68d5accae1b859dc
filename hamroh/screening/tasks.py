"""Background work of the screening app, run by ``hamroh worker``."""

from __future__ import annotations

from django_tasks import task

from hamroh.screening import services


@task()
def run_screening(run_id: int) -> int:
    """Screen a run's people against its list versions; returns the matches raised."""
    return services.execute_run(run_id).raised
