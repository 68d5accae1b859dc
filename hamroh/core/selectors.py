"""Reads in the core app. ``access_*`` fetches one record, checks the reader may see it,
and writes the read into the audit chain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from hamroh.core.models import Agency, AuditEntry, User
from hamroh.core.roles import Capability
from hamroh.core.services import record_audit, require


def list_agencies_for(user: User) -> QuerySet[Agency]:
    require(user, Capability.MANAGE_AGENCIES)
    agencies = Agency.objects.select_related("country", "parent")
    if user.sees_all_agencies:
        return agencies
    return agencies.filter(pk=user.agency_id or 0)


def access_agency(*, user: User, pk: int) -> Agency:
    try:
        return list_agencies_for(user).get(pk=pk)
    except Agency.DoesNotExist:
        raise Http404 from None


def list_users_for(user: User) -> QuerySet[User]:
    if not (user.can(Capability.MANAGE_USERS) or user.can(Capability.VIEW_DIRECTORY)):
        require(user, Capability.MANAGE_USERS)
    users = User.objects.select_related("agency", "agency__country")
    if user.sees_all_agencies and user.can(Capability.MANAGE_USERS):
        return users
    return users.filter(agency_id=user.agency_id or 0)


def access_user(*, actor: User, pk: int) -> User:
    require(actor, Capability.MANAGE_USERS)
    try:
        user = list_users_for(actor).get(pk=pk)
    except User.DoesNotExist:
        raise Http404 from None
    record_audit(
        actor=actor,
        action=AuditEntry.Action.READ,
        target=user,
        fields=["username", "first_name", "last_name", "email", "agency", "role", "is_active"],
        subject_agency=user.agency,
    )
    return user


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    actor: str = ""
    since: date | None = None
    until: date | None = None


def list_audit_for(user: User, filters: AuditFilter | None = None) -> QuerySet[AuditEntry]:
    """The audit trail a user may see: everything for the operator, else their agency's."""
    require(user, Capability.VIEW_AUDIT)
    entries = AuditEntry.objects.all()
    if not user.sees_all_agencies:
        code = user.agency.code if user.agency else ""
        entries = entries.filter(Q(agency_code=code) | Q(subject_agency_code=code))
    f = filters or AuditFilter()
    if f.action:
        entries = entries.filter(action=f.action)
    if f.object_type:
        entries = entries.filter(object_type=f.object_type)
    if f.object_id:
        entries = entries.filter(object_id=f.object_id)
    if f.actor:
        entries = entries.filter(actor_label=f.actor)
    if f.since:
        entries = entries.filter(at__date__gte=f.since)
    if f.until:
        entries = entries.filter(at__date__lte=f.until)
    return entries.order_by("-seq")


def list_accesses_to_own_record(user: User) -> QuerySet[AuditEntry]:
    """Who read or changed this person's own account: every person may see this."""
    return AuditEntry.objects.filter(object_type="core.user", object_id=str(user.pk)).order_by(
        "-seq"
    )
