"""Background work of the assistance desk, run by ``hamroh worker``."""

from __future__ import annotations

from django_tasks import task

from hamroh.assistance.services import escalate_breached_cases


@task()
def escalate_cases() -> int:
    """Enqueue every few minutes (cron: ``hamroh escalate_cases`` does the same)."""
    return escalate_breached_cases()
