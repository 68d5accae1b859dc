"""Tasks on the case page and the "My tasks" tab of the desk."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hamroh.assistance import case_tasks, selectors
from hamroh.assistance.models import Case, Task
from hamroh.assistance.views import QUEUE_LABELS, _case_action, _user
from hamroh.core.models import User


class TaskForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Task or reminder"), max_length=1000)
    due_on = forms.DateField(
        label=gettext_lazy("Due on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    assignee = forms.ModelChoiceField(
        label=gettext_lazy("For"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = case_tasks.assignees_for(case)  # type: ignore[attr-defined]
        field.label_from_instance = (  # type: ignore[attr-defined]
            lambda user: f"{user.get_full_name() or user.username} ({user.agency.code})"
        )
        self.fields["due_on"].initial = timezone.localdate()


def case_page_context(case: Case, user: User) -> dict[str, Any]:
    """What the case page adds for tasks: the list and the form."""
    tasks = case_tasks.tasks_of(case)
    return {
        "tasks": tasks,
        "task_form": TaskForm(case=case, initial={"assignee": user.pk}),
    }


@_case_action
def add_task(user: User, case: Case, request: HttpRequest) -> str:
    form = TaskForm(request.POST, case=case)
    if not form.is_valid():
        raise ValidationError([str(e) for errors in form.errors.values() for e in errors])
    task = case_tasks.add_task(
        actor=user,
        case=case,
        text=form.cleaned_data["text"],
        due_on=form.cleaned_data["due_on"],
        assignee=form.cleaned_data["assignee"],
    )
    if task.assignee_id == user.pk:
        return _("The reminder was added to your tasks.")
    return _("The task was added for %(name)s.") % {
        "name": task.assignee.get_full_name() or task.assignee.username
    }


@login_required
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a task done, from the case page or from "My tasks" (``next=tasks``)."""
    user = _user(request)
    task = Task.objects.select_related("case").filter(pk=pk).first()
    if task is None or not selectors.list_cases_for(user).filter(pk=task.case_id).exists():
        return render(
            request,
            "errors/error.html",
            {
                "status": 404,
                "title": _("Not found"),
                "message": _("There is no such task, or you may not see it."),
            },
            status=404,
        )
    try:
        case_tasks.complete_task(actor=user, task=task)
    except (ValidationError, PermissionDenied) as error:
        for text in getattr(error, "messages", [str(error)]):
            messages.error(request, text)
    else:
        messages.success(request, _("The task is done."))
    if request.POST.get("next") == "tasks":
        return redirect("assistance:my_tasks")
    return redirect("assistance:case", pk=task.case_id)


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    tasks = case_tasks.my_tasks(_user(request))
    return render(
        request,
        "assistance/desk/my_tasks.html",
        {
            "tasks": tasks,
            "sections": [
                ("overdue", _("Overdue"), tasks.overdue),
                ("today", _("Due today"), tasks.today),
                ("later", _("Later"), tasks.later),
            ],
            "queues": [(key, QUEUE_LABELS[key]) for key in selectors.QUEUES],
        },
    )
