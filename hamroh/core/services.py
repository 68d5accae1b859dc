"""Every write in the core app: agencies, users, audit.

Each service checks the actor's permission, writes, and appends the audit entry
in one transaction, so the page, the API and the command line behave alike.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hamroh.core import audit
from hamroh.core.models import Agency, AuditEntry, User
from hamroh.core.roles import Capability, Role

AGENCY_FIELDS = (
    "code",
    "kind",
    "country",
    "parent",
    "name_en",
    "name_ru",
    "name_tg",
    "is_operator",
    "is_active",
    "email",
    "phone",
)
# What an administrator may change about their own agency without operator rights.
OWN_AGENCY_FIELDS = frozenset({"name_en", "name_ru", "name_tg", "email", "phone"})
USER_FIELDS = ("first_name", "last_name", "email", "agency", "role", "language", "is_active")


# Other apps append to the audit chain through this name, from their own services.
record_audit = audit.append


def require(actor: User, capability: str) -> None:
    if not actor.can(capability):
        raise PermissionDenied(_("Your role does not allow this."))


def _require_agency_scope(actor: User, agency: Agency | None) -> None:
    if actor.sees_all_agencies:
        return
    if agency is None or agency.pk != actor.agency_id:
        raise PermissionDenied(_("You can only work with your own agency."))


@transaction.atomic
def create_agency(*, actor: User, **values: Any) -> Agency:
    require(actor, Capability.MANAGE_AGENCIES)
    if not actor.sees_all_agencies:
        raise PermissionDenied(_("Only the platform operator's administrators add agencies."))
    unknown = set(values) - set(AGENCY_FIELDS)
    if unknown:
        raise TypeError(f"unknown agency fields: {sorted(unknown)}")
    agency = Agency(**values)
    agency.full_clean()
    agency.save()
    record_audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        target=agency,
        fields=values.keys(),
        subject_agency=agency,
    )
    return agency


@transaction.atomic
def update_agency(*, actor: User, agency: Agency, **changes: Any) -> Agency:
    require(actor, Capability.MANAGE_AGENCIES)
    _require_agency_scope(actor, agency)
    unknown = set(changes) - set(AGENCY_FIELDS)
    if unknown:
        raise TypeError(f"unknown agency fields: {sorted(unknown)}")
    changed = {name for name, value in changes.items() if getattr(agency, name) != value}
    if not actor.sees_all_agencies and changed - OWN_AGENCY_FIELDS:
        raise PermissionDenied(
            _(
                "Only the platform operator's administrators change an agency's code, kind or status."
            )
        )
    if agency.pk == actor.agency_id and "is_active" in changed and not changes["is_active"]:
        raise ValidationError(_("You cannot deactivate your own agency."))
    for name in changed:
        setattr(agency, name, changes[name])
    if changed:
        agency.full_clean()
        agency.save()
        record_audit(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            target=agency,
            fields=changed,
            subject_agency=agency,
        )
    return agency


def _check_role_assignment(actor: User, agency: Agency | None, role: str) -> None:
    if role and agency is None:
        raise ValidationError({"agency": _("A user with a role must belong to an agency.")})
    if role == Role.PARTNER_SYSTEM and agency is not None and agency.kind != Agency.Kind.PARTNER:
        raise ValidationError(
            {"role": _("Only partner organisations have partner-system accounts.")}
        )
    _require_agency_scope(actor, agency)


@transaction.atomic
def create_user(
    *,
    actor: User,
    username: str,
    password: str,
    agency: Agency | None,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    language: str = "",
    is_active: bool = True,
) -> User:
    require(actor, Capability.MANAGE_USERS)
    _check_role_assignment(actor, agency, role)
    user = User(
        username=username,
        agency=agency,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
        language=language,
        is_active=is_active,
    )
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    record_audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        target=user,
        fields=["username", "password", *USER_FIELDS],
        subject_agency=agency,
    )
    return user


@transaction.atomic
def update_user(*, actor: User, user: User, **changes: Any) -> User:
    require(actor, Capability.MANAGE_USERS)
    _require_agency_scope(actor, user.agency)
    unknown = set(changes) - set(USER_FIELDS)
    if unknown:
        raise TypeError(f"unknown user fields: {sorted(unknown)}")
    changed = {name for name, value in changes.items() if getattr(user, name) != value}
    _check_role_assignment(
        actor, changes.get("agency", user.agency), changes.get("role", user.role)
    )
    if user.pk == actor.pk and changed & {"role", "is_active", "agency"}:
        raise ValidationError(_("You cannot change your own role, agency or access."))
    for name in changed:
        setattr(user, name, changes[name])
    if changed:
        user.full_clean()
        user.save()
        record_audit(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            target=user,
            fields=changed,
            subject_agency=user.agency,
        )
    return user


@transaction.atomic
def set_user_password(*, actor: User, user: User, password: str) -> None:
    if user.pk != actor.pk:
        require(actor, Capability.MANAGE_USERS)
        _require_agency_scope(actor, user.agency)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record_audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        target=user,
        fields=["password"],
        subject_agency=user.agency,
    )


@transaction.atomic
def set_own_language(*, user: User, language: str) -> None:
    """Remember the interface language a signed-in person chose (not personal data)."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@transaction.atomic
def bootstrap_operator(
    *,
    agency_code: str,
    agency_name: str,
    country_code: str,
    username: str,
    password: str,
    actor_label: str = "hamroh create-admin",
) -> User:
    """Create the operating agency and its first administrator on an empty installation.

    Every later agency and user is created by that administrator through the desk. The
    command line is the only caller, so there is no signed-in actor: the entry names the
    command instead.
    """
    agency = Agency.objects.filter(code=agency_code).first()
    if agency is None:
        agency = Agency(
            code=agency_code,
            kind=Agency.Kind.MINISTRY,
            country_id=country_code,
            name_en=agency_name,
            name_ru=agency_name,
            name_tg=agency_name,
            is_operator=True,
        )
        agency.full_clean()
        agency.save()
        record_audit(
            actor=None,
            actor_label=actor_label,
            action=AuditEntry.Action.CREATE,
            target=agency,
            fields=AGENCY_FIELDS,
            subject_agency=agency,
        )
    elif not agency.is_operator:
        raise ValidationError(
            _("Agency %(code)s exists and does not operate the platform.") % {"code": agency_code}
        )
    user = User(username=username, agency=agency, role=Role.ADMINISTRATOR)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    record_audit(
        actor=None,
        actor_label=actor_label,
        action=AuditEntry.Action.CREATE,
        target=user,
        fields=["username", "password", *USER_FIELDS],
        subject_agency=agency,
    )
    return user
