"""Reads in the assistance desk. ``access_case`` fetches one case, checks the reader may see
it and writes the read into the audit chain; ``queue`` and the dashboard read only
non-personal columns."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from hamroh.assistance.models import (
    Attachment,
    BorderPoint,
    Case,
    CaseEvent,
    CaseNameKey,
    CaseType,
    OutgoingMessage,
    Partner,
    Referral,
)
from hamroh.assistance.services import followup_hash, name_keys, phone_key
from hamroh.core.models import Agency, AuditEntry, User
from hamroh.core.roles import Capability
from hamroh.core.services import record_audit, require
from hamroh.registry.contracts import Caller

QUEUES = ("unassigned", "mine", "team", "overdue", "incoming", "escalated", "approval")
# What a caseworker reads on the case page.
CASE_READ_FIELDS = [
    "reporter_name",
    "reporter_phone",
    "reporter_contact",
    "narrative",
    "answers",
    "latitude",
    "longitude",
    "timeline",
    "attachments",
]


def _queue_rows(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related(
        "case_type", "owning_agency", "assignee", "border_point", "transfer_to"
    )


def list_cases_for(user: User) -> QuerySet[Case]:
    """Every case the user may open: their representation's, those offered to it by
    transfer, or all of them for the operator agency (the helpline)."""
    require(user, Capability.HANDLE_CASES)
    cases = Case.objects.all()
    if user.sees_all_agencies:
        return cases
    return cases.filter(Q(owning_agency_id=user.agency_id) | Q(transfer_to_id=user.agency_id))


def queue(user: User, name: str, *, now: datetime | None = None) -> QuerySet[Case]:
    """One work queue, most urgent first. Each is one partial-index scan (see the model)."""
    require(user, Capability.HANDLE_CASES)
    now = now or timezone.now()
    scope = Q() if user.sees_all_agencies else Q(owning_agency_id=user.agency_id)
    open_cases = Case.objects.filter(is_open=True)
    if name == "mine":
        cases = open_cases.filter(assignee_id=user.pk)
    elif name == "team":
        cases = open_cases.filter(scope)
    elif name == "unassigned":
        cases = open_cases.filter(scope, assignee__isnull=True).exclude(
            status=Case.Status.TRANSFERRED
        )
    elif name == "overdue":
        cases = open_cases.filter(scope).filter(
            Q(resolution_due__lt=now) | Q(first_contact_at__isnull=True, first_contact_due__lt=now)
        )
    elif name == "incoming":
        cases = (
            Case.objects.filter(transfer_to__isnull=False)
            if user.sees_all_agencies
            else Case.objects.filter(transfer_to_id=user.agency_id)
        )
    elif name == "escalated":
        cases = open_cases.filter(scope, escalated_at__isnull=False)
    elif name == "approval":
        cases = open_cases.filter(scope, status=Case.Status.AWAITING_APPROVAL)
    else:
        raise Http404
    return _queue_rows(cases).order_by("resolution_due", "pk")


@dataclass(frozen=True)
class Slice:
    """A page of a queue without COUNT(*): a million-row queue pages in constant time."""

    rows: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)


@dataclass(frozen=True)
class QueueRow:
    """One line of a queue page, already in the reader's language: the page renders plain
    strings instead of walking five model instances per row."""

    pk: int
    reference: str
    case_type: str
    urgency: str
    status: str
    transfer_to: str
    where: str
    representation: str
    assignee: str
    resolution_due: datetime
    overdue: bool


_NAMED = ("case_type", "border_point")
QUEUE_VALUES = (
    "pk",
    "reference",
    "urgency",
    "status",
    "city",
    "resolution_due",
    "transfer_to__code",
    "owning_agency__code",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
    *(f"{relation}__name_{lang}" for relation in _NAMED for lang in ("tg", "ru", "en")),
)


def _name(row: dict[str, Any], relation: str, order: tuple[str, ...]) -> str:
    for lang in order:
        value = row[f"{relation}__name_{lang}"]
        if value:
            return str(value)
    return ""


def queue_page(user: User, name: str, number: int, *, size: int = 50) -> Slice:
    """A page of a queue as ready-made rows (one query, no COUNT)."""
    from django.utils import translation

    from hamroh.assistance.models import Urgency

    number = max(1, number)
    start = (number - 1) * size
    values = list(queue(user, name).values(*QUEUE_VALUES)[start : start + size + 1])
    order = {"tg": ("tg", "ru", "en"), "ru": ("ru", "en", "tg")}.get(
        (translation.get_language() or "en")[:2], ("en", "ru", "tg")
    )
    urgencies = {value: str(label) for value, label in Urgency.choices}
    statuses = {value: str(label) for value, label in Case.Status.choices}
    now = timezone.now()
    rows = [
        QueueRow(
            pk=row["pk"],
            reference=row["reference"] or "",
            case_type=_name(row, "case_type", order),
            urgency=urgencies.get(row["urgency"], row["urgency"]),
            status=statuses.get(row["status"], row["status"]),
            transfer_to=row["transfer_to__code"] or "",
            where=_name(row, "border_point", order) or row["city"] or "—",
            representation=row["owning_agency__code"],
            assignee=" ".join(
                part for part in (row["assignee__first_name"], row["assignee__last_name"]) if part
            )
            or row["assignee__username"]
            or "—",
            resolution_due=row["resolution_due"],
            overdue=row["resolution_due"] < now,
        )
        for row in values[:size]
    ]
    return Slice(rows=rows, number=number, has_next=len(values) > size)


def access_case(*, user: User, pk: int) -> Case:
    """One case with everything the case page shows; the read is audited."""
    try:
        case = (
            list_cases_for(user)
            .select_related("case_type", "owning_agency", "assignee", "border_point", "transfer_to")
            .get(pk=pk)
        )
    except Case.DoesNotExist:
        raise Http404 from None
    record_audit(
        actor=user,
        action=AuditEntry.Action.READ,
        target=case,
        fields=CASE_READ_FIELDS,
        subject_agency=case.owning_agency,
    )
    return case


def access_attachment(*, user: User, pk: int) -> Attachment:
    """A file of a case the user may open; the download is audited like a read of the case."""
    item = Attachment.objects.select_related("case__owning_agency").filter(pk=pk).first()
    if item is None or not list_cases_for(user).filter(pk=item.case_id).exists():
        raise Http404
    record_audit(
        actor=user,
        action=AuditEntry.Action.READ,
        target=item,
        fields=["file"],
        subject_agency=item.case.owning_agency,
    )
    return item


def timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor", "agency", "partner").order_by("at", "pk")


@dataclass(frozen=True)
class MessageEntry:
    """A message to the reporter in the case's timeline, with whether it reached them."""

    message: OutgoingMessage
    overdue = False
    actor = None
    agency = None
    partner = None

    @property
    def at(self) -> datetime:
        return self.message.created_at

    @property
    def text(self) -> str:
        return self.message.text

    def shown_text(self) -> str:
        return self.message.text

    def get_kind_display(self) -> str:
        return _("Message to the reporter (Telegram)")


def messages_to_reporter(case: Case) -> list[MessageEntry]:
    """The case's Telegram messages as timeline entries: sent, queued or failed."""
    return [
        MessageEntry(message)
        for message in OutgoingMessage.objects.filter(case=case).order_by("created_at", "pk")
    ]


def referrals_of(case: Case) -> QuerySet[Referral]:
    return case.referrals.select_related("partner").order_by("-created_at")


def colleagues_for_assignment(case: Case) -> QuerySet[User]:
    return User.objects.filter(
        agency_id=case.owning_agency_id,
        is_active=True,
        role__in=["caseworker", "supervisor", "helpline_operator"],
    ).order_by("last_name", "username")


def representations() -> QuerySet[Agency]:
    return Agency.objects.filter(kind=Agency.Kind.REPRESENTATION, is_active=True).order_by("code")


def partners() -> QuerySet[Partner]:
    return Partner.objects.filter(is_active=True).order_by("kind", "code")


def case_types() -> QuerySet[CaseType]:
    return CaseType.objects.filter(is_active=True)


def border_points() -> QuerySet[BorderPoint]:
    return BorderPoint.objects.all()


# --- Public follow-up -----------------------------------------------------------------


def case_for_followup_code(code: str) -> Case | None:
    """The reporter's own case, found by the private code (never shown twice)."""
    if not code.strip():
        return None
    case = (
        Case.objects.select_related("case_type", "owning_agency")
        .filter(followup_hash=followup_hash(code))
        .first()
    )
    if case is not None:
        record_audit(
            actor=None,
            actor_label="reporter (follow-up code)",
            action=AuditEntry.Action.READ,
            target=case,
            fields=["status", "timeline"],
            subject_agency=case.owning_agency,
        )
    return case


def public_timeline(case: Case) -> QuerySet[CaseEvent]:
    """What the reporter sees: milestones, never staff notes or who worked on it."""
    shown = [
        CaseEvent.Kind.CREATED,
        CaseEvent.Kind.ASSIGNMENT,
        CaseEvent.Kind.TRANSFER_ACCEPTED,
        CaseEvent.Kind.REFERRAL,
        CaseEvent.Kind.CLOSURE_APPROVED,
        CaseEvent.Kind.REPORTER_MESSAGE,
        CaseEvent.Kind.REPLY,
    ]
    return case.events.filter(kind__in=shown).only("kind", "at").order_by("at", "pk")


# --- Operator search ----------------------------------------------------------------------


def search_cases(
    *, user: User, phone: str = "", reference: str = "", name: str = ""
) -> QuerySet[Case]:
    """Find a caller's cases by phone (blind index), reference, or name in any script.

    Several criteria narrow the result (AND). Reading the list is audited as a search.
    """
    require(user, Capability.HANDLE_CASES)
    cases = list_cases_for(user)
    criteria: list[str] = []
    if reference.strip():
        cases = cases.filter(reference__iexact=reference.strip())
        criteria.append("reference")
    if phone.strip():
        cases = cases.filter(phone_index=phone_key(phone) or "-")
        criteria.append("reporter_phone")
    if name.strip():
        keys = name_keys(name)
        if not keys:
            return Case.objects.none()
        matching = (
            CaseNameKey.objects.filter(key__in=keys)
            .values("case_id")
            .annotate(hits=Count("key", distinct=True))
            .filter(hits__gte=len(keys))
            .values("case_id")
        )
        cases = cases.filter(pk__in=matching)
        criteria.append("reporter_name")
    if not criteria:
        return Case.objects.none()
    record_audit(
        actor=user,
        action=AuditEntry.Action.READ,
        object_type="assistance.case",
        object_id="search",
        fields=criteria,
    )
    return _queue_rows(cases).order_by("-created_at")[:50]


def cases_of_callers(*, user: User, callers: Sequence[Caller]) -> dict[str, list[Case]]:
    """The cases each registered caller reported from one of their phones, newest first.

    Audited as one search by the reporter's phone, like :func:`search_cases`."""
    keys = {c.public_id: {phone_key(p) for p in c.phones} - {""} for c in callers}
    wanted: set[str] = set().union(*keys.values())
    if not wanted:
        return {}
    rows = list(
        _queue_rows(list_cases_for(user).filter(phone_index__in=wanted)).order_by("-created_at")[
            :200
        ]
    )
    record_audit(
        actor=user,
        action=AuditEntry.Action.READ,
        object_type="assistance.case",
        object_id="search",
        fields=["reporter_phone"],
    )
    return {
        public: [case for case in rows if case.phone_index in phone_keys]
        for public, phone_keys in keys.items()
    }


# --- Partners (API) -----------------------------------------------------------------------


def referrals_for_partner(user: User) -> QuerySet[Referral]:
    require(user, Capability.EXCHANGE_MESSAGES)
    return Referral.objects.select_related("partner", "case", "case__case_type").filter(
        partner__agency_id=user.agency_id or 0
    )


def access_referral(*, user: User, pk: int) -> Referral:
    """A referral the user's organisation received, or one on a case the user works."""
    referral = (
        Referral.objects.select_related("partner", "case", "case__case_type").filter(pk=pk).first()
    )
    if referral is None:
        raise Http404
    if referral.partner.agency_id and referral.partner.agency_id == user.agency_id:
        return referral
    if (
        user.can(Capability.HANDLE_CASES)
        and list_cases_for(user).filter(pk=referral.case_id).exists()
    ):
        return referral
    raise Http404


# --- Dashboard ----------------------------------------------------------------------------


def _dashboard_scope(user: User) -> QuerySet[Case]:
    if not (
        user.can(Capability.SUPERVISE_CASES)
        or user.can(Capability.VIEW_STATISTICS)
        or user.can(Capability.HANDLE_CASES)
    ):
        raise PermissionDenied(_("Your role does not allow this."))
    if user.sees_all_agencies:
        return Case.objects.all()
    return Case.objects.filter(owning_agency_id=user.agency_id)


def dashboard(user: User, *, weeks: int = 12) -> dict[str, Any]:
    """Counts only: no personal field is read, so no audit entry is needed."""
    cases = _dashboard_scope(user)
    open_cases = cases.filter(is_open=True)
    since = timezone.now() - timedelta(weeks=weeks)

    def named(rows: Any, key: str, names: dict[Any, str]) -> list[dict[str, Any]]:
        return [
            {"label": names.get(row[key], "—"), "key": row[key], "count": row["n"]} for row in rows
        ]

    type_names = {t.pk: t.name for t in CaseType.objects.all()}
    agency_names = {a.pk: f"{a.code}" for a in Agency.objects.all()}
    points = {p.pk: p for p in BorderPoint.objects.all()}
    by_type = named(
        open_cases.values("case_type").annotate(n=Count("pk")).order_by("-n"),
        "case_type",
        type_names,
    )
    by_agency = named(
        open_cases.values("owning_agency").annotate(n=Count("pk")).order_by("-n"),
        "owning_agency",
        agency_names,
    )
    point_rows = (
        cases.filter(border_point__isnull=False)
        .values("border_point")
        .annotate(n=Count("pk"), open=Count("pk", filter=Q(is_open=True)))
    )
    by_point = sorted(
        (
            {"point": points[row["border_point"]], "count": row["n"], "open": row["open"]}
            for row in point_rows
        ),
        key=lambda row: -row["count"],
    )
    by_week = list(
        cases.filter(created_at__gte=since)
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(n=Count("pk"), open=Count("pk", filter=Q(is_open=True)))
        .order_by("week")
    )
    breaches = cases.aggregate(
        first_contact=Count("pk", filter=Q(first_contact_breached=True)),
        resolution=Count("pk", filter=Q(resolution_breached=True)),
        escalated_open=Count("pk", filter=Q(is_open=True, escalated_at__isnull=False)),
        open=Count("pk", filter=Q(is_open=True)),
        total=Count("pk"),
    )
    return {
        "by_type": by_type,
        "by_agency": by_agency,
        "by_point": by_point,
        "by_week": by_week,
        "breaches": breaches,
    }


EXPORT_COLUMNS = [
    "reference",
    "case_type",
    "urgency",
    "status",
    "channel",
    "representation",
    "border_point",
    "city",
    "week",
    "hours_held",
    "documents_taken",
    "first_contact_breached",
    "resolution_breached",
    "closed",
]


def export_rows(user: User) -> Iterator[list[Any]]:
    """Rows for the CSV export: no name, phone, narrative, exact time or coordinates."""
    cases = _dashboard_scope(user)
    record_audit(
        actor=user,
        action=AuditEntry.Action.EXPORT,
        object_type="assistance.case",
        object_id="export",
        fields=EXPORT_COLUMNS,
    )
    yield EXPORT_COLUMNS
    rows = cases.values_list(
        "reference",
        "case_type__code",
        "urgency",
        "status",
        "channel",
        "owning_agency__code",
        "border_point__code",
        "city",
        "created_at",
        "hours_held",
        "documents_taken",
        "first_contact_breached",
        "resolution_breached",
        "is_open",
    ).order_by("pk")
    for row in rows.iterator(chunk_size=2000):
        created = row[8]
        week = f"{created.isocalendar()[0]}-W{created.isocalendar()[1]:02d}"
        yield [*row[:8], week, *row[9:13], not row[13]]
