"""Assistance cases: what a migrant reports, who works on it, and everything that happened.

Personal text (names, phones, Telegram chats, narratives, notes) is encrypted at rest; exact
lookups go through blind indexes (``phone_index``, ``telegram_index``, ``CaseNameKey``).
Counters and queues use plain, non-personal columns (type, urgency, status, agency, border
point, due times) so the dashboard and the queues never decrypt anything.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hamroh.core.crypto import EncryptedTextField, decrypt_bytes
from hamroh.core.messaging import Outbox
from hamroh.core.models import Agency, Multilingual


class Urgency(models.TextChoices):
    CRITICAL = "critical", _("Critical (life, liberty)")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    OPERATOR = "operator", _("Helpline operator")
    TELEGRAM = "telegram", _("Telegram")
    API = "api", _("Machine interface")


class CaseType(Multilingual):
    """A kind of problem; configurable by administrators in the back office.

    ``targets`` holds hours per urgency: ``{"high": {"first_contact": 4, "resolution": 72}}``.
    ``questions`` holds the script the operator reads out:
    ``[{"code": "...", "en": "...", "ru": "...", "tg": "..."}]``.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    asks_hours_held = models.BooleanField(_("asks how long the person was held"), default=False)
    targets = models.JSONField(_("response-time targets (hours)"), default=dict)
    questions = models.JSONField(_("scripted questions"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("case type")
        verbose_name_plural = _("case types")

    def target_hours(self, urgency: str) -> tuple[float, float]:
        """(first contact, resolution) in hours; a missing urgency falls back to normal."""
        target = self.targets.get(urgency) or self.targets.get(Urgency.NORMAL) or {}
        return float(target.get("first_contact", 24)), float(target.get("resolution", 720))

    def localised_questions(self) -> list[dict[str, str]]:
        lang = (translation.get_language() or "en")[:2]
        return [{"code": q["code"], "text": q.get(lang) or q.get("en", "")} for q in self.questions]


class BorderPoint(Multilingual):
    """A border crossing point or airport where migrants are stopped.

    The country is an ISO alpha-3 code (not a foreign key) so points ship in a data
    migration before reference data is loaded; ``representation_code`` names the agency that
    receives reports from the point.
    """

    class Kind(models.TextChoices):
        AIRPORT = "airport", _("Airport")
        ROAD = "road", _("Road crossing")
        RAIL = "rail", _("Rail crossing")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    country_code = models.CharField(_("country"), max_length=3)
    latitude = models.DecimalField(max_digits=8, decimal_places=5)
    longitude = models.DecimalField(max_digits=8, decimal_places=5)
    representation_code = models.CharField(_("representation"), max_length=40, blank=True)

    class Meta:
        ordering = ["country_code", "code"]
        verbose_name = _("border crossing point")
        verbose_name_plural = _("border crossing points")


class Partner(Multilingual):
    """The referral directory: organisations a case can be referred to."""

    class Kind(models.TextChoices):
        INTERNATIONAL = "international", _("International organisation")
        LAWYER = "lawyer", _("Lawyer or legal clinic")
        AUTHORITY = "authority", _("Host-country authority")
        NGO = "ngo", _("Non-governmental organisation")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country_code = models.CharField(_("country"), max_length=3)
    city = models.CharField(_("city"), max_length=100, blank=True)
    services = models.CharField(_("services"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # A partner with an account answers referrals itself through the API.
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")


class Case(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", pgettext_lazy("case status", "Open")
        TRANSFERRED = "transferred", _("Transfer pending")
        REFERRED = "referred", _("Referred to a partner")
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval to close")
        CLOSED = "closed", pgettext_lazy("case status", "Closed")

    # ``HMR-<year>-<id>``. On PostgreSQL a BEFORE INSERT trigger (migration 0005) writes it in
    # the INSERT itself and the INSERT returns it (``db_default`` makes Django ask for it);
    # elsewhere it stays null until the service sets it from the new id. Unique allows many
    # nulls.
    reference = models.CharField(  # noqa: DJ001
        _("reference"), max_length=20, unique=True, null=True, db_default=None
    )
    followup_hash = models.CharField(max_length=64, unique=True)
    case_type = models.ForeignKey(
        CaseType, on_delete=models.PROTECT, related_name="+", verbose_name=_("case type")
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    # Denormalised from status so every queue is one partial index scan.
    is_open = models.BooleanField(default=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    owning_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("representation")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    transfer_to = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    border_point = models.ForeignKey(
        BorderPoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("border crossing point"),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    occurred_at = models.DateTimeField(_("when it happened"), null=True, blank=True)
    hours_held = models.PositiveIntegerField(_("hours held"), null=True, blank=True)
    documents_taken = models.BooleanField(_("documents taken"), null=True, blank=True)

    anonymous = models.BooleanField(_("anonymous"), default=False)
    reporter_name = EncryptedTextField(_("name"), blank=True)
    reporter_phone = EncryptedTextField(_("phone"), blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    reporter_contact = EncryptedTextField(_("other contact"), blank=True)
    telegram_chat = EncryptedTextField(blank=True)
    telegram_index = models.CharField(max_length=64, blank=True, db_index=True)
    narrative = EncryptedTextField(_("what happened"), blank=True)
    # Answers to the scripted questions, as encrypted JSON text.
    answers = EncryptedTextField(_("answers to the questions"), blank=True)
    # The reporter's language, for replies over Telegram.
    language = models.CharField(max_length=5, blank=True)
    wants_updates = models.BooleanField(_("wants updates by Telegram"), default=False)

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    first_contact_at = models.DateTimeField(null=True, blank=True)
    first_contact_due = models.DateTimeField()
    resolution_due = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    first_contact_breached = models.BooleanField(default=False)
    resolution_breached = models.BooleanField(default=False)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Queues read in this order; every queue index ends with (resolution_due, id) so the
        # database never sorts.
        ordering = ["resolution_due", "id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(
                fields=["owning_agency", "resolution_due", "id"],
                condition=Q(is_open=True),
                name="case_team_queue",
            ),
            models.Index(
                fields=["owning_agency", "resolution_due", "id"],
                condition=Q(is_open=True, assignee__isnull=True),
                name="case_unassigned_queue",
            ),
            models.Index(
                fields=["assignee", "resolution_due", "id"],
                condition=Q(is_open=True),
                name="case_mine_queue",
            ),
            models.Index(
                fields=["transfer_to", "resolution_due", "id"],
                condition=Q(transfer_to__isnull=False),
                name="case_incoming_queue",
            ),
            models.Index(fields=["is_open", "first_contact_due"], name="case_contact_due"),
            models.Index(fields=["is_open", "resolution_due", "id"], name="case_resolution_due"),
        ]

    def __str__(self) -> str:
        return self.reference or f"#{self.pk}"

    # Personal fields, named in audit entries when a case is read or changed.
    PERSONAL_FIELDS = (
        "reporter_name",
        "reporter_phone",
        "reporter_contact",
        "narrative",
        "answers",
        "latitude",
        "longitude",
    )

    def set_due_times(self) -> None:
        first, resolution = self.case_type.target_hours(self.urgency)
        self.first_contact_due = self.created_at + timedelta(hours=first)
        self.resolution_due = self.created_at + timedelta(hours=resolution)

    def timers(self, now: datetime | None = None) -> dict[str, Any]:
        """Elapsed hours against the target for the case page. The due times are the truth
        (they follow urgency changes); a stored breach flag always shows as breached."""
        now = now or timezone.now()
        end = self.closed_at or now
        contact_end = self.first_contact_at or end

        def timer(until: datetime, due: datetime, done: bool, flagged: bool) -> dict[str, Any]:
            return {
                "elapsed": round((until - self.created_at).total_seconds() / 3600, 1),
                "target": round((due - self.created_at).total_seconds() / 3600, 1),
                "done": done,
                "breached": flagged or until > due,
            }

        return {
            "first_contact": timer(
                contact_end,
                self.first_contact_due,
                self.first_contact_at is not None,
                self.first_contact_breached,
            ),
            "resolution": timer(
                end, self.resolution_due, self.closed_at is not None, self.resolution_breached
            ),
        }

    @property
    def is_overdue(self) -> bool:
        now = timezone.now()
        return self.is_open and (
            self.resolution_due < now
            or (self.first_contact_at is None and self.first_contact_due < now)
        )


class CaseEvent(models.Model):
    """One entry of a case's timeline. Notes are encrypted; the rest is not personal."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Case opened")
        NOTE = "note", _("Note")
        CONTACT = "contact", _("Contact with the reporter")
        ASSIGNMENT = "assignment", _("Assigned")
        URGENCY = "urgency", _("Urgency changed")
        TRANSFER_REQUESTED = "transfer_requested", _("Transfer requested")
        TRANSFER_ACCEPTED = "transfer_accepted", _("Transfer accepted")
        TRANSFER_REJECTED = "transfer_rejected", _("Transfer rejected")
        REFERRAL = "referral", _("Referred to a partner")
        REFERRAL_ACCEPTED = "referral_accepted", _("Referral accepted")
        REFERRAL_REJECTED = "referral_rejected", _("Referral rejected")
        REFERRAL_COMPLETED = "referral_completed", _("Referral completed")
        ESCALATION = "escalation", _("Escalated to the supervisor")
        CLOSURE_REQUESTED = "closure_requested", _("Closure requested")
        CLOSURE_APPROVED = "closure_approved", _("Closure approved")
        CLOSURE_REJECTED = "closure_rejected", _("Closure sent back")
        ATTACHMENT = "attachment", _("Attachment added")
        REPORTER_MESSAGE = "reporter_message", _("Message from the reporter")
        REPLY = "reply", _("Reply to the reporter")
        TASK_ADDED = "task_added", _("Task added")
        TASK_DONE = "task_done", _("Task done")
        TELEGRAM_LINKED = "telegram_linked", _("Telegram updates turned on")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"

    # Escalations store which targets were missed as codes, shown in the reader's language.
    BREACHED_TARGETS = {"first_contact": _("first contact"), "resolution": _("resolution")}

    def shown_text(self) -> str:
        if self.kind == self.Kind.ESCALATION:
            return ", ".join(str(self.BREACHED_TARGETS.get(c, c)) for c in self.text.split(","))
        return self.text


class Referral(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the partner")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        COMPLETED = "completed", _("Completed")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["partner", "status"])]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.partner_id} ({self.status})"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Random names: the reporter's file name (often personal) is kept encrypted instead.
    return f"assistance/{instance.case_id}/{instance.token}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    token = models.CharField(max_length=40, unique=True)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = EncryptedTextField(blank=True)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)  # of the file as uploaded
    # Files are stored encrypted with the field keys; files from before that are not.
    encrypted = models.BooleanField(default=False)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.token

    def content(self) -> bytes:
        """The file as it was uploaded."""
        with self.file.open("rb") as handle:
            data = handle.read()
        return decrypt_bytes(data) if self.encrypted else data


class CaseNameKey(models.Model):
    """Blinded phonetic roots of the reporter's name, so an operator finds "Ҷӯраев" by
    typing "Djuraev" without the database holding the name in clear."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=64, db_index=True)

    def __str__(self) -> str:
        return f"{self.case_id}"


class OutgoingMessage(Outbox):
    """A message to a reporter's Telegram chat; ``hamroh.core.messaging`` delivers it (see
    docs/assistance.md, "Channels")."""

    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.TELEGRAM)
    chat = EncryptedTextField()
    text = EncryptedTextField()
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    DELIVERED_FIELDS = ("chat", "text")

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk} ({self.status})"

    def destination(self) -> tuple[str, str] | None:
        return (self.channel, self.chat) if self.channel == Channel.TELEGRAM else None

    def message_text(self) -> str:
        return self.text

    def audit_agency(self) -> Agency | None:
        return self.case.owning_agency if self.case is not None else None


class TelegramLink(models.Model):
    """A one-time token a web reporter takes to the bot (``/start <token>``) to receive the
    case's updates in Telegram. Only its keyed hash is stored; it is not the follow-up code."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    # The language of the page the reporter asked from: the bot answers in it.
    language = models.CharField(max_length=5)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.case_id} link {self.pk}"


class TelegramUpdate(models.Model):
    """Update ids already handled: Telegram re-delivers when an answer is slow."""

    update_id = models.BigIntegerField(primary_key=True)
    received_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.update_id)


class RateCounter(models.Model):
    """Attempts per address and hour when the cache is the database (see ratelimit.py):
    one upsert instead of the database cache's five queries per increment."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    slot = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return self.key


def _in_reading_order(obj: models.Model, stem: str) -> str:
    """The field ``<stem>_<lang>`` in the reader's language, falling back like
    ``Multilingual.name``: Tajik → Russian → English, Russian → English → Tajik."""
    order = {"tg": ("tg", "ru", "en"), "ru": ("ru", "en", "tg")}.get(
        (translation.get_language() or "en")[:2], ("en", "ru", "tg")
    )
    for lang in order:
        value = getattr(obj, f"{stem}_{lang}")
        if value:
            return str(value)
    return ""


class Article(models.Model):
    """A knowledge page of the public portal, in Tajik, Russian and English.

    The body is plain text: blank lines separate paragraphs, lines starting with "- " are
    list items (no HTML is stored or rendered). Supervisors write and publish them.
    """

    class Topic(models.TextChoices):
        LEGAL = "legal", _("Legal questions")
        DOCUMENTS = "documents", _("Documents")
        WORK = "work", _("Work")
        RETURN = "return", _("Returning home")

    slug = models.SlugField(_("address name"), max_length=80, unique=True)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    order = models.PositiveSmallIntegerField(_("order in the topic"), default=0)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ru = models.CharField(_("title (Russian)"), max_length=200, blank=True)
    title_tg = models.CharField(_("title (Tajik)"), max_length=200, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=400, blank=True)
    summary_ru = models.CharField(_("summary (Russian)"), max_length=400, blank=True)
    summary_tg = models.CharField(_("summary (Tajik)"), max_length=400, blank=True)
    body_en = models.TextField(_("text (English)"))
    body_ru = models.TextField(_("text (Russian)"), blank=True)
    body_tg = models.TextField(_("text (Tajik)"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["topic", "order", "slug"]
        verbose_name = _("knowledge page")
        verbose_name_plural = _("knowledge pages")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _in_reading_order(self, "title")

    @property
    def summary(self) -> str:
        return _in_reading_order(self, "summary")

    @property
    def body(self) -> str:
        return _in_reading_order(self, "body")


class Task(models.Model):
    """A task on a case for someone who may see it; a follow-up reminder is a task for
    oneself. The text may name people, so it is encrypted like notes."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    text = EncryptedTextField(_("task"))
    due_on = models.DateField(_("due on"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("for"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            # "My tasks": one scan of the assignee's open tasks in due order.
            models.Index(
                fields=["assignee", "due_on", "id"],
                condition=Q(done_at__isnull=True),
                name="task_open_mine",
            ),
            models.Index(fields=["case", "due_on"], name="task_of_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} task {self.pk}"

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()
