"""Restriction lists received from partners, screening runs and the reviewer's decisions.

A list keeps every version it was ever loaded in; exactly one version is active. Entries
belong to a version, so a failed or disputed load never touches the version in force, and
every match can be traced to the file it came from. Personal values of list entries and of
screened people are stored encrypted (one encrypted JSON document per row: a million-entry
list is then a million encryptions, not nine million); the document number has a blind
index for exact comparison.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hamroh.core.crypto import EncryptedTextField
from hamroh.core.messaging import Outbox, route_contact
from hamroh.core.models import Agency, Country
from hamroh.identity.engine.person_csv import COLUMNS as PERSON_CSV_COLUMNS

# The person fields of DESIGN.md's person CSV, plus the passport's issue date that some
# lists (Russia's "controlled persons") publish and check against.
PERSON_FIELDS = (
    *(column for column in PERSON_CSV_COLUMNS if column != "id"),
    "document_issue_date",
)


class PersonDocument(models.Model):
    """Rows that carry one person's values as one encrypted JSON document."""

    person = EncryptedTextField(_("personal data (encrypted)"), blank=True)

    class Meta:
        abstract = True

    @property
    def person_values(self) -> dict[str, str]:
        cached = getattr(self, "_person_values", None)
        if cached is None:
            cached = json.loads(self.person) if self.person else {}
            self._person_values = cached
        return cached

    @staticmethod
    def pack(values: dict[str, Any]) -> str:
        return json.dumps(
            {key: values[key] for key in PERSON_FIELDS if values.get(key)},
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @property
    def display_name(self) -> str:
        values = self.person_values
        split = " ".join(
            values.get(key, "") for key in ("surname", "given_name", "patronymic")
        ).strip()
        return split or values.get("full_name", "")


class RestrictionList(models.Model):
    class Kind(models.TextChoices):
        ENTRY_BAN = "entry_ban", _("Entry ban")
        CONTROLLED_PERSONS = "controlled_persons", _("Controlled persons")
        OTHER = "other", _("Other restriction")

    class Visibility(models.TextChoices):
        OWNER = "owner", _("Owner agency only")
        NATIONAL = "national", _("All Tajik agencies")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    owner = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner agency")
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("country that imposes it"),
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.NATIONAL
    )
    in_self_check = models.BooleanField(
        _("answer migrants' self-checks"),
        default=True,
        help_text=_("Migrants may check themselves against this list on the portal."),
    )
    appeal_route = models.TextField(
        _("how to appeal"),
        blank=True,
        help_text=_("Shown to a person found on the list: where and how to contest it."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("restriction list")
        verbose_name_plural = _("restriction lists")

    def __str__(self) -> str:
        return self.name

    @property
    def active_version(self) -> ListVersion | None:
        # Iterating .all() uses prefetched versions when the caller prefetched them.
        return next((v for v in self.versions.all() if v.is_active), None)


class ListVersion(models.Model):
    restriction_list = models.ForeignKey(
        RestrictionList, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("loaded by"),
    )
    source_name = models.CharField(_("source file"), max_length=255, blank=True)
    entry_count = models.PositiveIntegerField(_("entries"), default=0)
    added = models.PositiveIntegerField(_("added"), default=0)
    removed = models.PositiveIntegerField(_("removed"), default=0)
    changed = models.PositiveIntegerField(_("changed"), default=0)
    has_issue_dates = models.BooleanField(default=False)
    is_active = models.BooleanField(_("active"), default=False)

    class Meta:
        ordering = ["restriction_list", "-number"]
        verbose_name = _("list version")
        verbose_name_plural = _("list versions")
        constraints = [
            models.UniqueConstraint(
                fields=["restriction_list", "number"], name="screening_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["restriction_list"],
                condition=Q(is_active=True),
                name="screening_one_active_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.restriction_list} v{self.number}"


class ListEntry(PersonDocument):
    version = models.ForeignKey(ListVersion, on_delete=models.CASCADE, related_name="entries")
    entry_id = models.CharField(_("entry id"), max_length=100)
    # Compared only within the few candidates the engine proposes (by version and entry id),
    # so it needs no index of its own: an index on random keys would make loading a million
    # entries several times slower.
    document_index = models.CharField(max_length=64, blank=True)
    # Keyed hash of everything the partner sent for the entry: "changed" means this differs.
    content_hash = models.CharField(max_length=64)
    list_kind = models.CharField(_("restriction"), max_length=100, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source_reference = models.CharField(_("source reference"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "entry_id"], name="screening_entry_id_unique"
            )
        ]

    def __str__(self) -> str:
        return self.entry_id


class ListDiff(models.Model):
    class Change(models.TextChoices):
        ADDED = "added", _("added")
        REMOVED = "removed", _("removed")
        CHANGED = "changed", _("changed")

    version = models.ForeignKey(ListVersion, on_delete=models.CASCADE, related_name="diffs")
    entry_id = models.CharField(_("entry id"), max_length=100)
    change = models.CharField(_("change"), max_length=10, choices=Change.choices)

    class Meta:
        ordering = ["change", "entry_id"]
        indexes = [models.Index(fields=["version", "change"])]

    def __str__(self) -> str:
        return f"{self.change} {self.entry_id}"


class ScreeningRun(models.Model):
    class Scope(models.TextChoices):
        REGISTRY = "registry", _("Whole registry")
        COHORT = "cohort", _("Departure cohort (file)")
        PERSON = "person", _("One person")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("finished")
        FAILED = "failed", _("failed")

    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    label = models.CharField(_("label"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The people to screen (cohort file rows or the one person), encrypted, until the run ends.
    subjects = EncryptedTextField(blank=True)
    total = models.PositiveIntegerField(_("people"), default=0)
    screened = models.PositiveIntegerField(_("screened"), default=0)
    raised = models.PositiveIntegerField(_("possible matches"), default=0)
    suppressed = models.PositiveIntegerField(_("already rejected"), default=0)
    versions = models.ManyToManyField(ListVersion, related_name="runs", blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("screening run")
        verbose_name_plural = _("screening runs")

    def __str__(self) -> str:
        return f"run {self.pk}"

    @property
    def percent(self) -> int:
        return int(100 * self.screened / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


class PossibleMatch(PersonDocument):
    """One (screened person, list entry) pair the engine raised; ``person`` is the subject."""

    class Decision(models.TextChoices):
        MATCH = "match", _("likely the same person")
        REVIEW = "review", _("needs a closer look")

    class Review(models.TextChoices):
        PENDING = "pending", _("pending")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")

    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="matches")
    entry = models.ForeignKey(ListEntry, on_delete=models.PROTECT, related_name="matches")
    subject_ref = models.CharField(_("subject"), max_length=100)
    score = models.FloatField(_("score"))
    decision = models.CharField(_("engine decision"), max_length=10, choices=Decision.choices)
    reasons = models.TextField(_("engine explanation"))
    status = models.CharField(
        _("review"), max_length=10, choices=Review.choices, default=Review.PENDING
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_reason = models.TextField(_("reason for the decision"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # Whether the screened person agreed to be told, and how to reach them (encrypted).
    consented = models.BooleanField(default=False)
    contact = EncryptedTextField(blank=True)
    contact_language = models.CharField(max_length=5, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decision", "-score", "pk"]
        verbose_name = _("possible match")
        verbose_name_plural = _("possible matches")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"match {self.pk}"


class RejectedPair(models.Model):
    """A reviewer said "not the same person": not raised again for the same list version."""

    subject_ref = models.CharField(max_length=100)
    version = models.ForeignKey(ListVersion, on_delete=models.CASCADE, related_name="+")
    entry_id = models.CharField(max_length=100)
    match = models.ForeignKey(PossibleMatch, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subject_ref", "version", "entry_id"], name="screening_rejected_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_ref} ≠ {self.entry_id}"


class Notification(models.Model):
    """A confirmed match, for the caseworkers of the representation in the list's country."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    match = models.ForeignKey(PossibleMatch, on_delete=models.CASCADE, related_name="notices")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"notice {self.pk}"


class MigrantMessage(Outbox):
    """What the person is told after a confirmed match, when they agreed to be contacted.

    Queued here; ``hamroh.core.messaging`` delivers it: a phone number by SMS,
    ``telegram:<chat id>`` by Telegram (docs/screening.md, "Delivery").
    """

    match = models.OneToOneField(PossibleMatch, on_delete=models.CASCADE, related_name="message")
    contact = EncryptedTextField()
    language = models.CharField(max_length=5)
    body = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    DELIVERED_FIELDS = ("contact", "body")

    def __str__(self) -> str:
        return f"message {self.pk}"

    def destination(self) -> tuple[str, str] | None:
        return route_contact(self.contact)

    def message_text(self) -> str:
        return self.body

    def audit_agency(self) -> Agency | None:
        return self.match.run.agency


class SelfCheck(models.Model):
    """One pre-travel self-check. Which fields were given, never their values."""

    class Channel(models.TextChoices):
        PORTAL = "portal", _("portal")
        API = "api", _("API")

    # Whether the person was found is never stored: the log would become a list of who is
    # banned and when they looked.
    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("answered")
        LIMITED = "limited", _("rate limited")
        UNAVAILABLE = "unavailable", _("list being prepared")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    fields = models.JSONField(default=list)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"self-check {self.pk}"
