"""The registry of people: who they are as their documents write them, and how to reach them.

Names, document numbers and phones are encrypted at rest (``EncryptedTextField``); exact
lookups go through blind indexes and name blocking through the identity engine's phonetic
keys, which are sounds of a name, not the name itself.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hamroh.core.crypto import EncryptedTextField
from hamroh.core.models import Agency, Occupation, Subdivision, User


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Education(models.TextChoices):
    NONE = "none", _("No formal education")
    PRIMARY = "primary", _("Primary school")
    SECONDARY = "secondary", _("General secondary school")
    VOCATIONAL = "vocational", _("Vocational school or college")
    HIGHER = "higher", _("University degree")


class Language(models.TextChoices):
    TAJIK = "tg", _("Tajik")
    RUSSIAN = "ru", _("Russian")
    UZBEK = "uz", _("Uzbek")
    ENGLISH = "en", _("English")
    KAZAKH = "kk", _("Kazakh")
    TURKISH = "tr", _("Turkish")
    KOREAN = "ko", _("Korean")


class Person(models.Model):
    """One person in the registry. ``public_id`` is the only identifier shown or exchanged."""

    class Source(models.TextChoices):
        PORTAL = "portal", _("Registered on the portal")
        DESK = "desk", _("Registered at an office")
        IMPORT = "import", _("Imported")

    public_id = models.CharField(_("registry number"), max_length=16)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    birth_month = models.PositiveSmallIntegerField(_("month of birth"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("day of birth"), null=True, blank=True)
    region = models.ForeignKey(
        Subdivision,
        on_delete=models.PROTECT,
        db_index=False,
        related_name="+",
        verbose_name=_("home region"),
    )
    district = models.ForeignKey(
        Subdivision,
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home district or city"),
    )
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, blank=True
    )
    occupation = models.ForeignKey(
        Occupation,
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("occupation (ISCO-08)"),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    telegram = EncryptedTextField(_("Telegram"), blank=True)
    consent_at = models.DateTimeField(_("consent given at"))
    consent_version = models.CharField(_("consent text version"), max_length=20)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    # For imported people: the id the source file gave them and the file's fingerprint, so
    # every imported record can be traced back to its file and line.
    source_ref = models.CharField(_("id in the source file"), max_length=64, blank=True)
    import_batch = models.CharField(_("import"), max_length=16, blank=True)
    # Null for people who registered themselves on the portal: they are in the national
    # pool that every recruitment office works from.
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registering agency"),
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # SHA-256 of the personal access code (the code itself is shown once, never stored).
    access_code_hash = models.CharField(max_length=64, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        related_name="merged_from",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        # Declared here rather than with db_index/unique on the fields: on PostgreSQL those
        # add a second "_like" index to every text column, which nothing here queries with
        # LIKE, and a 1M-person import paid for each (docs/performance.md). Merged records
        # are few: only they are indexed.
        constraints = [
            models.UniqueConstraint(fields=["public_id"], name="registry_person_public_id_unique")
        ]
        indexes = [
            models.Index(fields=["region"], name="registry_person_region"),
            models.Index(fields=["district"], name="registry_person_district"),
            models.Index(fields=["occupation"], name="registry_person_occupation"),
            models.Index(fields=["import_batch"], name="registry_person_import_batch"),
            models.Index(fields=["access_code_hash"], name="registry_person_access_code"),
            models.Index(
                fields=["merged_into"],
                condition=models.Q(merged_into__isnull=False),
                name="registry_person_merged_into",
            ),
        ]

    def __str__(self) -> str:
        return self.public_id

    @property
    def birth_date_text(self) -> str:
        if self.birth_month is None:
            return f"{self.birth_year:04d}"
        if self.birth_day is None:
            return f"{self.birth_year:04d}-{self.birth_month:02d}"
        return f"{self.birth_year:04d}-{self.birth_month:02d}-{self.birth_day:02d}"

    def current_names(self) -> list[PersonName]:
        return [n for n in self.names.all() if n.valid_until is None]

    @property
    def display_name(self) -> str:
        names = self.current_names()
        names.sort(key=lambda n: n.script != PersonName.Script.LATIN)
        return names[0].full if names else ""


class PersonName(models.Model):
    """A name as one document or source writes it. A changed surname keeps the old row,
    closed with ``valid_until``, so searches still find the person by their old name."""

    class Script(models.TextChoices):
        TAJIK = "tg-cyrl", _("Tajik Cyrillic")
        RUSSIAN = "ru-cyrl", _("Russian Cyrillic")
        LATIN = "latin", _("Latin (as in the passport)")

    class Source(models.TextChoices):
        PASSPORT = "passport", _("Passport")
        SELF = "self", _("Told by the person")
        IMPORT = "import", _("Imported file")
        OFFICE = "office", _("Office record")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    surname = EncryptedTextField(_("surname"))
    given_name = EncryptedTextField(_("given name"))
    patronymic = EncryptedTextField(_("patronymic"), blank=True)
    script = models.CharField(_("script"), max_length=10, choices=Script.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    # Phonetic keys of the identity engine (sounds, not spellings): blocking for searches.
    surname_key = models.CharField(max_length=40, db_index=True)
    given_key = models.CharField(max_length=40)
    valid_until = models.DateField(_("used until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["valid_until", "id"]
        verbose_name = _("name")
        verbose_name_plural = _("names")

    def __str__(self) -> str:
        return self.full

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)


class Document(models.Model):
    class Kind(models.TextChoices):
        PASSPORT = "passport", _("Passport")
        OTHER = "other", _("Other document")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    number = EncryptedTextField(_("number"))
    number_index = models.CharField(max_length=64)
    issue_date = models.DateField(_("issued on"), null=True, blank=True)
    expiry_date = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-expiry_date", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        # Passports are the only documents looked up by number, always with kind="passport":
        # this unique partial index serves those look-ups, so no second index on the number.
        constraints = [
            # One passport number, one person (a merge moves documents, it never duplicates).
            models.UniqueConstraint(
                fields=["number_index"],
                condition=models.Q(kind="passport"),
                name="registry_one_person_per_passport",
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Phone(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    number = EncryptedTextField(_("phone"))
    number_index = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        indexes = [models.Index(fields=["number_index"], name="registry_phone_number")]

    def __str__(self) -> str:
        return str(_("phone"))


class CorrectionRequest(models.Model):
    """A person asks for their record to be corrected; an officer decides."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting")
        DONE = "done", _("Corrected")
        REJECTED = "rejected", _("Not corrected")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="corrections")
    text = EncryptedTextField(_("what is wrong"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    answer = EncryptedTextField(_("answer"), blank=True)
    handled_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")

    def __str__(self) -> str:
        return f"{self.person_id}:{self.pk}"


class PersonMerge(models.Model):
    """One merge of a duplicate record into the record kept: what moved, so it can be undone."""

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_merged")
    # Ids of the rows moved from ``merged`` to ``kept``, per kind: names, documents, phones,
    # corrections. Undoing moves exactly these back.
    moved = models.JSONField(default=dict)
    merged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at"]
        verbose_name = _("merge of records")
        verbose_name_plural = _("merges of records")

    def __str__(self) -> str:
        return f"{self.merged_id}->{self.kept_id}"


class RegistryImport(models.Model):
    """One file an officer uploaded to import people at the desk: checked in the background,
    previewed, then imported all or nothing, or discarded.

    The upload is kept encrypted under a random name in the data folder
    (``DATA_DIR/imports/``, never the web root) only while it can still be imported; the
    problems found are kept encrypted too, as JSON of ``{line, column, message}`` with each
    message rendered in the uploader's language (``language``) when the file was checked.
    """

    class Status(models.TextChoices):
        CHECKING = "checking", _("checking")
        CHECKED = "checked", _("checked")
        FAILED = "failed", _("failed")
        IMPORTING = "importing", _("importing")
        IMPORTED = "imported", _("imported")
        DISCARDED = "discarded", _("discarded")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    imported_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A file name may carry a name ("Rahimov family.xlsx"), so it is encrypted like one.
    file_name = EncryptedTextField(_("file"))
    stored_name = models.CharField(max_length=64, blank=True)  # random; empty once deleted
    size = models.PositiveBigIntegerField(_("size"), default=0)
    fingerprint = models.CharField(_("fingerprint"), max_length=16, blank=True)
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CHECKING
    )
    lines_estimate = models.PositiveIntegerField(default=0)
    lines_read = models.PositiveIntegerField(default=0)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_valid = models.PositiveIntegerField(_("rows valid"), default=0)
    problem_count = models.PositiveIntegerField(_("problems"), default=0)
    columns = models.JSONField(default=list, blank=True)
    problems = EncryptedTextField(blank=True)  # JSON: [{"line", "column", "message"}, ...]
    # [{"line": 7, "others": [{"line": 3}, {"person": "P..."}]}]: registry numbers and line
    # numbers only.
    duplicates = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)  # why the file as a whole could not be read
    imported_count = models.PositiveIntegerField(_("people imported"), default=0)
    imported_batch = models.CharField(_("import"), max_length=16, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("registry import")
        verbose_name_plural = _("registry imports")

    def __str__(self) -> str:
        return f"import {self.pk}"

    @property
    def is_working(self) -> bool:
        return self.status in {self.Status.CHECKING, self.Status.IMPORTING}

    @property
    def can_import(self) -> bool:
        return (
            self.status == self.Status.CHECKED
            and not self.problem_count
            and self.rows_valid > 0
            and bool(self.stored_name)
        )

    @property
    def can_discard(self) -> bool:
        return self.status in {self.Status.CHECKING, self.Status.CHECKED, self.Status.FAILED}
