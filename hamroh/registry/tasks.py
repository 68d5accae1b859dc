"""Background work of the registry app, run by ``hamroh worker``: checking an uploaded
registry file and importing it (``services.upload_import``, ``services.commit_import``)."""

from __future__ import annotations

from django_tasks import task

from hamroh.registry import services


@task()
def check_registry_import(import_id: int) -> int:
    """Check every line of an uploaded file; returns the number of problems."""
    return services.execute_check(import_id).problem_count


@task()
def commit_registry_import(import_id: int) -> int:
    """Import a checked file's people, all or nothing; returns the number imported."""
    return services.execute_commit(import_id).imported_count
