"""Pages of recruitment: open jobs and applications on the portal; employers, job orders,
the roster and each candidate's steps on the desk. Views parse, call, render."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hamroh.core.models import User
from hamroh.core.roles import Capability
from hamroh.core.services import require
from hamroh.recruitment import selectors, services
from hamroh.recruitment.forms import (
    ContractScanForm,
    EmployerForm,
    EmployerStatusForm,
    JobOrderForm,
    RosterFilterForm,
    SendShortlistForm,
    StepForm,
)
from hamroh.recruitment.models import Application, ContractScan, Employer, RosterEntry, Step
from hamroh.registry import selectors as registry_selectors
from hamroh.registry.contracts import portal_person_id
from hamroh.registry.forms import occupations, regions
from hamroh.registry.limits import limited
from hamroh.registry.models import Person, Sex

ROSTER_PAGE = 50
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _form_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Portal -------------------------------------------------------------------------------


def jobs(request: HttpRequest) -> HttpResponse:
    orders = selectors.open_job_orders()
    page = Paginator(orders, 20).get_page(request.GET.get("page"))
    return render(request, "recruitment/jobs.html", {"page": page})


def job(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.get_open_job_order(pk)
    return render(
        request,
        "recruitment/job.html",
        {"order": order, "signed_in": portal_person_id(request) is not None},
    )


@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    person_id = portal_person_id(request)
    if person_id is None:
        return redirect(reverse("registry:sign_in") + f"?next=/recruitment/jobs/{pk}/")
    if limited(request, "apply"):
        return render(
            request,
            "errors/error.html",
            {"status": 429, "title": _("Too many attempts"), "message": _("Try again later.")},
            status=429,
        )
    order = selectors.get_open_job_order(pk)
    person = get_object_or_404(Person.objects.prefetch_related("documents"), pk=person_id)
    try:
        services.apply_for_job(person=person, job_order=order)
    except ValidationError as error:
        _errors(request, error)
        return redirect("recruitment:job", pk=pk)
    messages.success(request, _("Your application was sent."))
    return redirect("recruitment:my_applications")


def my_applications(request: HttpRequest) -> HttpResponse:
    person_id = portal_person_id(request)
    if person_id is None:
        return redirect(reverse("registry:sign_in") + "?next=/recruitment/my/")
    person = get_object_or_404(Person, pk=person_id)
    applications = [
        (application, services.next_steps(application), services.contract_scan(application))
        for application in selectors.list_own_applications(person)
    ]
    roster = RosterEntry.objects.filter(person=person).first()
    return render(
        request,
        "recruitment/my_applications.html",
        {
            "applications": applications,
            "roster": roster,
            "roster_expired": roster is None or roster.valid_until < date.today(),
        },
    )


def my_contract_scan(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The person downloads the scan of their own signed contract (``pk``: the step's id)."""
    person_id = portal_person_id(request)
    if person_id is None:
        return redirect("registry:sign_in")
    person = get_object_or_404(Person, pk=person_id)
    return scan_response(selectors.own_contract_scan(person=person, step_pk=pk))


def scan_response(scan: ContractScan) -> HttpResponse:
    """A contract scan as a download, never cached, never sniffed into something else."""
    response = HttpResponse(scan.content(), content_type=scan.content_type)
    name = f"contract-{scan.step.application_id}.{EXTENSIONS.get(scan.content_type, 'bin')}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def renew_roster(request: HttpRequest) -> HttpResponse:
    person_id = portal_person_id(request)
    if person_id is None:
        return redirect("registry:sign_in")
    person = get_object_or_404(Person, pk=person_id)
    services.put_on_roster(actor=None, person=person)
    messages.success(request, _("You are on the roster for another year."))
    return redirect("recruitment:my_applications")


@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    person_id = portal_person_id(request)
    if person_id is None:
        return redirect("registry:sign_in")
    application = get_object_or_404(Application, pk=pk, person_id=person_id)
    try:
        services.withdraw_application(person=application.person, application=application)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Your application was withdrawn."))
    return redirect("recruitment:my_applications")


# --- Desk: overview and pipeline ----------------------------------------------------------


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    counts = selectors.pipeline_counts(user)
    stages = [
        (status, label, counts.get(status, 0)) for status, label in Application.Status.choices
    ]
    pipeline = Paginator(selectors.list_pipeline_for(user), 50).get_page(request.GET.get("page"))
    rows = [
        (
            application,
            services.blockers(application),
            services.latest_step(application, Step.Kind.TICKET),
        )
        for application in pipeline
    ]
    return render(
        request,
        "recruitment/desk.html",
        {"stages": stages, "page": pipeline, "rows": rows},
    )


# --- Desk: employers ----------------------------------------------------------------------


@login_required
def employers(request: HttpRequest) -> HttpResponse:
    found = selectors.list_employers_for(_user(request))
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(request, "recruitment/employers.html", {"page": page})


@login_required
def employer_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _user(request)
    require(user, Capability.MANAGE_RECRUITMENT)
    employer = selectors.access_employer(user=user, pk=pk) if pk else None
    form = EmployerForm(request.POST or None, instance=employer)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.EMPLOYER_FIELDS}
        try:
            if employer is None:
                employer = services.create_employer(actor=user, **values)
            else:
                services.update_employer(actor=user, employer=employer, **values)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The employer was saved."))
            return redirect("recruitment:employer", pk=employer.pk)
    if employer is not None:
        employer.refresh_from_db()
    return render(
        request,
        "recruitment/employer.html",
        {
            "form": form,
            "employer": employer,
            "status_form": EmployerStatusForm(initial={"status": getattr(employer, "status", "")}),
            "orders": employer.job_orders.select_related("occupation") if employer else [],
        },
    )


@login_required
@require_POST
def employer_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    employer = selectors.access_employer(user=user, pk=pk)
    form = EmployerStatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_employer_status(
                actor=user,
                employer=employer,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("The employer's status was changed."))
    return redirect("recruitment:employer", pk=pk)


# --- Desk: job orders ---------------------------------------------------------------------


@login_required
def job_orders(request: HttpRequest) -> HttpResponse:
    found = selectors.list_job_orders_for(_user(request))
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(request, "recruitment/job_orders.html", {"page": page})


@login_required
def job_order_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _user(request)
    require(user, Capability.MANAGE_RECRUITMENT)
    order = selectors.access_job_order(user=user, pk=pk) if pk else None
    vetted = selectors.list_employers_for(user).filter(status=Employer.Status.VETTED)
    form = JobOrderForm(request.POST or None, instance=order, employers=vetted)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.JOB_ORDER_FIELDS}
        try:
            if order is None:
                order = services.create_job_order(actor=user, **values)
            else:
                services.update_job_order(actor=user, job_order=order, **values)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The job order was saved."))
            return redirect("recruitment:job_order", pk=order.pk)
    return render(request, "recruitment/job_order_form.html", {"form": form, "order": order})


@login_required
def job_order(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    order = selectors.access_job_order(user=user, pk=pk)
    applications = (
        selectors.list_applications_for(user).filter(job_order=order).order_by("status", "id")
    )
    return render(
        request,
        "recruitment/job_order.html",
        {
            "order": order,
            "applications": applications,
            "send_form": SendShortlistForm(),
            "shortlists": order.shortlists.prefetch_related("applications").select_related(
                "sent_by"
            ),
        },
    )


@login_required
@require_POST
def job_order_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    order = selectors.access_job_order(user=user, pk=pk)
    services.close_job_order(actor=user, job_order=order)
    messages.success(request, _("The job order was closed."))
    return redirect("recruitment:job_order", pk=pk)


@login_required
@require_POST
def application_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Shortlist, select or turn down one candidate of a job order."""
    user = _user(request)
    application = get_object_or_404(selectors.list_applications_for(user), pk=pk)
    action = request.POST.get("action", "")
    try:
        if action == "shortlist":
            services.shortlist(actor=user, application=application)
        elif action == "select":
            services.record_selection(actor=user, application=application, selected=True)
        elif action == "reject":
            services.record_selection(actor=user, application=application, selected=False)
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The candidate's status was changed."))
    return redirect(
        request.POST.get("back")
        or reverse("recruitment:job_order", args=[application.job_order_id])
    )


@login_required
@require_POST
def send_shortlist(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    order = selectors.access_job_order(user=user, pk=pk)
    ids = [int(i) for i in request.POST.getlist("application") if i.isdigit()]
    chosen = list(selectors.list_applications_for(user).filter(job_order=order, pk__in=ids))
    form = SendShortlistForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.send_shortlist(actor=user, job_order=order, applications=chosen, note=note)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("The shortlist of %(n)s candidates was sent to the employer.") % {"n": len(chosen)},
        )
    return redirect("recruitment:job_order", pk=pk)


# --- Desk: roster -------------------------------------------------------------------------


_CHOICES: dict[str, dict[str, list[tuple[str, str]]]] = {}


def _filter_choices() -> dict[str, list[tuple[str, str]]]:
    """Occupations and regions for the roster's filters, per language, built once per process:
    reference data, and a page of a million people must not spend its time on a select box."""
    language = get_language() or "en"
    if language not in _CHOICES:
        _CHOICES[language] = {
            "occupation": [(o.code, f"{o.code} {o.name}") for o in occupations()],
            "region": [(r.code, r.name) for r in regions()],
            "sex": [(str(v), str(label)) for v, label in Sex.choices],
            "readiness": [(str(v), str(label)) for v, label in RosterEntry.Readiness.choices],
        }
    return _CHOICES[language]


def _options(name: str, current: str) -> str:
    """The <option>s of one filter, built in Python: a template loop over 130 occupations
    cost more than the database query of the whole page."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, " selected" if value == current else "", text)
            for value, text in _filter_choices()[name]
        ),
    )


@login_required
def roster(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = RosterFilterForm(request.GET or None)
    filters = selectors.RosterFilter(**form.cleaned_data) if form.is_valid() else None
    entries = selectors.list_roster_for(user, filters)
    # No total count: on a million entries it costs more than the page itself.
    page_text = request.GET.get("page", "1")
    number = int(page_text) if page_text.isdigit() and int(page_text) > 0 else 1
    start = (number - 1) * ROSTER_PAGE
    rows = list(entries[start : start + ROSTER_PAGE + 1])
    has_next = len(rows) > ROSTER_PAGE
    rows = rows[:ROSTER_PAGE]
    query = request.GET.copy()
    query.pop("page", None)
    orders = (
        selectors.list_job_orders_for(user)
        .filter(status="open")
        .order_by("title")
        .values("pk", "title", "employer__name")
    )
    return render(
        request,
        "recruitment/roster.html",
        {
            "form": form,
            "current": {name: request.GET.get(name, "") for name in form.fields},
            "selects": [
                (name, form.fields[name].label, _options(name, request.GET.get(name, "")))
                for name in ("occupation", "region", "sex", "readiness")
            ],
            "readiness_labels": {int(v): t for v, t in _filter_choices()["readiness"]},
            "rows": rows,
            "number": number,
            "has_next": has_next,
            "query": query.urlencode(),
            "orders": orders,
            "today": date.today(),
        },
    )


@login_required
@require_POST
def roster_shortlist(request: HttpRequest) -> HttpResponse:
    """Put chosen roster candidates on a job order's shortlist."""
    user = _user(request)
    order = selectors.access_job_order(user=user, pk=int(request.POST.get("job_order") or 0))
    ids = [int(i) for i in request.POST.getlist("entry") if i.isdigit()]
    entries = (
        selectors.list_roster_for(user).filter(pk__in=ids).prefetch_related("person__documents")
    )
    added = 0
    for entry in entries:
        try:
            services.apply_for_job(person=entry.person, job_order=order, actor=user)
        except ValidationError as error:
            messages.error(request, f"{entry.person.public_id}: {' '.join(error.messages)}")
        else:
            added += 1
    if added:
        messages.success(
            request, _("%(n)s candidates were shortlisted for this job order.") % {"n": added}
        )
    return redirect("recruitment:job_order", pk=order.pk)


# --- Desk: one candidate ------------------------------------------------------------------


@login_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = selectors.access_application(user=user, pk=pk)
    form = StepForm(request.POST or None, request.FILES or None, initial={"date": date.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_step(actor=user, application=found, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The step was recorded."))
            return redirect("recruitment:application", pk=pk)
    return render(
        request,
        "recruitment/application.html",
        {
            "application": found,
            "person": found.person,
            "passport": registry_selectors.passport_of(found.person),
            "steps": sorted(found.steps.all(), key=lambda s: (s.date, s.id)),
            "next_steps": services.next_steps(found),
            "contract_scan": services.contract_scan(found),
            "form": form,
            "can_record": found.status in services.ACTIVE,
            "can_attach": user.can(Capability.MANAGE_RECRUITMENT),
        },
    )


@login_required
def contract_scan(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The scan of a signed contract (``pk``: the step's id); the download is audited."""
    return scan_response(selectors.access_contract_scan(user=_user(request), step_pk=pk))


@login_required
@require_POST
def attach_contract_scan(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach the scan of the signed contract to a contract step recorded without one."""
    user = _user(request)
    step = get_object_or_404(
        Step.objects.filter(application__in=selectors.list_applications_for(user)), pk=pk
    )
    form = ContractScanForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("scan", [])))
    else:
        try:
            services.attach_contract_scan(actor=user, step=step, scan=form.cleaned_data["scan"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The scan of the signed contract was attached."))
    return redirect("recruitment:application", pk=step.application_id)


@login_required
def person_applications(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    person = get_object_or_404(registry_selectors.list_people_for(user), public_id=public_id)
    found = selectors.list_applications_for(user).filter(person=person)
    return render(
        request,
        "recruitment/person_applications.html",
        {"person": person, "applications": found},
    )
