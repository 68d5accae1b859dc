"""Roles and what each may do.

Permissions are granted to roles, never to single users, so an auditor can read
this one table and know who may do what. Every grant is further limited to the
user's own agency unless the agency operates the platform (``Agency.is_operator``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    HELPLINE_OPERATOR = "helpline_operator", _("Helpline operator")
    CASEWORKER = "caseworker", _("Caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")
    RECRUITMENT_OFFICER = "recruitment_officer", _("Recruitment officer")
    REVIEWER = "reviewer", _("Reviewer")
    STATISTICIAN = "statistician", _("Statistician")
    PARTNER_SYSTEM = "partner_system", _("Partner system")


class Capability(models.TextChoices):
    MANAGE_AGENCIES = "manage_agencies", _("Manage agencies")
    MANAGE_USERS = "manage_users", _("Manage users and roles")
    VIEW_AUDIT = "view_audit", _("View the audit trail")
    VIEW_DIRECTORY = "view_directory", _("See colleagues in the agency")
    USE_API = "use_api", _("Use the machine interface")
    HANDLE_CASES = "handle_cases", _("Handle assistance cases")
    SUPERVISE_CASES = "supervise_cases", _("Supervise assistance cases")
    MANAGE_RECRUITMENT = "manage_recruitment", _("Manage recruitment")
    REVIEW_MATCHES = "review_matches", _("Review screening matches")
    VIEW_STATISTICS = "view_statistics", _("Work with statistics")
    EXCHANGE_MESSAGES = "exchange_messages", _("Exchange messages with agencies")


C = Capability
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: frozenset(
        {C.MANAGE_AGENCIES, C.MANAGE_USERS, C.VIEW_AUDIT, C.VIEW_DIRECTORY, C.USE_API}
    ),
    Role.HELPLINE_OPERATOR: frozenset({C.HANDLE_CASES, C.VIEW_DIRECTORY}),
    Role.CASEWORKER: frozenset({C.HANDLE_CASES, C.VIEW_DIRECTORY}),
    Role.SUPERVISOR: frozenset({C.HANDLE_CASES, C.SUPERVISE_CASES, C.VIEW_AUDIT, C.VIEW_DIRECTORY}),
    Role.RECRUITMENT_OFFICER: frozenset({C.MANAGE_RECRUITMENT, C.VIEW_DIRECTORY}),
    Role.REVIEWER: frozenset({C.REVIEW_MATCHES, C.VIEW_DIRECTORY}),
    Role.STATISTICIAN: frozenset({C.VIEW_STATISTICS, C.VIEW_DIRECTORY}),
    Role.PARTNER_SYSTEM: frozenset({C.USE_API, C.EXCHANGE_MESSAGES}),
}


def capabilities_of(role: str) -> frozenset[str]:
    return ROLE_CAPABILITIES.get(role, frozenset())
