"""Reads of recruitment. Reads that show a person's data are audited against the person, so
they appear in the list of accesses the person sees on the portal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from hamroh.core.models import AuditEntry, Occupation, Subdivision, User
from hamroh.core.roles import Capability
from hamroh.core.services import record_audit, require
from hamroh.recruitment.models import (
    Application,
    ContractScan,
    Employer,
    JobOrder,
    RosterEntry,
    Step,
)
from hamroh.recruitment.services import ACTIVE
from hamroh.registry.models import Person, PersonName


def _agency_filter(user: User) -> Q:
    return Q() if user.sees_all_agencies else Q(agency_id=user.agency_id)


def list_employers_for(user: User) -> QuerySet[Employer]:
    require(user, Capability.MANAGE_RECRUITMENT)
    return (
        Employer.objects.filter(_agency_filter(user))
        .select_related("country", "sector")
        .annotate(open_orders=Count("job_orders", filter=Q(job_orders__status="open")))
        .order_by("name")
    )


def access_employer(*, user: User, pk: int) -> Employer:
    try:
        return list_employers_for(user).get(pk=pk)
    except Employer.DoesNotExist:
        raise Http404 from None


def list_job_orders_for(user: User) -> QuerySet[JobOrder]:
    require(user, Capability.MANAGE_RECRUITMENT)
    return (
        JobOrder.objects.filter(_agency_filter(user))
        .select_related("employer", "employer__country", "occupation")
        .annotate(
            applied=Count("applications"),
            taken=Count(
                "applications",
                filter=Q(
                    applications__status__in=[
                        "selected",
                        "departed",
                        "arrived",
                        "ended",
                        "returned",
                    ]
                ),
            ),
        )
        .order_by("-valid_from", "-id")
    )


def access_job_order(*, user: User, pk: int) -> JobOrder:
    try:
        return list_job_orders_for(user).get(pk=pk)
    except JobOrder.DoesNotExist:
        raise Http404 from None


def open_job_orders(today: date | None = None) -> QuerySet[JobOrder]:
    """Job orders a person may apply for today (public: no personal data)."""
    today = today or date.today()
    return (
        JobOrder.objects.filter(
            status=JobOrder.Status.OPEN,
            valid_from__lte=today,
            valid_until__gte=today,
            employer__status=Employer.Status.VETTED,
        )
        .select_related("employer", "employer__country", "occupation")
        .order_by("valid_until", "id")
    )


def get_open_job_order(pk: int) -> JobOrder:
    try:
        return open_job_orders().get(pk=pk)
    except JobOrder.DoesNotExist:
        raise Http404 from None


_NAMES = Prefetch("person__names", queryset=PersonName.objects.filter(valid_until__isnull=True))
_STEPS = Prefetch("steps", queryset=Step.objects.select_related("scan", "recorded_by", "agency"))


def list_applications_for(user: User) -> QuerySet[Application]:
    require(user, Capability.MANAGE_RECRUITMENT)
    scope = Q() if user.sees_all_agencies else Q(job_order__agency_id=user.agency_id)
    return (
        Application.objects.filter(scope)
        .select_related("person", "person__region", "job_order", "job_order__employer")
        .prefetch_related(_NAMES, _STEPS)
    )


def access_application(*, user: User, pk: int) -> Application:
    """One application with the candidate's record: audited as a read of the person."""
    try:
        application = list_applications_for(user).prefetch_related("person__documents").get(pk=pk)
    except Application.DoesNotExist:
        raise Http404 from None
    record_audit(
        actor=user,
        action=AuditEntry.Action.READ,
        target=application.person,
        fields=["names", "birth_date", "region", "passport", "application"],
        subject_agency=application.person.agency,
    )
    return application


def list_pipeline_for(user: User) -> QuerySet[Application]:
    """Candidates on their way: from application to return, newest change first."""
    return list_applications_for(user).filter(status__in=ACTIVE).order_by("-updated_at", "-id")


def list_own_applications(person: Person) -> QuerySet[Application]:
    return (
        Application.objects.filter(person=person)
        .select_related("job_order", "job_order__employer", "job_order__employer__country")
        .prefetch_related(
            Prefetch("steps", queryset=Step.objects.select_related("scan").order_by("date", "id"))
        )
        .order_by("-created_at")
    )


def access_contract_scan(
    *, user: User, step_pk: int, application_pk: int | None = None
) -> ContractScan:
    """The scan of a signed contract of the user's agency. Opening it is audited as a read of
    the person, so it appears in the accesses the person sees on the portal."""
    applications = list_applications_for(user)
    if application_pk is not None:
        applications = applications.filter(pk=application_pk)
    scan = (
        ContractScan.objects.select_related("step__application__person")
        .filter(step_id=step_pk, step__application__in=applications.values("pk"))
        .first()
    )
    if scan is None:
        raise Http404
    person = scan.step.application.person
    record_audit(
        actor=user,
        action=AuditEntry.Action.READ,
        target=person,
        fields=["contract_scan"],
        subject_agency=person.agency,
    )
    return scan


def own_contract_scan(*, person: Person, step_pk: int) -> ContractScan:
    """The scan of the person's own signed contract (the portal): nobody else's."""
    scan = ContractScan.objects.filter(step_id=step_pk, step__application__person=person).first()
    if scan is None:
        raise Http404
    return scan


@dataclass(frozen=True)
class RosterFilter:
    occupation: Occupation | None = None
    region: Subdivision | None = None
    sex: str = ""
    min_score: int | None = None
    readiness: int | None = None
    include_expired: bool = False


def list_roster_for(
    user: User, filters: RosterFilter | None = None, today: date | None = None
) -> QuerySet[RosterEntry]:
    """The candidate roster, newest entry first; only valid entries unless asked otherwise.

    Every filter is a column of the roster table itself (copied from the person and their
    steps), so each one is answered from an index on a single table.
    """
    require(user, Capability.MANAGE_RECRUITMENT)
    f = filters or RosterFilter()
    entries = RosterEntry.objects.all()
    if not user.sees_all_agencies:
        entries = entries.filter(Q(agency_id=user.agency_id) | Q(agency__isnull=True))
    if not f.include_expired:
        entries = entries.filter(valid_until__gte=today or date.today())
    if f.occupation is not None:
        entries = entries.filter(occupation=f.occupation)
    if f.region is not None:
        entries = entries.filter(region=f.region)
    if f.sex:
        entries = entries.filter(sex=f.sex)
    if f.min_score is not None:
        entries = entries.filter(best_test_score__gte=f.min_score)
    if f.readiness is not None:
        entries = entries.filter(readiness__gte=f.readiness)
    return (
        entries.select_related("person", "occupation", "region")
        .prefetch_related(
            Prefetch("person__names", queryset=PersonName.objects.filter(valid_until__isnull=True))
        )
        .order_by("-id")
    )


def pipeline_counts(user: User) -> dict[str, int]:
    rows = list_applications_for(user).values("status").annotate(n=Count("id")).order_by()
    return {row["status"]: row["n"] for row in rows}
