"""Tasks and follow-up reminders on a case: reads and writes, same rules as ``services``.

A task goes to someone who may see the case (a case worker of the owning representation, of
the representation it is offered to, or of the helpline); a reminder is a task for oneself.
Adding one and marking it done append a timeline event and an audit entry in one
transaction; the task text is encrypted like notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamroh.assistance.models import Case, CaseEvent, Task
from hamroh.assistance.services import _audit, _event, _lock, _require_owner
from hamroh.core.models import AuditEntry, User
from hamroh.core.roles import ROLE_CAPABILITIES, Capability
from hamroh.core.services import record_audit, require

CASE_ROLES = sorted(
    role
    for role, capabilities in ROLE_CAPABILITIES.items()
    if Capability.HANDLE_CASES in capabilities
)
MY_TASKS_LIMIT = 200


def _name(user: User) -> str:
    return user.get_full_name() or user.username


# --- Reads ------------------------------------------------------------------------------


def assignees_for(case: Case) -> QuerySet[User]:
    """Everyone who may see the case and work on it: the same rule as
    ``selectors.list_cases_for``, read from the user's side."""
    agencies = Q(agency_id=case.owning_agency_id) | Q(agency__is_operator=True)
    if case.transfer_to_id:
        agencies |= Q(agency_id=case.transfer_to_id)
    return (
        User.objects.filter(agencies, is_active=True, agency__is_active=True, role__in=CASE_ROLES)
        .select_related("agency")
        .order_by("last_name", "first_name", "username")
    )


def tasks_of(case: Case) -> list[Task]:
    """The case's tasks, open ones first (earliest due first), then the done ones."""
    tasks = list(case.tasks.select_related("assignee", "created_by", "done_by"))
    return sorted(tasks, key=lambda t: (t.done_at is not None, t.due_on, t.pk))


@dataclass
class MyTasks:
    overdue: list[Task] = field(default_factory=list)
    today: list[Task] = field(default_factory=list)
    later: list[Task] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.overdue) + len(self.today) + len(self.later)


def my_tasks(user: User, *, today: date | None = None) -> MyTasks:
    """The user's open tasks on cases they may still see, split into overdue, due today and
    later: one query (a scan of the partial index ``task_open_mine``) and one audit entry,
    since task texts may name people."""
    require(user, Capability.HANDLE_CASES)
    today = today or timezone.localdate()
    tasks = Task.objects.filter(assignee_id=user.pk, done_at__isnull=True)
    if not user.sees_all_agencies:
        tasks = tasks.filter(
            Q(case__owning_agency_id=user.agency_id) | Q(case__transfer_to_id=user.agency_id)
        )
    rows = list(
        tasks.select_related("case", "case__case_type", "created_by").order_by("due_on", "pk")[
            :MY_TASKS_LIMIT
        ]
    )
    record_audit(
        actor=user,
        action=AuditEntry.Action.READ,
        object_type="assistance.task",
        object_id="mine",
        fields=["text"],
    )
    result = MyTasks()
    for task in rows:
        if task.due_on < today:
            result.overdue.append(task)
        elif task.due_on == today:
            result.today.append(task)
        else:
            result.later.append(task)
    return result


@dataclass(frozen=True)
class OverdueEntry:
    """An overdue open task shown in the case's timeline where it fell due."""

    task: Task
    at: datetime
    overdue: bool = True
    actor: Any = None
    agency: Any = None
    partner: Any = None

    @property
    def text(self) -> str:
        return self.task.text

    def shown_text(self) -> str:
        return f"{self.task.text} — {_name(self.task.assignee)}"

    def get_kind_display(self) -> str:
        return str(gettext_lazy("Task overdue"))


def timeline_with_overdue(events: Any, tasks: list[Task]) -> list[Any]:
    """The case's timeline with each overdue open task placed at the end of its due day."""
    entries: list[Any] = list(events)
    tz = timezone.get_current_timezone()
    for task in tasks:
        if task.is_overdue:
            end = datetime.combine(task.due_on + timedelta(days=1), time.min, tzinfo=tz)
            entries.append(OverdueEntry(task=task, at=end))
    entries.sort(key=lambda entry: entry.at)
    return entries


# --- Writes -----------------------------------------------------------------------------


@transaction.atomic
def add_task(
    *, actor: User, case: Case, text: str, due_on: date, assignee: User | None = None
) -> Task:
    """A task for a colleague who may see the case, or (no assignee) a reminder for oneself."""
    _require_owner(actor, case)
    case = _lock(case)
    text = text.strip()
    if not text:
        raise ValidationError(_("Say what is to be done."))
    if due_on < timezone.localdate():
        raise ValidationError(_("The due date cannot be in the past."))
    assignee = assignee or actor
    if not assignees_for(case).filter(pk=assignee.pk).exists():
        raise ValidationError(_("A task goes only to someone who may see the case."))
    task = Task.objects.create(
        case=case, text=text[:1000], due_on=due_on, assignee=assignee, created_by=actor
    )
    _event(
        case,
        CaseEvent.Kind.TASK_ADDED,
        actor,
        text=f"{task.text} — {_name(assignee)}, {due_on.isoformat()}",
    )
    _audit(actor, case, ["tasks"])
    return task


@transaction.atomic
def complete_task(*, actor: User, task: Task) -> Task:
    """The person the task is for, or anyone working the case, marks it done."""
    task = Task.objects.select_for_update().select_related("case").get(pk=task.pk)
    case = task.case
    if task.assignee_id == actor.pk:
        require(actor, Capability.HANDLE_CASES)
        visible = actor.sees_all_agencies or actor.agency_id in (
            case.owning_agency_id,
            case.transfer_to_id,
        )
        if not visible:
            raise PermissionDenied(_("This case belongs to another representation."))
    else:
        _require_owner(actor, case)
    if task.done_at is not None:
        raise ValidationError(_("This task is already done."))
    case = _lock(case)
    task.done_at = timezone.now()
    task.done_by = actor
    task.save(update_fields=["done_at", "done_by"])
    _event(case, CaseEvent.Kind.TASK_DONE, actor, text=task.text)
    _audit(actor, case, ["tasks"])
    return task
