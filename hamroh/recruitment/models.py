"""Organised recruitment: employers, their job orders, the candidate roster, and each
candidate's way from application to departure and return, one dated, attributed step at a time.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamroh.core.crypto import decrypt_bytes
from hamroh.core.models import Agency, Country, Occupation, Sector, Subdivision, User
from hamroh.registry.models import Person


class Employer(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for vetting")
        VETTED = "vetted", _("Vetted")
        SUSPENDED = "suspended", _("Suspended")

    name = models.CharField(_("name"), max_length=200)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    tax_id = models.CharField(_("tax number"), max_length=20)
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="+", verbose_name=_("sector (ISIC)")
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    status_note = models.CharField(_("reason"), max_length=300, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        constraints = [
            models.UniqueConstraint(fields=["country", "tax_id"], name="recruitment_employer_tax")
        ]

    def __str__(self) -> str:
        return self.name


class JobOrder(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Housing(models.TextChoices):
        PROVIDED = "provided", _("Provided free by the employer")
        PAID = "paid", _("Provided, paid from the wage")
        NONE = "none", _("Not provided")

    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="job_orders", verbose_name=_("employer")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("source agency")
    )
    title = models.CharField(_("job title"), max_length=200)
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("occupation")
    )
    destination_region = models.CharField(_("destination region"), max_length=100)
    quota = models.PositiveIntegerField(_("workers wanted"))
    wage = models.DecimalField(_("monthly wage"), max_digits=10, decimal_places=0)
    currency = models.CharField(_("currency"), max_length=3, default="RUB")
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"))
    housing = models.CharField(_("housing"), max_length=10, choices=Housing.choices)
    contract_months = models.PositiveSmallIntegerField(_("contract length (months)"))
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=18)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), default=55)
    passport_valid_months = models.PositiveSmallIntegerField(
        _("passport valid for at least (months)"),
        default=18,
        help_text=_("Counted from the day the candidate applies."),
    )
    requirements = models.TextField(_("requirements"), blank=True)
    valid_from = models.DateField(_("open from"))
    valid_until = models.DateField(_("open until"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="open")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = _("job order")
        verbose_name_plural = _("job orders")

    def __str__(self) -> str:
        return f"{self.title} — {self.employer.name}"


class RosterEntry(models.Model):
    """A person available for organised recruitment, until ``valid_until``.

    Filter columns (occupation, region, sex, birth year, test result, readiness) are copied
    here from the person and their steps, so the roster of a million people filters on one
    indexed table.
    """

    class Readiness(models.IntegerChoices):
        REGISTERED = 0, _("Registered")
        TESTED = 1, _("Test passed")
        TRAINED = 2, _("Trained")
        MEDICAL = 3, _("Medically fit")
        READY = 4, _("Ready to leave")
        ABROAD = 5, _("Abroad")

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="roster_entry")
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(Subdivision, on_delete=models.PROTECT, related_name="+")
    sex = models.CharField(max_length=1)
    birth_year = models.PositiveSmallIntegerField()
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    best_test_score = models.PositiveSmallIntegerField(null=True, blank=True)
    readiness = models.PositiveSmallIntegerField(
        choices=Readiness.choices, default=Readiness.REGISTERED
    )
    valid_from = models.DateField(_("on the roster since"))
    valid_until = models.DateField(_("on the roster until"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-valid_until", "-id"]
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        indexes = [
            # The roster lists newest first: each filter column with the id, so a filtered
            # page is read from one index in order and stops after a page.
            models.Index(fields=["occupation", "-id"], name="roster_occupation_idx"),
            models.Index(fields=["region", "-id"], name="roster_region_idx"),
            models.Index(fields=["readiness", "-id"], name="roster_readiness_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}"


class Application(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        SENT = "sent", _("Sent to the employer")
        SELECTED = "selected", _("Selected by the employer")
        DEPARTED = "departed", _("Departed")
        ARRIVED = "arrived", _("Arrived")
        ENDED = "ended", _("Contract ended")
        RETURNED = "returned", _("Returned home")
        NOT_SELECTED = "not_selected", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="applications")
    job_order = models.ForeignKey(JobOrder, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.APPLIED
    )
    selected_at = models.DateField(_("selected on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["person", "job_order"], name="recruitment_one_app")
        ]
        indexes = [models.Index(fields=["job_order", "status"])]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.job_order_id}"


class Shortlist(models.Model):
    """Candidates sent to an employer together, on one day, by one officer."""

    job_order = models.ForeignKey(JobOrder, on_delete=models.PROTECT, related_name="shortlists")
    applications = models.ManyToManyField(Application, related_name="shortlists")
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("shortlist")
        verbose_name_plural = _("shortlists")

    def __str__(self) -> str:
        return f"{self.job_order_id}@{self.sent_at:%Y-%m-%d}"


class Step(models.Model):
    """One dated, attributed event on the way abroad and back."""

    class Kind(models.TextChoices):
        LANGUAGE_TEST = "language_test", _("Language test")
        SKILLS_TEST = "skills_test", _("Skills test")
        ORIENTATION = "orientation", _("Pre-departure orientation")
        TRAINING = "training", _("Vocational training")
        MEDICAL = "medical", _("Medical check")
        CONTRACT = "contract", _("Contract signed")
        TICKET = "ticket", _("Ticket booked")
        DEPARTURE = "departure", _("Departure")
        ARRIVAL = "arrival", _("Arrival")
        CONTRACT_END = "contract_end", _("Contract end")
        RETURN = "return", _("Return home")

    class Result(models.TextChoices):
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")
        DONE = "done", _("Done")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(_("step"), max_length=15, choices=Kind.choices)
    date = models.DateField(_("date"))
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    score = models.PositiveSmallIntegerField(_("score (0-100)"), null=True, blank=True)
    certificate = models.CharField(_("certificate number"), max_length=60, blank=True)
    crossing_point = models.CharField(_("border crossing or airport"), max_length=100, blank=True)
    destination_region = models.CharField(_("destination region"), max_length=100, blank=True)
    # The ticket: when and how the candidate travels (the step's date is the day it was booked).
    travel_date = models.DateField(_("date of travel"), null=True, blank=True)
    carrier = models.CharField(_("carrier and flight or train number"), max_length=60, blank=True)
    travel_from = models.CharField(_("from"), max_length=100, blank=True)
    travel_to = models.CharField(_("to"), max_length=100, blank=True)
    # The contract's terms as signed (wage, hours, months, housing, employer): kept with the
    # step so a later change of the job order does not rewrite what was agreed.
    terms = models.JSONField(_("terms"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return f"{self.kind} {self.date}"


def contract_scan_path(instance: ContractScan, filename: str) -> str:
    # A random name: the file name an officer's scanner gives may carry the person's name.
    return f"recruitment/contracts/{instance.token}"


class ContractScan(models.Model):
    """The scan of the signed standard contract, attached to the "Contract signed" step.

    Kept like assistance attachments: encrypted with the field keys (``core.crypto``) under a
    random name in the data folder, never the web root, and served only by the views that
    check who may read it (officers of the agency, audited; the person themselves).
    """

    step = models.OneToOneField(Step, on_delete=models.PROTECT, related_name="scan")
    token = models.CharField(max_length=40, unique=True)
    file = models.FileField(upload_to=contract_scan_path, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)  # of the file as uploaded
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("contract scan")
        verbose_name_plural = _("contract scans")

    def __str__(self) -> str:
        return self.token

    def content(self) -> bytes:
        """The file as it was uploaded."""
        with self.file.open("rb") as handle:
            return decrypt_bytes(handle.read())
