"""Labour-migration statistics: individual departure records and published aggregate figures.

A departure record is pseudonymous microdata: the source's opaque person reference, sex,
birth year and the age at departure, never names or documents. Tables are counted from
these records in SQL; aggregate figures (official or partner publications) are kept
exactly as published, each with its source and the import that brought it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# SDMX conventions for "all" and "other".
TOTAL = "_T"
OTHER = "_O"


class Sex(models.TextChoices):
    MALE = "M", _("Men")
    FEMALE = "F", _("Women")


class Channel(models.TextChoices):
    ORGANISED = "organised", _("Organised recruitment")
    INDIVIDUAL = "individual", _("Individual")


class ImportBatch(models.Model):
    """One file (or one demo load) brought into the statistics, so every figure is traceable."""

    class Kind(models.TextChoices):
        DEPARTURES = "departures", _("Departure records")
        FIGURES = "figures", _("Aggregate figures")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    source = models.CharField(_("source"), max_length=120)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    sha256 = models.CharField(_("file checksum"), max_length=64, blank=True)
    rows = models.PositiveIntegerField(_("rows read"), default=0)
    created = models.PositiveIntegerField(_("added"), default=0)
    updated = models.PositiveIntegerField(_("changed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.source})"


class Departure(models.Model):
    """One person's departure to work abroad, and their return once it is known."""

    source = models.CharField(_("source"), max_length=60)
    person_ref = models.CharField(_("person reference"), max_length=64)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    age = models.PositiveSmallIntegerField(_("age at departure"), null=True, blank=True)
    departure_date = models.DateField(_("departure date"))
    # Kept apart from the date so year/month tables group on plain integers (fast on SQLite).
    departure_year = models.PositiveSmallIntegerField(_("departure year"))
    departure_month = models.PositiveSmallIntegerField(_("departure month"))
    destination = models.CharField(_("destination country"), max_length=3)
    destination_region = models.CharField(_("destination region"), max_length=80, blank=True)
    origin_region = models.CharField(_("origin region"), max_length=10, blank=True)
    origin_district = models.CharField(_("origin district"), max_length=40, blank=True)
    occupation = models.CharField(_("occupation (ISCO-08)"), max_length=4, blank=True)
    occupation_group = models.CharField(_("ISCO-08 major group"), max_length=1, blank=True)
    sector = models.CharField(_("sector (ISIC)"), max_length=1, blank=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    return_date = models.DateField(_("return date"), null=True, blank=True)
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="departures",
        db_index=False,
        verbose_name=_("import"),
    )

    class Meta:
        verbose_name = _("departure record")
        verbose_name_plural = _("departure records")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "person_ref", "departure_date"], name="stats_departure_once"
            )
        ]
        indexes = [
            models.Index(fields=["departure_year", "departure_month"], name="stats_dep_period"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.person_ref} {self.departure_date}"


class Figure(models.Model):
    """One published number, kept exactly as its source published it."""

    class Measure(models.TextChoices):
        DEPARTURES = "departures", _("Departures for work")
        RETURNS = "returns", _("Returns")
        STOCK = "stock", _("Workers abroad (stock)")
        ARRIVALS = "arrivals", _("Arrivals for work (partner)")

    class Reporter(models.TextChoices):
        NATIONAL = "national", _("National (Tajikistan)")
        PARTNER = "partner", _("Partner country")
        OTHER = "other", _("Other publication")

    batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, related_name="figures", verbose_name=_("import")
    )
    source = models.CharField(_("source"), max_length=120)
    reporter = models.CharField(_("reported by"), max_length=10, choices=Reporter.choices)
    reporter_country = models.CharField(_("reporting country"), max_length=3, default="TJK")
    measure = models.CharField(_("measure"), max_length=12, choices=Measure.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    sex = models.CharField(_("sex"), max_length=2, default=TOTAL)
    # Destination (departures) or, for a partner's arrivals, the partner country itself.
    area = models.CharField(_("destination"), max_length=3, default=TOTAL)
    origin_region = models.CharField(_("origin region"), max_length=10, default=TOTAL)
    value = models.PositiveBigIntegerField(_("value"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["measure", "period_start", "source", "sex", "area", "origin_region"]
        verbose_name = _("published figure")
        verbose_name_plural = _("published figures")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "source",
                    "measure",
                    "period_start",
                    "period_end",
                    "sex",
                    "area",
                    "origin_region",
                ],
                name="stats_figure_once",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="stats_figure_period_order",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.source}: {self.measure} {self.period_start}/{self.period_end} "
            f"{self.sex} {self.area} {self.origin_region} = {self.value}"
        )

    @property
    def period_label(self) -> str:
        from hamroh.stats.periods import label_for

        return label_for(self.period_start, self.period_end)


class MirrorComparison(models.Model):
    """Our departures against a partner's arrivals, the gap explained and an agreed figure."""

    class Explanation(models.TextChoices):
        TIMING = "timing", _("Timing (different periods or recording dates)")
        DEFINITIONS = "definitions", _("Definitions (who counts as a labour migrant)")
        CROSSINGS = "crossings", _("Persons against crossings (one person, several entries)")
        COVERAGE = "coverage", _("Coverage (channels or routes one side does not see)")
        UNEXPLAINED = "unexplained", _("Unexplained")

    partner_figure = models.ForeignKey(
        Figure, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner figure")
    )
    our_figure = models.ForeignKey(
        Figure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("our published figure"),
    )
    # When our side was counted from the records, the count as it was when compared.
    our_value = models.PositiveBigIntegerField(_("our figure"))
    our_basis = models.CharField(_("our figure comes from"), max_length=200)
    partner_value = models.PositiveBigIntegerField(_("partner figure"))
    explanation = models.CharField(_("explanation"), max_length=12, choices=Explanation.choices)
    explanation_text = models.TextField(_("explanation in detail"))
    agreed_value = models.PositiveBigIntegerField(_("agreed figure"), null=True, blank=True)
    derivation = models.TextField(_("how the agreed figure was derived"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("mirror comparison")
        verbose_name_plural = _("mirror comparisons")

    def __str__(self) -> str:
        return f"mirror #{self.pk}: {self.our_value} / {self.partner_value}"

    @property
    def gap(self) -> int:
        return int(self.partner_value) - int(self.our_value)

    @property
    def asymmetry(self) -> float | None:
        from hamroh.stats.mirror import asymmetry

        return asymmetry(self.our_value, self.partner_value)


class DepartureCell(models.Model):
    """Departure records counted once per combination of the table dimensions.

    Official tables for whole months, quarters and years read these cells instead of the
    records: a year of two million records is a few thousand cells. The cells of a
    departure year are rebuilt from the records (one GROUP BY) after an import, or on first
    read after a single record changed (``CellYear.fresh``).
    """

    departure_year = models.PositiveSmallIntegerField()
    departure_month = models.PositiveSmallIntegerField()
    # yyyymm of the return, or null while the person is abroad.
    return_month = models.PositiveIntegerField(null=True)
    sex = models.CharField(max_length=1)
    age_group = models.CharField(max_length=5)
    destination = models.CharField(max_length=3)
    origin_region = models.CharField(max_length=10)
    origin_district = models.CharField(max_length=40)
    occupation_group = models.CharField(max_length=1)
    sector = models.CharField(max_length=1)
    channel = models.CharField(max_length=12)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["departure_year", "departure_month"], name="stats_cell_period")
        ]

    def __str__(self) -> str:
        return f"{self.departure_year}-{self.departure_month}: {self.count}"


class CellYear(models.Model):
    """Whether the cells of one departure year match the records."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    fresh = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.year} {'fresh' if self.fresh else 'stale'}"


class DepartureSummary(models.Model):
    """The cells summed over the breakdowns the dashboard draws (a few thousand rows a year).

    Departure tables by year, quarter, month, sex, destination or origin region (and so the
    whole dashboard) read these instead of the cells: a year of 650,000 records is about
    115,000 cells but only about 1,500 summary rows. Rebuilt with the cells of its year.
    """

    departure_year = models.PositiveSmallIntegerField()
    departure_month = models.PositiveSmallIntegerField()
    sex = models.CharField(max_length=1)
    destination = models.CharField(max_length=3)
    origin_region = models.CharField(max_length=10)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["departure_year", "departure_month"], name="stats_summary_period")
        ]

    def __str__(self) -> str:
        return f"{self.departure_year}-{self.departure_month}: {self.count}"
