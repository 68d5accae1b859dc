"""Every write in the assistance desk.

Each service checks who may act, changes the case, appends a timeline event and the audit
entry in one transaction, so the portal, the desk, the API, Telegram and the command line
behave alike. Audit entries name fields, never their values.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from hamroh.assistance import group_commit, lookups
from hamroh.assistance.models import (
    Attachment,
    BorderPoint,
    Case,
    CaseEvent,
    CaseNameKey,
    CaseType,
    Channel,
    OutgoingMessage,
    Partner,
    Referral,
    TelegramLink,
    Urgency,
)
from hamroh.core import audit, messaging
from hamroh.core.crypto import blind_index
from hamroh.core.models import Agency, AuditEntry, User
from hamroh.core.roles import Capability
from hamroh.core.services import record_audit, require
from hamroh.core.uploads import check_attachment, keep_encrypted
from hamroh.identity.engine.names import name_root
from hamroh.identity.engine.normalise import sounds, tokens

PUBLIC_ACTOR = "public portal"
TELEGRAM_ACTOR = "telegram bot"
FOLLOWUP_ACTOR = "reporter (follow-up code)"


# --- Follow-up codes and search keys -----------------------------------------------------


def new_followup_code() -> str:
    """120 random bits as 6 groups of 4 base32 letters, easy to read over the phone."""
    raw = base64.b32encode(secrets.token_bytes(15)).decode()
    return "-".join(raw[i : i + 4] for i in range(0, 24, 4))


def followup_hash(code: str) -> str:
    # The code is random and long, so a keyed hash suffices; no slow KDF is needed.
    return blind_index("followup" + code)


def name_keys(name: str) -> set[str]:
    """Blinded phonetic roots of each word of a name, the same in every script."""
    keys = set()
    for token in tokens(name):
        root = name_root(sounds(token))[0]
        if len(root) >= 2:
            keys.add(blind_index("name" + root))
    return keys


def phone_key(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return blind_index(digits[-9:]) if len(digits) >= 7 else ""


# --- Routing and intake ---------------------------------------------------------------


def route_agency(*, border_point: BorderPoint | None, country_code: str = "") -> Agency:
    """The representation that owns a new report: the crossing point's, else the first
    representation in the country, else the platform operator (the helpline).

    Answers come from the per-process memory of ``lookups`` (at most ``lookups.TTL`` seconds
    old in other processes after an administrator's change)."""
    if border_point is not None and border_point.representation_code:
        agency = lookups.active_agency(border_point.representation_code)
        if agency is not None:
            return agency
        country_code = border_point.country_code
    if country_code:
        agency = lookups.first_representation(country_code)
        if agency is not None:
            return agency
    agency = lookups.operator_agency()
    if agency is None:
        raise ValidationError(_("No agency receives reports yet."))
    return agency


@dataclass
class Report:
    """What a reporter (or an operator on their behalf) tells us."""

    case_type: CaseType
    urgency: str = Urgency.NORMAL
    border_point: BorderPoint | None = None
    country_code: str = ""
    city: str = ""
    latitude: Any = None
    longitude: Any = None
    occurred_at: datetime | None = None
    hours_held: int | None = None
    documents_taken: bool | None = None
    anonymous: bool = False
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_contact: str = ""
    narrative: str = ""
    answers: dict[str, str] = field(default_factory=dict)
    language: str = ""
    telegram_chat: str = ""
    wants_updates: bool = False


@dataclass(frozen=True)
class Submitted:
    case: Case
    followup_code: str


def _new_case(report: Report, *, channel: str) -> tuple[Case, str]:
    """The new case row, not yet written, and its follow-up code (shown once)."""
    if report.anonymous:
        # Anonymity is honoured end to end: nothing that identifies the reporter is kept.
        report.reporter_name = report.reporter_phone = report.reporter_contact = ""
    code = new_followup_code()
    case = Case(
        case_type=report.case_type,
        urgency=report.urgency,
        channel=channel,
        owning_agency=route_agency(
            border_point=report.border_point, country_code=report.country_code
        ),
        border_point=report.border_point,
        city=report.city[:100],
        latitude=report.latitude,
        longitude=report.longitude,
        occurred_at=report.occurred_at,
        hours_held=report.hours_held,
        documents_taken=report.documents_taken,
        anonymous=report.anonymous,
        reporter_name=report.reporter_name,
        reporter_phone=report.reporter_phone,
        phone_index=phone_key(report.reporter_phone),
        reporter_contact=report.reporter_contact,
        narrative=report.narrative,
        answers=json.dumps(report.answers, ensure_ascii=False) if report.answers else "",
        language=report.language,
        telegram_chat=report.telegram_chat,
        telegram_index=blind_index(report.telegram_chat) if report.telegram_chat else "",
        wants_updates=report.wants_updates and bool(report.telegram_chat),
        followup_hash=followup_hash(code),
        created_at=timezone.now(),
    )
    case.set_due_times()
    return case, code


def _created_audit(case: Case, actor: User | None, label: str) -> dict[str, Any]:
    """The audit entry of a new case (arguments of ``record_audit``): the fields given."""
    written = [
        name
        for name in (
            "case_type",
            "urgency",
            "border_point",
            "city",
            "latitude",
            "longitude",
            "occurred_at",
            "hours_held",
            "documents_taken",
            "reporter_name",
            "reporter_phone",
            "reporter_contact",
            "narrative",
            "answers",
            "telegram_chat",
        )
        if getattr(case, name) not in (None, "")
    ]
    return {
        "actor": actor,
        "actor_label": "" if actor else label,
        "action": AuditEntry.Action.CREATE,
        "target": case,
        "fields": written,
        "subject_agency": case.owning_agency,
    }


def _create_case(report: Report, *, channel: str, actor: User | None, label: str) -> Submitted:
    case, code = _new_case(report, channel=channel)
    case.save()
    if not isinstance(case.reference, str):
        # No trigger wrote it in the INSERT (SQLite; see migration 0005): the same formula.
        case.reference = f"HMR-{case.created_at.year}-{case.pk:06d}"
        Case.objects.filter(pk=case.pk).update(reference=case.reference)
    _add_created_rows(case, sorted(name_keys(report.reporter_name)), actor)
    record_audit(**_created_audit(case, actor, label))
    return Submitted(case=case, followup_code=code)


def _add_created_rows(case: Case, keys: list[str], actor: User | None) -> None:
    """The case's name keys and the "Case opened" timeline entry.

    On PostgreSQL one statement writes both (the ORM's two inserts cost a report about a
    millisecond of CPU and a round trip); the entry has no text, so nothing needs encrypting.
    """
    if connection.vendor != "postgresql":
        CaseNameKey.objects.bulk_create(CaseNameKey(case=case, key=key) for key in keys)
        CaseEvent.objects.create(
            case=case, kind=CaseEvent.Kind.CREATED, actor=actor, at=case.created_at
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH keys AS (INSERT INTO assistance_casenamekey (case_id, key)"
            " SELECT %s, unnest(%s::varchar[]))"
            " INSERT INTO assistance_caseevent (case_id, kind, at, actor_id, text)"
            " VALUES (%s, %s, %s, %s, '')",
            [
                case.pk,
                keys,
                case.pk,
                CaseEvent.Kind.CREATED,
                case.created_at,
                actor.pk if actor else None,
            ],
        )


def submit_report(
    *, report: Report, files: Sequence[Any] = (), channel: str = Channel.WEB
) -> Submitted:
    """A report from the public portal or the API; anyone may submit, anonymously too.

    On PostgreSQL, a report without attachments that is not part of a larger transaction
    is written together with the reports other threads of this process submit at the same
    moment (``group_commit``): the same rows and audit entry, one transaction for them all,
    and this call still returns only once its report is committed."""
    if not files and group_commit.enabled():
        case, code = _new_case(report, channel=channel)
        group_commit.submit(
            case,
            sorted(name_keys(report.reporter_name)),
            audit.Pending(**_created_audit(case, None, PUBLIC_ACTOR)),
        )
        return Submitted(case=case, followup_code=code)
    return _submit_report_alone(report=report, files=files, channel=channel)


@transaction.atomic
def _submit_report_alone(*, report: Report, files: Sequence[Any], channel: str) -> Submitted:
    checked = [check_attachment(upload) for upload in files]
    submitted = _create_case(report, channel=channel, actor=None, label=PUBLIC_ACTOR)
    for upload, content_type in checked:
        _store_attachment(case=submitted.case, upload=upload, content_type=content_type, actor=None)
    return submitted


@transaction.atomic
def open_case(*, actor: User, report: Report) -> Submitted:
    """A case the helpline operator (or a caseworker) opens while on a call."""
    require(actor, Capability.HANDLE_CASES)
    submitted = _create_case(report, channel=Channel.OPERATOR, actor=actor, label="")
    # The caller is on the line: that is the first contact.
    _mark_contacted(submitted.case, submitted.case.created_at)
    Case.objects.filter(pk=submitted.case.pk).update(
        first_contact_at=submitted.case.first_contact_at
    )
    return submitted


def open_case_from_telegram(*, report: Report) -> Submitted:
    """A first message from an unknown Telegram chat (the bot checks nothing else)."""
    return _create_case(report, channel=Channel.TELEGRAM, actor=None, label=TELEGRAM_ACTOR)


def _mark_contacted(case: Case, at: datetime) -> None:
    if case.first_contact_at is None:
        case.first_contact_at = at
        if at > case.first_contact_due:
            case.first_contact_breached = True


@transaction.atomic
def add_reporter_information(
    *,
    case: Case,
    text: str,
    files: Sequence[Any] = (),
    label: str = PUBLIC_ACTOR,
) -> CaseEvent:
    """The reporter adds to their case (follow-up page or Telegram)."""
    if not case.is_open:
        raise ValidationError(_("This case is closed. Please send a new report."))
    checked = [check_attachment(upload) for upload in files]
    if not text.strip() and not checked:
        raise ValidationError(_("Write a message or attach a file."))
    event = CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.REPORTER_MESSAGE, text=text)
    for upload, content_type in checked:
        _store_attachment(case=case, upload=upload, content_type=content_type, actor=None)
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    record_audit(
        actor=None,
        actor_label=label,
        action=AuditEntry.Action.UPDATE,
        target=case,
        fields=["timeline"] + (["attachments"] if checked else []),
        subject_agency=case.owning_agency,
    )
    return event


# --- Attachments ------------------------------------------------------------------------


def _store_attachment(
    *, case: Case, upload: Any, content_type: str, actor: User | None
) -> Attachment:
    attachment = Attachment(
        case=case,
        original_name=getattr(upload, "name", "")[:200],
        content_type=content_type,
        encrypted=True,
        uploaded_by=actor,
    )
    keep_encrypted(attachment, upload)
    attachment.save()
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.ATTACHMENT, actor=actor)
    return attachment


@transaction.atomic
def add_attachment(*, actor: User, case: Case, upload: IO[bytes] | Any) -> Attachment:
    _require_owner(actor, case)
    checked, content_type = check_attachment(upload)
    attachment = _store_attachment(
        case=case, upload=checked, content_type=content_type, actor=actor
    )
    _audit(actor, case, ["attachments"])
    return attachment


# --- Desk work ---------------------------------------------------------------------------


def _require_owner(actor: User, case: Case) -> None:
    """The owning representation works the case (the operator agency may work any)."""
    require(actor, Capability.HANDLE_CASES)
    if actor.sees_all_agencies or case.owning_agency_id == actor.agency_id:
        return
    raise PermissionDenied(_("This case belongs to another representation."))


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(_("This case is closed."))


def _audit(actor: User | None, case: Case, fields: list[str], label: str = "") -> None:
    record_audit(
        actor=actor,
        actor_label=label,
        action=AuditEntry.Action.UPDATE,
        target=case,
        fields=fields,
        subject_agency=case.owning_agency,
    )


def _event(case: Case, kind: str, actor: User | None, **values: Any) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, actor=actor, **values)


def _lock(case: Case) -> Case:
    """Re-read the case under a row lock so two caseworkers cannot cross their changes."""
    return (
        Case.objects.select_for_update()
        .select_related("case_type", "owning_agency")
        .get(pk=case.pk)
    )


@transaction.atomic
def assign_case(*, actor: User, case: Case, assignee: User) -> Case:
    _require_owner(actor, case)
    case = _lock(case)
    _require_open(case)
    if not assignee.can(Capability.HANDLE_CASES) or assignee.agency_id != case.owning_agency_id:
        raise ValidationError(_("Cases are assigned to caseworkers of the owning representation."))
    case.assignee = assignee
    if case.status == Case.Status.NEW:
        case.status = Case.Status.OPEN
    case.save(update_fields=["assignee", "status", "updated_at"])
    _event(
        case, CaseEvent.Kind.ASSIGNMENT, actor, text=assignee.get_full_name() or assignee.username
    )
    _audit(actor, case, ["assignee", "status"])
    notify_reporter(case=case, text=_status_message(case))
    return case


@transaction.atomic
def add_note(*, actor: User, case: Case, text: str, contacted: bool = False) -> CaseEvent:
    """A note on the timeline; ``contacted`` records that the reporter was reached."""
    _require_owner(actor, case)
    case = _lock(case)
    if not text.strip():
        raise ValidationError(_("Write the note."))
    kind = CaseEvent.Kind.CONTACT if contacted else CaseEvent.Kind.NOTE
    event = _event(case, kind, actor, text=text)
    fields = ["timeline"]
    if contacted and case.first_contact_at is None:
        _mark_contacted(case, event.at)
        if case.status == Case.Status.NEW:
            case.status = Case.Status.OPEN
        case.save(
            update_fields=["first_contact_at", "first_contact_breached", "status", "updated_at"]
        )
        fields.append("first_contact_at")
    _audit(actor, case, fields)
    return event


@transaction.atomic
def set_urgency(*, actor: User, case: Case, urgency: str) -> Case:
    _require_owner(actor, case)
    case = _lock(case)
    _require_open(case)
    if urgency not in Urgency.values:
        raise ValidationError(_("Choose an urgency."))
    if case.urgency != urgency:
        case.urgency = urgency
        case.set_due_times()
        case.save(update_fields=["urgency", "first_contact_due", "resolution_due", "updated_at"])
        _event(case, CaseEvent.Kind.URGENCY, actor, text=str(Urgency(urgency).label))
        _audit(actor, case, ["urgency", "first_contact_due", "resolution_due"])
    return case


@transaction.atomic
def record_answers(*, actor: User, case: Case, answers: dict[str, str]) -> Case:
    """Answers to the scripted questions, merged into what was asked before."""
    _require_owner(actor, case)
    case = _lock(case)
    stored = json.loads(case.answers) if case.answers else {}
    stored.update({k: v for k, v in answers.items() if v.strip()})
    case.answers = json.dumps(stored, ensure_ascii=False)
    case.save(update_fields=["answers", "updated_at"])
    _audit(actor, case, ["answers"])
    return case


# --- Transfer between representations ----------------------------------------------------


@transaction.atomic
def request_transfer(*, actor: User, case: Case, to_agency: Agency, reason: str = "") -> Case:
    _require_owner(actor, case)
    case = _lock(case)
    _require_open(case)
    if to_agency.kind != Agency.Kind.REPRESENTATION and not to_agency.is_operator:
        raise ValidationError(_("Cases are transferred to a representation."))
    if to_agency.pk == case.owning_agency_id:
        raise ValidationError(_("The case already belongs to this representation."))
    if case.status in (Case.Status.TRANSFERRED, Case.Status.AWAITING_APPROVAL):
        raise ValidationError(_("Finish the pending transfer or closure first."))
    case.transfer_to = to_agency
    case.status = Case.Status.TRANSFERRED
    case.save(update_fields=["transfer_to", "status", "updated_at"])
    _event(case, CaseEvent.Kind.TRANSFER_REQUESTED, actor, agency=to_agency, text=reason)
    _audit(actor, case, ["transfer_to", "status"])
    return case


def _require_receiver(actor: User, case: Case) -> None:
    require(actor, Capability.HANDLE_CASES)
    if case.transfer_to_id is None:
        raise ValidationError(_("No transfer is pending for this case."))
    if case.transfer_to_id != actor.agency_id and not actor.sees_all_agencies:
        raise PermissionDenied(_("Only the receiving representation answers a transfer."))


@transaction.atomic
def accept_transfer(*, actor: User, case: Case) -> Case:
    case = _lock(case)
    _require_receiver(actor, case)
    previous = case.owning_agency
    assert case.transfer_to is not None
    case.owning_agency = case.transfer_to
    case.transfer_to = None
    case.assignee = None
    case.status = Case.Status.OPEN
    case.save(update_fields=["owning_agency", "transfer_to", "assignee", "status", "updated_at"])
    _event(case, CaseEvent.Kind.TRANSFER_ACCEPTED, actor, agency=previous)
    _audit(actor, case, ["owning_agency", "transfer_to", "assignee", "status"])
    return case


@transaction.atomic
def reject_transfer(*, actor: User, case: Case, reason: str = "") -> Case:
    case = _lock(case)
    _require_receiver(actor, case)
    rejected_by = case.transfer_to
    case.transfer_to = None
    case.status = Case.Status.OPEN if case.assignee_id else Case.Status.NEW
    case.save(update_fields=["transfer_to", "status", "updated_at"])
    _event(case, CaseEvent.Kind.TRANSFER_REJECTED, actor, agency=rejected_by, text=reason)
    _audit(actor, case, ["transfer_to", "status"])
    return case


# --- Referral to partners ----------------------------------------------------------------


@transaction.atomic
def refer_case(*, actor: User, case: Case, partner: Partner, note: str = "") -> Referral:
    _require_owner(actor, case)
    case = _lock(case)
    _require_open(case)
    if not partner.is_active:
        raise ValidationError(_("This partner no longer takes referrals."))
    if case.referrals.filter(partner=partner, status__in=_ACTIVE_REFERRALS).exists():
        raise ValidationError(_("The case is already referred to this partner."))
    referral = Referral.objects.create(case=case, partner=partner, created_by=actor)
    if case.status in (Case.Status.NEW, Case.Status.OPEN):
        case.status = Case.Status.REFERRED
        case.save(update_fields=["status", "updated_at"])
    _event(case, CaseEvent.Kind.REFERRAL, actor, partner=partner, text=note)
    _audit(actor, case, ["referrals", "status"])
    return referral


_ACTIVE_REFERRALS = (Referral.Status.PENDING, Referral.Status.ACCEPTED)


def _require_referral_party(actor: User, referral: Referral) -> None:
    """The partner answers through its own account; the caseworker may record an answer the
    partner gave by phone or letter."""
    if referral.partner.agency_id and referral.partner.agency_id == actor.agency_id:
        require(actor, Capability.EXCHANGE_MESSAGES)
        return
    _require_owner(actor, referral.case)


def _after_referral(case: Case) -> None:
    if (
        case.status == Case.Status.REFERRED
        and not case.referrals.filter(status__in=_ACTIVE_REFERRALS).exists()
    ):
        case.status = Case.Status.OPEN
        case.save(update_fields=["status", "updated_at"])


@transaction.atomic
def decide_referral(*, actor: User, referral: Referral, accept: bool, note: str = "") -> Referral:
    referral = (
        Referral.objects.select_for_update().select_related("partner", "case").get(pk=referral.pk)
    )
    _require_referral_party(actor, referral)
    if referral.status != Referral.Status.PENDING:
        raise ValidationError(_("This referral was already answered."))
    referral.status = Referral.Status.ACCEPTED if accept else Referral.Status.REJECTED
    referral.decided_at = timezone.now()
    referral.save(update_fields=["status", "decided_at"])
    kind = CaseEvent.Kind.REFERRAL_ACCEPTED if accept else CaseEvent.Kind.REFERRAL_REJECTED
    case = _lock(referral.case)
    _event(case, kind, actor, partner=referral.partner, text=note)
    _after_referral(case)
    _audit(actor, case, ["referrals", "status"])
    return referral


@transaction.atomic
def complete_referral(*, actor: User, referral: Referral, note: str = "") -> Referral:
    referral = (
        Referral.objects.select_for_update().select_related("partner", "case").get(pk=referral.pk)
    )
    _require_referral_party(actor, referral)
    if referral.status != Referral.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted referral can be completed."))
    referral.status = Referral.Status.COMPLETED
    referral.completed_at = timezone.now()
    referral.save(update_fields=["status", "completed_at"])
    case = _lock(referral.case)
    _event(case, CaseEvent.Kind.REFERRAL_COMPLETED, actor, partner=referral.partner, text=note)
    _after_referral(case)
    _audit(actor, case, ["referrals", "status"])
    return referral


# --- Closure with the supervisor's approval ---------------------------------------------


@transaction.atomic
def request_closure(*, actor: User, case: Case, summary: str) -> Case:
    _require_owner(actor, case)
    case = _lock(case)
    _require_open(case)
    if not summary.strip():
        raise ValidationError(_("Say how the case was resolved."))
    if case.status in (Case.Status.TRANSFERRED, Case.Status.AWAITING_APPROVAL):
        raise ValidationError(_("Finish the pending transfer or closure first."))
    if case.referrals.filter(status__in=_ACTIVE_REFERRALS).exists():
        raise ValidationError(_("A referral is still open: complete or withdraw it first."))
    case.status = Case.Status.AWAITING_APPROVAL
    case.save(update_fields=["status", "updated_at"])
    _event(case, CaseEvent.Kind.CLOSURE_REQUESTED, actor, text=summary)
    _audit(actor, case, ["status"])
    return case


def _require_supervisor(actor: User, case: Case) -> None:
    require(actor, Capability.SUPERVISE_CASES)
    _require_owner(actor, case)
    if case.status != Case.Status.AWAITING_APPROVAL:
        raise ValidationError(_("Closure of this case was not requested."))


@transaction.atomic
def approve_closure(*, actor: User, case: Case) -> Case:
    case = _lock(case)
    _require_supervisor(actor, case)
    requested = case.events.filter(kind=CaseEvent.Kind.CLOSURE_REQUESTED).last()
    if requested is not None and requested.actor_id == actor.pk:
        raise PermissionDenied(_("Another person must approve the closure you requested."))
    now = timezone.now()
    case.status = Case.Status.CLOSED
    case.is_open = False
    case.closed_at = now
    if now > case.resolution_due:
        case.resolution_breached = True
    case.save(update_fields=["status", "is_open", "closed_at", "resolution_breached", "updated_at"])
    _event(case, CaseEvent.Kind.CLOSURE_APPROVED, actor)
    _audit(actor, case, ["status", "closed_at"])
    notify_reporter(case=case, text=_status_message(case))
    return case


@transaction.atomic
def reject_closure(*, actor: User, case: Case, reason: str = "") -> Case:
    case = _lock(case)
    _require_supervisor(actor, case)
    case.status = Case.Status.OPEN
    case.save(update_fields=["status", "updated_at"])
    _event(case, CaseEvent.Kind.CLOSURE_REJECTED, actor, text=reason)
    _audit(actor, case, ["status"])
    return case


# --- Targets and escalation -------------------------------------------------------------

ESCALATION_ACTOR = "hamroh escalate_cases"


@transaction.atomic
def escalate_breached_cases(*, now: datetime | None = None, batch: int = 500) -> int:
    """Flag every open case past a response-time target and put it before the supervisor.

    Runs from ``hamroh escalate_cases`` and the worker task; a case is escalated once per
    target, so running it twice changes nothing.
    """
    now = now or timezone.now()
    contact = Q(
        first_contact_at__isnull=True, first_contact_due__lt=now, first_contact_breached=False
    )
    resolution = Q(resolution_due__lt=now, resolution_breached=False)
    count = 0
    while True:
        cases = list(
            Case.objects.select_for_update()
            .select_related("owning_agency")
            .filter(is_open=True)
            .filter(contact | resolution)[:batch]
        )
        if not cases:
            return count
        for case in cases:
            breached = []
            if (
                case.first_contact_at is None
                and case.first_contact_due < now
                and not case.first_contact_breached
            ):
                case.first_contact_breached = True
                breached.append("first_contact")
            if case.resolution_due < now and not case.resolution_breached:
                case.resolution_breached = True
                breached.append("resolution")
            case.escalated_at = now
            case.save(
                update_fields=["first_contact_breached", "resolution_breached", "escalated_at"]
            )
            _event(case, CaseEvent.Kind.ESCALATION, None, at=now, text=",".join(breached))
            _audit(
                None,
                case,
                ["first_contact_breached", "resolution_breached", "escalated_at"],
                label=ESCALATION_ACTOR,
            )
            count += 1


# --- Messages to the reporter ------------------------------------------------------------


def _status_message(case: Case) -> str:
    with override(case.language or "tg"):
        return _("Your case %(reference)s: %(status)s.") % {
            "reference": case.reference,
            "status": case.get_status_display(),
        }


def queue_message(*, chat: str, text: str, case: Case | None = None) -> OutgoingMessage:
    """A Telegram message, sent by the background worker once the transaction commits (no
    call to Telegram happens inside a request); ``hamroh send_messages`` retries it."""
    message = OutgoingMessage.objects.create(
        channel=Channel.TELEGRAM, chat=chat, text=text, case=case
    )
    messaging.deliver_on_commit(message)
    return message


def notify_reporter(*, case: Case, text: str) -> OutgoingMessage | None:
    """Queue a Telegram message if the reporter asked for updates."""
    if not (case.wants_updates and case.telegram_chat):
        return None
    return queue_message(chat=case.telegram_chat, text=text, case=case)


@transaction.atomic
def reply_to_reporter(*, actor: User, case: Case, text: str) -> OutgoingMessage | None:
    """An answer to the reporter: sent by Telegram when the case came from a chat, and shown
    on the reporter's follow-up page in any case (an anonymous web reporter reads it there)."""
    _require_owner(actor, case)
    case = _lock(case)
    if not text.strip():
        raise ValidationError(_("Write the message."))
    event = _event(case, CaseEvent.Kind.REPLY, actor, text=text)
    message = None
    if case.telegram_chat:
        message = queue_message(chat=case.telegram_chat, text=text, case=case)
    if case.first_contact_at is None and message is not None:
        # Only a message that reaches the reporter is a contact; a page they may never
        # open is not.
        _mark_contacted(case, event.at)
        case.save(update_fields=["first_contact_at", "first_contact_breached", "updated_at"])
    _audit(actor, case, ["timeline"] + (["outgoing_messages"] if message else []))
    return message


# --- Telegram updates for web reporters ----------------------------------------------------

TELEGRAM_LINK_LIFETIME = timedelta(minutes=60)


def _link_hash(token: str) -> str:
    return blind_index("telegram-link" + token)


@transaction.atomic
def create_telegram_link(*, case: Case, language: str) -> str:
    """A one-time token for ``/start <token>``: 192 random bits, valid for an hour, stored
    hashed. The reporter reached the case with their follow-up code (the caller checked)."""
    _require_open(case)
    token = secrets.token_urlsafe(24)  # 32 characters of [A-Za-z0-9_-], as Telegram allows
    now = timezone.now()
    link = TelegramLink.objects.create(
        case=case,
        token_hash=_link_hash(token),
        language=language,
        created_at=now,
        expires_at=now + TELEGRAM_LINK_LIFETIME,
    )
    record_audit(
        actor=None,
        actor_label=FOLLOWUP_ACTOR,
        action=AuditEntry.Action.CREATE,
        target=link,
        fields=["case"],
        subject_agency=case.owning_agency,
    )
    return token


@dataclass(frozen=True)
class Linked:
    case: Case
    language: str


@transaction.atomic
def link_telegram_chat(*, token: str, chat: str) -> Linked | None:
    """The bot received ``/start <token>``: from now on the case's updates and replies go to
    this chat. None when the token is unknown, used or expired."""
    now = timezone.now()
    link = (
        TelegramLink.objects.select_for_update()
        .filter(token_hash=_link_hash(token), used_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if link is None:
        return None
    link.used_at = now
    link.save(update_fields=["used_at"])
    case = _lock(link.case)
    if not case.is_open:
        return None
    case.telegram_chat = chat
    case.telegram_index = blind_index(chat)
    case.wants_updates = True
    case.language = link.language
    case.save(
        update_fields=["telegram_chat", "telegram_index", "wants_updates", "language", "updated_at"]
    )
    _event(case, CaseEvent.Kind.TELEGRAM_LINKED, None)
    _audit(None, case, ["telegram_chat", "wants_updates", "language"], label=TELEGRAM_ACTOR)
    return Linked(case=case, language=link.language)
