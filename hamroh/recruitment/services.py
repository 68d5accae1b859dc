"""Every write of organised recruitment. Rules live here, once, for the desk, the portal,
the API and the importer alike:

- an employer must be vetted before its job orders open or candidates are sent to it;
- a candidate must fit the job order's age limits and hold a passport valid long enough;
- a job order's quota is never exceeded by selections;
- nobody departs twice without a return in between, nor without a ticket booked after the
  signed contract;
- a roster entry expires and must be renewed before the person is shortlisted again;
- every status change is written to the audit chain.
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamroh.core.models import Agency, AuditEntry, User
from hamroh.core.roles import Capability
from hamroh.core.services import record_audit, require
from hamroh.core.uploads import check_attachment, keep_encrypted
from hamroh.recruitment.models import (
    Application,
    ContractScan,
    Employer,
    JobOrder,
    RosterEntry,
    Shortlist,
    Step,
)
from hamroh.registry.models import Document, Person
from hamroh.stats import services as stats_services

logger = logging.getLogger(__name__)

ROSTER_MONTHS = 12
K = Step.Kind
S = Application.Status
R = Step.Result

# Steps that must be passed (or done) before a departure may be recorded, in order, with the
# days after selection by which each is due (shown to the candidate as deadlines).
REQUIRED_STEPS: tuple[tuple[str, int], ...] = (
    (K.LANGUAGE_TEST, 14),
    (K.SKILLS_TEST, 14),
    (K.ORIENTATION, 21),
    (K.TRAINING, 35),
    (K.MEDICAL, 35),
    (K.CONTRACT, 45),
    (K.TICKET, 55),
)
DEPARTURE_DUE_DAYS = 60
ACTIVE = (S.APPLIED, S.SHORTLISTED, S.SENT, S.SELECTED, S.DEPARTED, S.ARRIVED, S.ENDED)
ABROAD = (S.DEPARTED, S.ARRIVED, S.ENDED)
TAKES_A_PLACE = (S.SELECTED, S.DEPARTED, S.ARRIVED, S.ENDED, S.RETURNED)
BEFORE_SELECTION = (S.APPLIED, S.SHORTLISTED, S.SENT)
STEP_FIELDS = [
    "kind",
    "date",
    "result",
    "score",
    "certificate",
    "crossing_point",
    "destination_region",
    "travel_date",
    "carrier",
    "travel_from",
    "travel_to",
    "note",
]
EMPLOYER_FIELDS = (
    "name",
    "country",
    "tax_id",
    "sector",
    "region",
    "address",
    "contact_name",
    "contact_email",
    "contact_phone",
)
JOB_ORDER_FIELDS = (
    "employer",
    "title",
    "occupation",
    "destination_region",
    "quota",
    "wage",
    "currency",
    "hours_per_week",
    "housing",
    "contract_months",
    "min_age",
    "max_age",
    "passport_valid_months",
    "requirements",
    "valid_from",
    "valid_until",
)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age_on(person: Person, day: date) -> int:
    """Full years on ``day``; an unknown month or day counts as 1 January (documented)."""
    month, dom = person.birth_month or 1, person.birth_day or 1
    return day.year - person.birth_year - ((day.month, day.day) < (month, dom))


def _agency_of(actor: User) -> Agency:
    if actor.agency is None:  # require() already refuses users without an agency
        raise PermissionDenied(_("Your role does not allow this."))
    return actor.agency


def _scope(actor: User, agency_id: int | None) -> None:
    if not actor.sees_all_agencies and agency_id != actor.agency_id:
        raise PermissionDenied(_("This belongs to another agency."))


def _audit(actor: User | None, action: str, target: Any, fields: Any, agency: Any) -> None:
    record_audit(
        actor=actor,
        actor_label="" if actor is not None else "self (portal)",
        action=action,
        target=target,
        fields=fields,
        subject_agency=agency,
    )


# --- Employers and job orders -------------------------------------------------------------


@transaction.atomic
def create_employer(*, actor: User, **values: Any) -> Employer:
    require(actor, Capability.MANAGE_RECRUITMENT)
    unknown = set(values) - set(EMPLOYER_FIELDS)
    if unknown:
        raise TypeError(f"unknown employer fields: {sorted(unknown)}")
    employer = Employer(agency=actor.agency, status=Employer.Status.PENDING, **values)
    employer.full_clean()
    employer.save()
    _audit(actor, AuditEntry.Action.CREATE, employer, values.keys(), employer.agency)
    return employer


@transaction.atomic
def update_employer(*, actor: User, employer: Employer, **changes: Any) -> Employer:
    require(actor, Capability.MANAGE_RECRUITMENT)
    _scope(actor, employer.agency_id)
    unknown = set(changes) - set(EMPLOYER_FIELDS)
    if unknown:
        raise TypeError(f"unknown employer fields: {sorted(unknown)}")
    changed = {k for k, v in changes.items() if getattr(employer, k) != v}
    for name in changed:
        setattr(employer, name, changes[name])
    if changed:
        employer.full_clean()
        employer.save()
        _audit(actor, AuditEntry.Action.UPDATE, employer, changed, employer.agency)
    return employer


@transaction.atomic
def set_employer_status(
    *, actor: User, employer: Employer, status: str, note: str = ""
) -> Employer:
    """Vet or suspend an employer. Suspending closes its open job orders."""
    require(actor, Capability.MANAGE_RECRUITMENT)
    _scope(actor, employer.agency_id)
    if status not in Employer.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == Employer.Status.SUSPENDED and not note.strip():
        raise ValidationError({"note": _("Give the reason for the suspension.")})
    employer.status = status
    employer.status_note = note.strip()
    employer.save(update_fields=["status", "status_note", "updated_at"])
    _audit(actor, AuditEntry.Action.UPDATE, employer, ["status", "status_note"], employer.agency)
    if status == Employer.Status.SUSPENDED:
        for order in employer.job_orders.filter(status=JobOrder.Status.OPEN):
            close_job_order(actor=actor, job_order=order)
    return employer


def _check_job_order(order: JobOrder) -> None:
    errors: dict[str, str] = {}
    if order.valid_until < order.valid_from:
        errors["valid_until"] = _("The closing date is before the opening date.")
    if order.min_age < 18:
        errors["min_age"] = _("Organised recruitment is for adults (18 and over).")
    if order.max_age < order.min_age:
        errors["max_age"] = _("The maximum age is below the minimum age.")
    if order.quota < 1:
        errors["quota"] = _("At least one worker.")
    if order.contract_months < 1:
        errors["contract_months"] = _("At least one month.")
    if order.hours_per_week > 60:
        errors["hours_per_week"] = _("More than 60 hours a week is not allowed.")
    if order.wage <= Decimal(0):
        errors["wage"] = _("Enter the monthly wage.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_job_order(*, actor: User, **values: Any) -> JobOrder:
    require(actor, Capability.MANAGE_RECRUITMENT)
    unknown = set(values) - set(JOB_ORDER_FIELDS)
    if unknown:
        raise TypeError(f"unknown job order fields: {sorted(unknown)}")
    employer = values["employer"]
    _scope(actor, employer.agency_id)
    if employer.status != Employer.Status.VETTED:
        raise ValidationError({"employer": _("Vet the employer before opening a job order.")})
    order = JobOrder(agency=actor.agency, created_by=actor, **values)
    order.full_clean()
    _check_job_order(order)
    order.save()
    _audit(actor, AuditEntry.Action.CREATE, order, values.keys(), order.agency)
    return order


@transaction.atomic
def update_job_order(*, actor: User, job_order: JobOrder, **changes: Any) -> JobOrder:
    require(actor, Capability.MANAGE_RECRUITMENT)
    _scope(actor, job_order.agency_id)
    unknown = set(changes) - set(JOB_ORDER_FIELDS)
    if unknown:
        raise TypeError(f"unknown job order fields: {sorted(unknown)}")
    changed = {k for k, v in changes.items() if getattr(job_order, k) != v}
    for name in changed:
        setattr(job_order, name, changes[name])
    if "quota" in changed and job_order.quota < taken_places(job_order):
        raise ValidationError({"quota": _("More workers are already selected than this quota.")})
    if changed:
        job_order.full_clean()
        _check_job_order(job_order)
        job_order.save()
        _audit(actor, AuditEntry.Action.UPDATE, job_order, changed, job_order.agency)
    return job_order


@transaction.atomic
def close_job_order(*, actor: User, job_order: JobOrder) -> JobOrder:
    require(actor, Capability.MANAGE_RECRUITMENT)
    _scope(actor, job_order.agency_id)
    job_order.status = JobOrder.Status.CLOSED
    job_order.save(update_fields=["status"])
    _audit(actor, AuditEntry.Action.UPDATE, job_order, ["status"], job_order.agency)
    return job_order


def taken_places(job_order: JobOrder) -> int:
    return job_order.applications.filter(status__in=TAKES_A_PLACE).count()


# --- Roster -------------------------------------------------------------------------------


@transaction.atomic
def put_on_roster(*, actor: User | None, person: Person, today: date | None = None) -> RosterEntry:
    """Put a person on the roster, or renew their entry, for ``ROSTER_MONTHS`` months."""
    if actor is not None:
        require(actor, Capability.MANAGE_RECRUITMENT)
    today = today or date.today()
    entry, created = RosterEntry.objects.get_or_create(
        person=person,
        defaults={
            "occupation": person.occupation,
            "region": person.region,
            "sex": person.sex,
            "birth_year": person.birth_year,
            "agency": person.agency,
            "valid_from": today,
            "valid_until": add_months(today, ROSTER_MONTHS),
        },
    )
    if not created:
        entry.occupation, entry.region = person.occupation, person.region
        entry.sex, entry.birth_year = person.sex, person.birth_year
        if entry.valid_until < today:
            entry.valid_from = today
        entry.valid_until = add_months(today, ROSTER_MONTHS)
        entry.save()
    _audit(
        actor,
        AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        person,
        ["roster_entry"],
        person.agency,
    )
    return entry


def _roster_valid(person: Person, today: date) -> None:
    entry = RosterEntry.objects.filter(person=person).first()
    if entry is None or entry.valid_until < today:
        raise ValidationError(
            _("The roster entry has expired or is missing: renew it before applying.")
        )


def refresh_roster_entry(person: Person) -> None:
    """Copy test results and readiness from the person's steps into the roster's columns."""
    steps = Step.objects.filter(application__person=person)
    best = steps.filter(kind__in=[K.LANGUAGE_TEST, K.SKILLS_TEST]).aggregate(m=Max("score"))["m"]
    current = person.applications.filter(status__in=ACTIVE).order_by("-updated_at", "-id").first()
    readiness = RosterEntry.Readiness.REGISTERED
    if current is not None:
        if current.status in ABROAD:
            readiness = RosterEntry.Readiness.ABROAD
        else:
            done = done_steps(current)
            if not blockers(current, done=done):
                readiness = RosterEntry.Readiness.READY
            elif K.MEDICAL in done:
                readiness = RosterEntry.Readiness.MEDICAL
            elif K.TRAINING in done:
                readiness = RosterEntry.Readiness.TRAINED
            elif K.LANGUAGE_TEST in done or K.SKILLS_TEST in done:
                readiness = RosterEntry.Readiness.TESTED
    RosterEntry.objects.filter(person=person).update(
        best_test_score=best, readiness=readiness, updated_at=timezone.now()
    )


# --- Applications -------------------------------------------------------------------------


def _check_candidate(person: Person, order: JobOrder, today: date) -> None:
    """Age limits and passport validity of the job order; raises a clear error otherwise."""
    age = age_on(person, today)
    if not order.min_age <= age <= order.max_age:
        raise ValidationError(
            _("This job order takes workers aged %(min)s to %(max)s.")
            % {"min": order.min_age, "max": order.max_age}
        )
    needed = add_months(today, order.passport_valid_months)
    passports = [d for d in person.documents.all() if d.kind == Document.Kind.PASSPORT]
    if not any(p.expiry_date and p.expiry_date >= needed for p in passports):
        raise ValidationError(
            _("A passport valid until at least %(date)s is needed for this job order.")
            % {"date": needed.isoformat()}
        )


def _check_order_open(order: JobOrder, today: date) -> None:
    if (
        order.status != JobOrder.Status.OPEN
        or not order.valid_from <= today <= order.valid_until
        or order.employer.status != Employer.Status.VETTED
    ):
        raise ValidationError(_("This job order is not open."))


@transaction.atomic
def apply_for_job(
    *, person: Person, job_order: JobOrder, actor: User | None = None, today: date | None = None
) -> Application:
    """The person applies (from the portal, ``actor`` None) or an officer applies for them."""
    if actor is not None:
        require(actor, Capability.MANAGE_RECRUITMENT)
    today = today or date.today()
    _check_order_open(job_order, today)
    _roster_valid(person, today)
    _check_candidate(person, job_order, today)
    if Application.objects.filter(person=person, job_order=job_order).exists():
        raise ValidationError(_("You have already applied for this job order."))
    application = Application.objects.create(
        person=person,
        job_order=job_order,
        status=S.SHORTLISTED if actor is not None else S.APPLIED,
    )
    _audit(actor, AuditEntry.Action.CREATE, application, ["status"], job_order.agency)
    _audit(actor, AuditEntry.Action.UPDATE, person, ["application"], person.agency)
    return application


def _set_status(actor: User | None, application: Application, status: str) -> None:
    application.status = status
    application.save(update_fields=["status", "selected_at", "updated_at"])
    _audit(actor, AuditEntry.Action.UPDATE, application, ["status"], application.job_order.agency)


@transaction.atomic
def shortlist(*, actor: User, application: Application, today: date | None = None) -> Application:
    require(actor, Capability.MANAGE_RECRUITMENT)
    _scope(actor, application.job_order.agency_id)
    today = today or date.today()
    if application.status != S.APPLIED:
        raise ValidationError(_("Only new applications can be shortlisted."))
    _roster_valid(application.person, today)
    _check_candidate(application.person, application.job_order, today)
    _set_status(actor, application, S.SHORTLISTED)
    return application


@transaction.atomic
def send_shortlist(
    *, actor: User, job_order: JobOrder, applications: list[Application], note: str = ""
) -> Shortlist:
    """Record that these shortlisted candidates were sent to the employer."""
    require(actor, Capability.MANAGE_RECRUITMENT)
    _scope(actor, job_order.agency_id)
    if not applications:
        raise ValidationError(_("Choose at least one shortlisted candidate."))
    if job_order.employer.status != Employer.Status.VETTED:
        raise ValidationError(_("Candidates are sent only to vetted employers."))
    for application in applications:
        if application.job_order_id != job_order.pk or application.status != S.SHORTLISTED:
            raise ValidationError(_("Only shortlisted candidates of this job order can be sent."))
    sent = Shortlist.objects.create(
        job_order=job_order, sent_at=timezone.now(), sent_by=actor, note=note.strip()
    )
    sent.applications.set(applications)
    _audit(actor, AuditEntry.Action.EXPORT, sent, ["applications"], job_order.agency)
    for application in applications:
        _set_status(actor, application, S.SENT)
        _audit(actor, AuditEntry.Action.EXPORT, application.person, ["shortlist"], None)
    return sent


@transaction.atomic
def record_selection(
    *, actor: User, application: Application, selected: bool, day: date | None = None
) -> Application:
    """The employer's answer for one candidate. A selection takes one place of the quota."""
    require(actor, Capability.MANAGE_RECRUITMENT)
    order = JobOrder.objects.select_for_update().get(pk=application.job_order_id)
    _scope(actor, order.agency_id)
    if application.status != S.SENT:
        raise ValidationError(_("Only candidates sent to the employer can be selected."))
    if selected:
        if taken_places(order) >= order.quota:
            raise ValidationError(
                _("The quota of %(quota)s workers is already filled.") % {"quota": order.quota}
            )
        application.selected_at = day or date.today()
    _set_status(actor, application, S.SELECTED if selected else S.NOT_SELECTED)
    refresh_roster_entry(application.person)
    return application


@transaction.atomic
def withdraw_application(*, person: Person, application: Application) -> Application:
    """The person withdraws before leaving (from the portal)."""
    if application.person_id != person.pk:
        raise PermissionDenied
    if application.status not in (*BEFORE_SELECTION, S.SELECTED):
        raise ValidationError(_("This application can no longer be withdrawn."))
    _set_status(None, application, S.WITHDRAWN)
    refresh_roster_entry(person)
    return application


# --- Steps --------------------------------------------------------------------------------


def done_steps(application: Application) -> set[str]:
    """Kinds of steps passed or done (the latest result of each kind counts)."""
    latest: dict[str, str] = {}
    for step in sorted(application.steps.all(), key=lambda s: (s.date, s.id)):
        latest[step.kind] = step.result
    return {kind for kind, result in latest.items() if result in (R.PASSED, R.DONE)}


@dataclass(frozen=True)
class NextStep:
    kind: str
    label: str
    due: date | None


def blockers(application: Application, *, done: set[str] | None = None) -> list[NextStep]:
    """What still stands between this candidate and departure, with deadlines."""
    if application.status in BEFORE_SELECTION:
        waiting = {
            S.APPLIED: gettext_lazy("Wait for shortlisting by the recruitment office"),
            S.SHORTLISTED: gettext_lazy("Wait until the shortlist is sent to the employer"),
            S.SENT: gettext_lazy("Wait for the employer's selection"),
        }[S(application.status)]
        return [NextStep("selection", str(waiting), None)]
    if application.status != S.SELECTED:
        return []
    done = done_steps(application) if done is None else done
    start = application.selected_at or application.created_at.date()
    missing = [
        NextStep(kind, str(K(kind).label), start + timedelta(days=days))
        for kind, days in REQUIRED_STEPS
        if kind not in done
    ]
    return missing


def next_steps(application: Application) -> list[NextStep]:
    """Blockers, then the departure itself once nothing blocks it."""
    found = blockers(application)
    if application.status == S.SELECTED:
        start = application.selected_at or application.created_at.date()
        found.append(
            NextStep(K.DEPARTURE, str(K.DEPARTURE.label), start + timedelta(DEPARTURE_DUE_DAYS))
        )
    return found


def latest_step(application: Application, kind: str) -> Step | None:
    """The latest step of this kind (from the prefetched steps), or None."""
    found = [step for step in application.steps.all() if step.kind == kind]
    return max(found, key=lambda s: (s.date, s.id)) if found else None


def contract_scan(application: Application) -> ContractScan | None:
    """The scan of the latest signed contract that has one, or None."""
    signed = [s for s in application.steps.all() if s.kind == K.CONTRACT and hasattr(s, "scan")]
    return max(signed, key=lambda s: (s.date, s.id)).scan if signed else None


def _check_ticket(
    booked: date, travel_date: date | None, carrier: str, travel_from: str, travel_to: str
) -> None:
    errors: dict[str, str] = {}
    if travel_date is None:
        errors["travel_date"] = _("Enter the date of travel.")
    elif travel_date < booked:
        errors["travel_date"] = _("The date of travel is before the ticket was booked.")
    if not carrier.strip():
        errors["carrier"] = _("Enter the carrier and the flight or train number.")
    if not travel_from.strip():
        errors["travel_from"] = _("Enter where the journey starts.")
    if not travel_to.strip():
        errors["travel_to"] = _("Enter where the journey ends.")
    if errors:
        raise ValidationError(errors)


def _store_scan(step: Step, upload: Any, content_type: str, actor: User) -> ContractScan:
    """Keep the checked scan encrypted under a random name (see ``ContractScan``)."""
    scan = ContractScan(step=step, content_type=content_type, uploaded_by=actor)
    keep_encrypted(scan, upload)
    scan.save()
    return scan


def _checked_scan(scan: Any) -> tuple[Any, str]:
    try:
        return check_attachment(scan)
    except ValidationError as error:
        raise ValidationError({"scan": error.messages}) from error


@transaction.atomic
def attach_contract_scan(*, actor: User, step: Step, scan: Any) -> ContractScan:
    """Attach the scan of the signed contract to a "Contract signed" step recorded without
    one (the paper often arrives after the step is recorded). A scan once attached is kept:
    it is never replaced, so what the person signed cannot be swapped afterwards."""
    require(actor, Capability.MANAGE_RECRUITMENT)
    step = Step.objects.select_for_update().select_related("application__job_order").get(pk=step.pk)
    order = step.application.job_order
    _scope(actor, order.agency_id)
    if step.kind != K.CONTRACT:
        raise ValidationError({"scan": _("Only the signed contract has a scan.")})
    if ContractScan.objects.filter(step=step).exists():
        raise ValidationError(
            {"scan": _("This contract already has a scan; it is never replaced.")}
        )
    upload, content_type = _checked_scan(scan)
    stored = _store_scan(step, upload, content_type, actor)
    _audit(actor, AuditEntry.Action.UPDATE, step, ["scan"], order.agency)
    return stored


def _stats_departure(application: Application, step: Step) -> None:
    """Count the departure in the migration statistics (the statistics app keeps no names)."""
    person, order = application.person, application.job_order
    stats_services.record_departure(
        source="recruitment",
        person_ref=person.public_id,
        sex=person.sex,
        birth_date=person.birth_date_text,
        departure_date=step.date,
        destination=order.employer.country_id,
        destination_region=step.destination_region or order.destination_region,
        origin_region=person.district_id or person.region_id,
        occupation=order.occupation_id,
        channel="organised",
        sector=order.employer.sector_id,
    )


def _stats_return(application: Application, step: Step) -> None:
    stats_services.record_return(
        source="recruitment", person_ref=application.person.public_id, return_date=step.date
    )


@transaction.atomic
def record_step(
    *,
    actor: User,
    application: Application,
    kind: str,
    date: date,
    result: str = R.DONE,
    score: int | None = None,
    certificate: str = "",
    crossing_point: str = "",
    destination_region: str = "",
    travel_date: date | None = None,
    carrier: str = "",
    travel_from: str = "",
    travel_to: str = "",
    note: str = "",
    scan: Any = None,
) -> Step:
    """Record one step; departure, arrival, contract end and return move the status on.

    ``scan`` is the scan of the signed contract (JPEG, PNG or PDF up to 5 MB, judged by its
    content), attached to the "Contract signed" step only and stored encrypted."""
    require(actor, Capability.MANAGE_RECRUITMENT)
    application = (
        Application.objects.select_for_update()
        .select_related("person", "job_order__employer")
        .get(pk=application.pk)
    )
    order = application.job_order
    _scope(actor, order.agency_id)
    if kind not in K.values:
        raise ValidationError({"kind": _("Unknown step.")})
    if result not in R.values:
        raise ValidationError({"result": _("Unknown result.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("A step is recorded once it has happened.")})
    if score is not None and not 0 <= score <= 100:
        raise ValidationError({"score": _("A score is between 0 and 100.")})
    content_type = ""
    if scan is not None:
        if kind != K.CONTRACT:
            raise ValidationError({"scan": _("Only the signed contract has a scan.")})
        scan, content_type = _checked_scan(scan)
    status = application.status
    if kind in (K.LANGUAGE_TEST, K.SKILLS_TEST):
        if status not in (*BEFORE_SELECTION, S.SELECTED):
            raise ValidationError(_("Tests are recorded before departure."))
        if result == R.DONE:
            raise ValidationError({"result": _("A test is passed or failed.")})
    elif kind in (K.ORIENTATION, K.TRAINING, K.MEDICAL, K.CONTRACT):
        if status != S.SELECTED:
            raise ValidationError(_("This step comes after the employer's selection."))
        if kind in (K.ORIENTATION, K.TRAINING) and result == R.PASSED and not certificate:
            raise ValidationError({"certificate": _("Enter the certificate number.")})
    elif kind == K.TICKET:
        if status != S.SELECTED:
            raise ValidationError(_("This step comes after the employer's selection."))
        if K.CONTRACT not in done_steps(application):
            raise ValidationError(_("Record the signed contract before the ticket."))
        _check_ticket(date, travel_date, carrier, travel_from, travel_to)
        result = R.DONE
    elif kind == K.DEPARTURE:
        if status != S.SELECTED:
            raise ValidationError(_("Only a selected candidate can depart."))
        missing = blockers(application)
        if missing:
            raise ValidationError(
                _("Departure is blocked until these are done: %(steps)s.")
                % {"steps": ", ".join(step.label for step in missing)}
            )
        away = (
            Application.objects.filter(person=application.person, status__in=ABROAD)
            .exclude(pk=application.pk)
            .exists()
        )
        if away:
            raise ValidationError(
                _("This person has departed and not yet returned: record the return first.")
            )
        if not crossing_point.strip():
            raise ValidationError({"crossing_point": _("Enter the border crossing or airport.")})
        _check_candidate(application.person, order, date)
    elif kind == K.ARRIVAL and status != S.DEPARTED:
        raise ValidationError(_("An arrival follows a departure."))
    elif kind == K.CONTRACT_END and status not in (S.DEPARTED, S.ARRIVED):
        raise ValidationError(_("A contract ends after departure."))
    elif kind == K.RETURN and status not in ABROAD:
        raise ValidationError(_("A return follows a departure."))
    if kind in (K.DEPARTURE, K.ARRIVAL, K.CONTRACT_END, K.RETURN):
        result = R.DONE
        last = application.steps.filter(kind=K.DEPARTURE).order_by("-date").first()
        if kind != K.DEPARTURE and last is not None and date < last.date:
            raise ValidationError({"date": _("This date is before the departure.")})
    terms: dict[str, Any] = {}
    if kind == K.CONTRACT:
        terms = {
            "employer": order.employer.name,
            "employer_tax_id": order.employer.tax_id,
            "country": order.employer.country_id,
            "job_title": order.title,
            "occupation": order.occupation_id,
            "wage": str(order.wage),
            "currency": order.currency,
            "hours_per_week": order.hours_per_week,
            "housing": order.housing,
            "contract_months": order.contract_months,
            "destination_region": order.destination_region,
        }
    step = Step.objects.create(
        application=application,
        kind=kind,
        date=date,
        result=result,
        score=score,
        certificate=certificate.strip(),
        crossing_point=crossing_point.strip(),
        destination_region=(destination_region or order.destination_region).strip()
        if kind == K.DEPARTURE
        else destination_region.strip(),
        terms=terms,
        travel_date=travel_date if kind == K.TICKET else None,
        carrier=carrier.strip() if kind == K.TICKET else "",
        travel_from=travel_from.strip() if kind == K.TICKET else "",
        travel_to=travel_to.strip() if kind == K.TICKET else "",
        note=note.strip(),
        recorded_by=actor,
        agency=_agency_of(actor),
    )
    fields = STEP_FIELDS
    if scan is not None:
        _store_scan(step, scan, content_type, actor)
        fields = [*STEP_FIELDS, "scan"]
    _audit(actor, AuditEntry.Action.CREATE, step, fields, order.agency)
    moves = {K.DEPARTURE: S.DEPARTED, K.ARRIVAL: S.ARRIVED, K.CONTRACT_END: S.ENDED}
    if kind in moves:
        _set_status(actor, application, moves[K(kind)])
    elif kind == K.RETURN:
        _set_status(actor, application, S.RETURNED)
    if kind == K.DEPARTURE:
        _stats_departure(application, step)
    elif kind == K.RETURN:
        _stats_return(application, step)
    refresh_roster_entry(application.person)
    return step
