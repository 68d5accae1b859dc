"""Reads of the screening app. ``access_*`` fetches one record, checks the reader may see
it and writes the read into the audit chain.

Who sees what: a list is seen by its owner agency, and by every Tajik agency when its
visibility is "all Tajik agencies"; the platform operator sees every list. Runs and their
matches are seen by the agency that started them (the operator sees all).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.http import Http404
from django.utils.translation import gettext as _

from hamroh.core.models import AuditEntry, User
from hamroh.core.roles import Capability
from hamroh.core.services import record_audit, require
from hamroh.screening.models import (
    ListDiff,
    ListVersion,
    Notification,
    PossibleMatch,
    RestrictionList,
    ScreeningRun,
)

ORIGIN_COUNTRY = "TJK"


def lists_visible_to(user: User) -> QuerySet[RestrictionList]:
    lists = RestrictionList.objects.select_related("owner", "country")
    if user.sees_all_agencies:
        return lists
    agency = user.agency
    if agency is None:
        return lists.none()
    scope = Q(owner=agency)
    if agency.country_id == ORIGIN_COUNTRY:
        scope |= Q(visibility=RestrictionList.Visibility.NATIONAL)
    return lists.filter(scope)


def require_list_owner(user: User, restriction_list: RestrictionList) -> None:
    """Only the owner agency (or the operator) loads new versions of a list."""
    if not user.sees_all_agencies and restriction_list.owner_id != user.agency_id:
        raise PermissionDenied(_("Only the agency that owns this list may load it."))


def list_lists_for(user: User) -> QuerySet[RestrictionList]:
    require(user, Capability.REVIEW_MATCHES)
    return lists_visible_to(user).prefetch_related("versions")


def access_list(*, user: User, pk: int) -> RestrictionList:
    try:
        return list_lists_for(user).get(pk=pk)
    except RestrictionList.DoesNotExist:
        raise Http404 from None


def versions_of(restriction_list: RestrictionList) -> QuerySet[ListVersion]:
    return restriction_list.versions.select_related("loaded_by").order_by("-number")


def access_version(*, user: User, pk: int) -> ListVersion:
    require(user, Capability.REVIEW_MATCHES)
    try:
        return (
            ListVersion.objects.select_related("restriction_list", "loaded_by")
            .filter(restriction_list__in=lists_visible_to(user))
            .get(pk=pk)
        )
    except ListVersion.DoesNotExist:
        raise Http404 from None


def diff_of(version: ListVersion) -> QuerySet[ListDiff]:
    return version.diffs.all()


def list_runs_for(user: User) -> QuerySet[ScreeningRun]:
    require(user, Capability.REVIEW_MATCHES)
    runs = ScreeningRun.objects.select_related("started_by", "agency").defer("subjects")
    if user.sees_all_agencies:
        return runs
    return runs.filter(agency_id=user.agency_id or 0)


def access_run(*, user: User, pk: int) -> ScreeningRun:
    try:
        return list_runs_for(user).get(pk=pk)
    except ScreeningRun.DoesNotExist:
        raise Http404 from None


def list_matches_for(user: User, *, status: str = "pending") -> QuerySet[PossibleMatch]:
    """The reviewer queue: matches of the user's agency's runs, without personal values."""
    require(user, Capability.REVIEW_MATCHES)
    matches = (
        PossibleMatch.objects.select_related("run", "entry__version__restriction_list", "reviewer")
        .defer("person", "contact", "entry__person", "run__subjects")
        .order_by("-created_at", "-score", "pk")
    )
    if status:
        matches = matches.filter(status=status)
    if user.sees_all_agencies:
        return matches
    return matches.filter(run__agency_id=user.agency_id or 0)


def access_match(*, user: User, pk: int) -> PossibleMatch:
    """One match with both people's values, side by side; the read is audited."""
    require(user, Capability.REVIEW_MATCHES)
    matches = PossibleMatch.objects.select_related(
        "run", "entry__version__restriction_list", "reviewer"
    ).defer("run__subjects")
    if not user.sees_all_agencies:
        matches = matches.filter(run__agency_id=user.agency_id or 0)
    try:
        match = matches.get(pk=pk)
    except PossibleMatch.DoesNotExist:
        raise Http404 from None
    record_audit(
        actor=user,
        action=AuditEntry.Action.READ,
        target=match,
        fields=["subject", "entry", "score", "reasons"],
        subject_agency=match.run.agency,
    )
    return match


def list_notifications_for(user: User) -> QuerySet[Notification]:
    require(user, Capability.HANDLE_CASES)
    return (
        Notification.objects.filter(agency_id=user.agency_id or 0)
        .select_related("match__entry__version__restriction_list", "match__reviewer")
        .defer("match__person", "match__contact", "match__entry__person")
    )


def access_notification(*, user: User, pk: int) -> Notification:
    try:
        notification = list_notifications_for(user).get(pk=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    return notification


def notification_subject(*, user: User, notification: Notification) -> dict[str, str]:
    """The confirmed person's values for the caseworker; the read is audited."""
    require(user, Capability.HANDLE_CASES)
    match = PossibleMatch.objects.get(pk=notification.match_id)
    record_audit(
        actor=user,
        action=AuditEntry.Action.READ,
        target=match,
        fields=["subject"],
        subject_agency=notification.agency,
    )
    return match.person_values


@dataclass(frozen=True)
class Figures:
    """Counts per list and per week; every number is a count of rows one can list."""

    per_list: list[dict[str, object]]
    per_week: list[dict[str, object]]


def screening_figures(user: User) -> Figures:
    matches = list_matches_for(user, status="")
    per_list = list(
        matches.order_by()
        .values("entry__version__restriction_list__name")
        .annotate(
            matched=Count("pk"),
            confirmed=Count("pk", filter=Q(status=PossibleMatch.Review.CONFIRMED)),
            rejected=Count("pk", filter=Q(status=PossibleMatch.Review.REJECTED)),
            pending=Count("pk", filter=Q(status=PossibleMatch.Review.PENDING)),
        )
        .order_by("entry__version__restriction_list__name")
    )
    screened_per_list = dict(
        list_runs_for(user)
        .filter(status=ScreeningRun.Status.DONE)
        .order_by()
        .values_list("versions__restriction_list__name")
        .annotate(screened=Sum("total"))
    )
    for row in per_list:
        row["name"] = row.pop("entry__version__restriction_list__name")
        row["screened"] = screened_per_list.get(row["name"], 0)
    for name, screened in screened_per_list.items():
        if name and not any(row["name"] == name for row in per_list):
            per_list.append(
                {
                    "name": name,
                    "screened": screened,
                    "matched": 0,
                    "confirmed": 0,
                    "rejected": 0,
                    "pending": 0,
                }
            )
    weeks: dict[date, dict[str, object]] = {}
    for row in (
        list_runs_for(user)
        .filter(status=ScreeningRun.Status.DONE)
        .order_by()
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(runs=Count("pk"), screened=Sum("total"))
    ):
        week = row["week"].date() if hasattr(row["week"], "date") else row["week"]
        weeks[week] = {"week": week, "runs": row["runs"], "screened": row["screened"]}
    for row in (
        matches.order_by()
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(
            matched=Count("pk"),
            confirmed=Count("pk", filter=Q(status=PossibleMatch.Review.CONFIRMED)),
            rejected=Count("pk", filter=Q(status=PossibleMatch.Review.REJECTED)),
        )
    ):
        week = row["week"].date() if hasattr(row["week"], "date") else row["week"]
        target = weeks.setdefault(week, {"week": week, "runs": 0, "screened": 0})
        target.update(matched=row["matched"], confirmed=row["confirmed"], rejected=row["rejected"])
    per_week = sorted(weeks.values(), key=lambda row: row["week"], reverse=True)  # type: ignore[arg-type, return-value]
    for row in per_week:
        for key in ("matched", "confirmed", "rejected"):
            row.setdefault(key, 0)
    return Figures(per_list=per_list, per_week=per_week)
