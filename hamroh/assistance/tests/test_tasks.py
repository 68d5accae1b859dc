"""Tasks and follow-up reminders on a case, the "My tasks" tab, and the Excel export."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hamroh.assistance import case_tasks, selectors, services
from hamroh.assistance.models import Case, CaseEvent, Task
from hamroh.assistance.tests.factories import submit
from hamroh.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def today() -> Any:
    return timezone.localdate()


def overdue(task: Task, days: int = 2) -> Task:
    Task.objects.filter(pk=task.pk).update(due_on=today() - timedelta(days=days))
    task.refresh_from_db()
    return task


def test_a_reminder_is_a_task_for_oneself_and_is_audited(people: Any) -> None:
    case = submit().case
    task = case_tasks.add_task(
        actor=people.caseworker, case=case, text="Call back at 18:00", due_on=today()
    )
    assert task.assignee == people.caseworker and task.created_by == people.caseworker
    event = CaseEvent.objects.get(case=case, kind="task_added")
    assert "Call back at 18:00" in event.text
    entry = AuditEntry.objects.filter(object_type="assistance.case", object_id=str(case.pk))
    assert entry.latest("seq").fields == ["tasks"]
    assert "Call back" not in str(entry.latest("seq").fields)


def test_a_task_goes_only_to_someone_who_may_see_the_case(people: Any) -> None:
    case = submit().case  # Moscow's
    task = case_tasks.add_task(
        actor=people.caseworker,
        case=case,
        text="Approve the letter",
        due_on=today() + timedelta(days=1),
        assignee=people.supervisor,
    )
    assert task.assignee == people.supervisor
    # The helpline sees every case; Almaty does not see Moscow's; a recruiter never does.
    case_tasks.add_task(
        actor=people.caseworker, case=case, text="Call", due_on=today(), assignee=people.operator
    )
    for outsider in (people.caseworker_ala, people.recruiter):
        with pytest.raises(ValidationError):
            case_tasks.add_task(
                actor=people.caseworker, case=case, text="x", due_on=today(), assignee=outsider
            )
    # Offered to Almaty by transfer: now Almaty may see it, so may receive a task.
    from hamroh.core.models import Agency

    services.request_transfer(
        actor=people.caseworker, case=case, to_agency=Agency.objects.get(code="mlme-ala")
    )
    case.refresh_from_db()
    case_tasks.add_task(
        actor=people.caseworker,
        case=case,
        text="Check",
        due_on=today(),
        assignee=people.caseworker_ala,
    )


def test_only_the_case_workers_add_tasks_and_dates_are_not_in_the_past(people: Any) -> None:
    case = submit().case
    with pytest.raises(PermissionDenied):
        case_tasks.add_task(actor=people.caseworker_ala, case=case, text="x", due_on=today())
    with pytest.raises(ValidationError):
        case_tasks.add_task(
            actor=people.caseworker, case=case, text="x", due_on=today() - timedelta(days=1)
        )
    with pytest.raises(ValidationError):
        case_tasks.add_task(actor=people.caseworker, case=case, text="  ", due_on=today())


def test_marking_a_task_done(client_for: Any, people: Any) -> None:
    case = submit().case
    task = case_tasks.add_task(
        actor=people.caseworker,
        case=case,
        text="Send the address",
        due_on=today(),
        assignee=people.supervisor,
    )
    with pytest.raises(PermissionDenied):
        case_tasks.complete_task(actor=people.caseworker_ala, task=task)
    client = client_for(people.supervisor)
    response = client.post(f"/desk/assistance/tasks/{task.pk}/done/", {"next": "tasks"})
    assert response.status_code == 302 and response["Location"] == "/desk/assistance/tasks/"
    task.refresh_from_db()
    assert task.done_by == people.supervisor and task.done_at is not None
    assert CaseEvent.objects.filter(case=case, kind="task_done").count() == 1
    with pytest.raises(ValidationError):
        case_tasks.complete_task(actor=people.supervisor, task=task)
    assert (
        client_for(people.caseworker_ala)
        .post(f"/desk/assistance/tasks/{task.pk}/done/")
        .status_code
        == 404
    )


def test_adding_a_task_from_the_case_page(client_for: Any, people: Any) -> None:
    case = submit().case
    client = client_for(people.caseworker)
    response = client.post(
        f"/desk/assistance/cases/{case.pk}/tasks/",
        {"text": "Ask IOM", "due_on": today().isoformat(), "assignee": people.supervisor.pk},
    )
    assert response.status_code == 302
    assert Task.objects.get(case=case).assignee == people.supervisor
    client.post(
        f"/desk/assistance/cases/{case.pk}/tasks/",
        {"text": "Wrong", "due_on": today().isoformat(), "assignee": people.caseworker_ala.pk},
    )
    assert Task.objects.filter(case=case).count() == 1


def test_my_tasks_lists_overdue_and_due_today(client_for: Any, people: Any) -> None:
    case = submit().case
    mine = people.caseworker
    late = overdue(case_tasks.add_task(actor=mine, case=case, text="Late", due_on=today()))
    now = case_tasks.add_task(actor=mine, case=case, text="Now", due_on=today())
    later = case_tasks.add_task(
        actor=mine, case=case, text="Later", due_on=today() + timedelta(days=3)
    )
    done = case_tasks.add_task(actor=mine, case=case, text="Done", due_on=today())
    case_tasks.complete_task(actor=mine, task=done)
    case_tasks.add_task(
        actor=mine, case=case, text="Not mine", due_on=today(), assignee=people.supervisor
    )
    response = client_for(mine).get("/desk/assistance/tasks/")
    tasks = response.context["tasks"]
    assert (tasks.overdue, tasks.today, tasks.later) == ([late], [now], [later])
    body = response.content.decode()
    assert "Not mine" not in body and ">Done</s>" not in body
    assert 'data-testid="tasks-overdue"' in body
    assert AuditEntry.objects.filter(
        action="read", object_type="assistance.task", object_id="mine", actor=mine
    ).exists()
    assert 'data-testid="queue-tasks"' in client_for(mine).get("/desk/assistance/").content.decode()


def test_overdue_tasks_show_on_the_case_page_and_its_timeline(client_for: Any, people: Any) -> None:
    case = submit().case
    overdue(case_tasks.add_task(actor=people.caseworker, case=case, text="Late", due_on=today()))
    response = client_for(people.caseworker).get(f"/desk/assistance/cases/{case.pk}/")
    body = response.content.decode()
    assert 'data-testid="timeline-overdue"' in body
    assert 'class="overdue"' in body
    entries = response.context["events"]
    assert [e.task.text for e in entries if getattr(e, "overdue", False)] == ["Late"]


def test_my_tasks_takes_a_fixed_number_of_queries(client_for: Any, people: Any) -> None:
    client = client_for(people.caseworker)
    case = submit().case
    case_tasks.add_task(actor=people.caseworker, case=case, text="One", due_on=today())
    with CaptureQueriesContext(connection) as few:
        assert client.get("/desk/assistance/tasks/").status_code == 200
    for step in range(6):
        other = submit().case
        task = case_tasks.add_task(
            actor=people.supervisor,
            case=other,
            text=f"Task {step}",
            due_on=today() + timedelta(days=step % 3),
            assignee=people.caseworker,
        )
        if step % 2:
            overdue(task)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/desk/assistance/tasks/")
    assert len(response.context["tasks"]) == 7
    assert len(many) == len(few)


def test_tasks_on_cases_no_longer_seen_drop_out_of_my_tasks(people: Any) -> None:
    case = submit().case
    case_tasks.add_task(actor=people.caseworker, case=case, text="Call", due_on=today())
    Case.objects.filter(pk=case.pk).update(
        owning_agency=people.caseworker_ala.agency, transfer_to=None
    )
    assert len(case_tasks.my_tasks(people.caseworker)) == 0


# --- Excel export -------------------------------------------------------------------------


def test_the_excel_export_opens_holds_no_personal_data_and_is_audited(
    client_for: Any, people: Any
) -> None:
    case = submit(city="Moscow").case
    before = AuditEntry.objects.filter(action="export").count()
    response = client_for(people.supervisor).get("/desk/assistance/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert "hamroh-cases.xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert list(rows[0]) == selectors.EXPORT_COLUMNS
    assert rows[1][0] == case.reference
    text = repr(rows)
    for personal in ("Ҷӯраев", "916", "passport control", "reporter", "phone", "narrative"):
        assert personal not in text
    entry = AuditEntry.objects.filter(action="export").latest("seq")
    assert AuditEntry.objects.filter(action="export").count() == before + 1
    assert entry.actor == people.supervisor and sorted(entry.fields) == sorted(
        selectors.EXPORT_COLUMNS
    )


def test_the_excel_export_is_refused_to_roles_without_case_work(
    client_for: Any, people: Any
) -> None:
    assert client_for(people.recruiter).get("/desk/assistance/export.xlsx").status_code == 403
