"""Every write in the statistics app.

``record_departure`` and ``record_return`` are the contract other apps (recruitment) call
when a departure or a return is recorded; the CSV import reuses the same validation.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamroh.core.models import AuditEntry, User
from hamroh.core.roles import Capability
from hamroh.core.services import record_audit, require
from hamroh.stats import cells, departure_file, memo, selectors
from hamroh.stats.codes import codes
from hamroh.stats.figures import FigureInput, Plan, plan_import
from hamroh.stats.models import Departure, Figure, ImportBatch, MirrorComparison
from hamroh.stats.tabular import FileRefused, open_table
from hamroh.stats.validation import FieldError, clean_departure

Progress = Callable[[str, int, int], None]
INSERT_CHUNK = 20_000

DEPARTURE_FIELDS = (
    "sex",
    "birth_year",
    "age",
    "departure_date",
    "destination",
    "destination_region",
    "origin_region",
    "origin_district",
    "occupation",
    "sector",
    "channel",
)


def _check_ref(source: str, person_ref: str) -> tuple[str, str]:
    source, person_ref = source.strip(), person_ref.strip()
    if not source or len(source) > 60:
        raise ValidationError({"source": _("A source name of 1 to 60 characters is required.")})
    if not person_ref or len(person_ref) > 64:
        raise ValidationError(
            {"person_ref": _("A person reference of 1 to 64 characters is required.")}
        )
    return source, person_ref


@transaction.atomic
def record_departure(
    *,
    source: str,
    person_ref: str,
    sex: str,
    birth_date: str,
    departure_date: datetime.date,
    destination: str,
    destination_region: str,
    origin_region: str,
    occupation: str,
    channel: str,
    sector: str = "",
) -> None:
    """Count one departure for work abroad.

    Idempotent: the same source, person and departure date is one record; recording it
    again updates that record. Raises ``ValidationError`` naming the field for a bad code.
    """
    source, person_ref = _check_ref(source, person_ref)
    try:
        clean = clean_departure(
            codes=codes(),
            sex=sex,
            birth_date=birth_date,
            departure_date=departure_date,
            destination=destination,
            destination_region=destination_region,
            origin_region=origin_region,
            occupation=occupation,
            channel=channel,
            sector=sector,
        )
    except FieldError as error:
        raise ValidationError({error.field: error.message}) from None
    values = {
        "sex": clean.sex,
        "birth_year": clean.birth_year,
        "age": clean.age,
        "departure_year": clean.departure_date.year,
        "departure_month": clean.departure_date.month,
        "destination": clean.destination,
        "destination_region": clean.destination_region,
        "origin_region": clean.origin_region,
        "origin_district": clean.origin_district,
        "occupation": clean.occupation,
        "occupation_group": clean.occupation_group,
        "sector": clean.sector,
        "channel": clean.channel,
    }
    stored = (
        Departure.objects.select_for_update()
        .filter(source=source, person_ref=person_ref, departure_date=clean.departure_date)
        .first()
    )
    before = cells.cell_of(stored) if stored else None
    record, created = Departure.objects.update_or_create(
        source=source,
        person_ref=person_ref,
        departure_date=clean.departure_date,
        defaults=values,
    )
    cells.move(before, cells.cell_of(record))
    memo.bump()
    record_audit(
        actor=None,
        actor_label=f"stats: {source}"[:150],
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        target=record,
        fields=DEPARTURE_FIELDS,
    )


@transaction.atomic
def record_return(*, source: str, person_ref: str, return_date: datetime.date) -> None:
    """Close the person's latest open departure from this source with its return date.

    Recording the same return again changes nothing. A return with no departure on or
    before that date, or before the departure, is refused.
    """
    source, person_ref = _check_ref(source, person_ref)
    if return_date > datetime.date.today():
        raise ValidationError({"return_date": _("The return date is in the future.")})
    departures = Departure.objects.select_for_update().filter(
        source=source, person_ref=person_ref, departure_date__lte=return_date
    )
    if departures.filter(return_date=return_date).exists():
        return
    record = departures.filter(return_date__isnull=True).order_by("-departure_date").first()
    if record is None:
        raise ValidationError(
            {
                "return_date": _(
                    "No open departure of this person from this source on or before the "
                    "return date."
                )
            }
        )
    before = cells.cell_of(record)
    record.return_date = return_date
    record.save(update_fields=["return_date"])
    cells.move(before, cells.cell_of(record))
    memo.bump()
    record_audit(
        actor=None,
        actor_label=f"stats: {source}"[:150],
        action=AuditEntry.Action.UPDATE,
        target=record,
        fields=["return_date"],
    )


def import_departures(
    *,
    data: bytes,
    file_name: str,
    source: str = "import",
    actor: User | None = None,
    actor_label: str = "",
    progress: Progress | None = None,
) -> ImportBatch:
    """Import a departure-record file, all or nothing.

    Every line is checked first; one bad line refuses the whole file (``FileRefused`` lists
    up to 100 problems, each with file, line and field). A record already stored (same
    source, person and departure date) is left as it is, so importing a file twice adds
    nothing. ``progress(stage, done, total)`` is called as lines are read and stored.
    """
    source, _ref = _check_ref(source, "-")
    table = open_table(data, file_name, departure_file.COLUMNS, departure_file.OPTIONAL)
    errors: list[str] = []
    rows = list(
        departure_file.read_rows(
            table,
            codes=codes(),
            source=source,
            errors=errors,
            progress=(lambda n: progress("read", n, 0)) if progress else None,
        )
    )
    if errors:
        raise FileRefused(errors)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind=ImportBatch.Kind.DEPARTURES,
            source=source,
            file_name=file_name[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            rows=len(rows),
            imported_by=actor,
        )
        before = Departure.objects.filter(source=source).count()
        insert_departure_rows(rows, batch.pk, progress)
        created = Departure.objects.filter(source=source).count() - before
        batch.created = created
        batch.unchanged = len(rows) - created
        batch.save(update_fields=["created", "unchanged"])
        # Count the touched years into cells now, so the first table after an import is fast.
        cells.rebuild({row[6] for row in rows})
        memo.bump()
        _warm_after_commit(max((row[6] for row in rows), default=None))
        record_audit(
            actor=actor,
            actor_label=actor_label,
            action=AuditEntry.Action.CREATE,
            target=batch,
            fields=["departures"],
        )
    return batch


def _warm_after_commit(chosen: int | None) -> None:
    """Count the dashboard for its next reader once the write is committed.

    The count from the summary rows takes milliseconds, so this only spares the first
    visitor that much; a failure is logged and never undoes or fails the committed write.
    """
    transaction.on_commit(lambda: selectors.warm(chosen=chosen), robust=True)


def insert_departure_rows(
    rows: list[tuple[Any, ...]], batch_id: int, progress: Progress | None
) -> None:
    """Bulk insert, skipping records already stored (same source, person and date).

    PostgreSQL: COPY into a temporary table, then one INSERT ... SELECT ... ON CONFLICT
    (row-by-row statements run at a few thousand rows a second there). SQLite: executemany,
    which its driver runs in C.
    """
    table = connection.ops.quote_name(Departure._meta.db_table)
    columns = ", ".join(departure_file.DB_COLUMNS)
    conflict = "ON CONFLICT (source, person_ref, departure_date) DO NOTHING"
    total = len(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE TEMPORARY TABLE stats_departure_load ON COMMIT DROP AS "  # noqa: S608
                f"SELECT {columns} FROM {table} WITH NO DATA"
            )
            raw = cursor.cursor
            with raw.copy(f"COPY stats_departure_load ({columns}) FROM STDIN") as copy:
                for number, row in enumerate(rows, start=1):
                    copy.write_row((*row, batch_id))
                    if progress and number % INSERT_CHUNK == 0:
                        progress("store", number, total)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "  # noqa: S608  (no user input)
                f"SELECT {columns} FROM stats_departure_load {conflict}"
            )
            cursor.execute("DROP TABLE stats_departure_load")
            if progress:
                progress("store", total, total)
            return
        marks = ", ".join(["%s"] * len(departure_file.DB_COLUMNS))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}) {conflict}"  # noqa: S608
        for start in range(0, total, INSERT_CHUNK):
            chunk = [(*row, batch_id) for row in rows[start : start + INSERT_CHUNK]]
            cursor.executemany(sql, chunk)
            if progress:
                progress("store", min(start + INSERT_CHUNK, total), total)


def import_figures(
    *,
    figures: list[FigureInput],
    file_name: str,
    actor: User | None = None,
    actor_label: str = "",
    dry_run: bool = False,
    update: bool = False,
) -> tuple[Plan, ImportBatch | None]:
    """Import published figures, all or nothing, each keeping its source and this import.

    A figure already stored with the same value is left alone; with another value it is
    refused unless ``update`` (then changed, and the change is in the plan). With
    ``dry_run`` nothing is written: the plan says what would change. Any problem refuses
    the whole import and the plan lists it.
    """
    if actor is not None:
        require(actor, Capability.VIEW_STATISTICS)
    plan = plan_import(figures, file_name=file_name, update=update)
    if plan.errors or dry_run or not (plan.count("new") or plan.count("changed")):
        return plan, None
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind=ImportBatch.Kind.FIGURES,
            source=", ".join(sorted({f.source for f in figures}))[:120],
            file_name=file_name[:255],
            rows=len(figures),
            created=plan.count("new"),
            updated=plan.count("changed"),
            unchanged=plan.count("unchanged"),
            imported_by=actor,
        )
        for item in plan.items:
            f = item.figure
            if item.status == "new":
                Figure.objects.create(
                    batch=batch,
                    source=f.source,
                    reporter=f.reporter,
                    reporter_country=f.reporter_country,
                    measure=f.measure,
                    period_start=f.period_start,
                    period_end=f.period_end,
                    sex=f.sex,
                    area=f.area,
                    origin_region=f.origin_region,
                    value=f.value,
                    note=f.note,
                )
            elif item.status == "changed":
                Figure.objects.filter(pk=item.existing_pk or 0).update(
                    value=f.value, batch=batch, note=f.note, updated_at=timezone.now()
                )
        memo.bump()
        _warm_after_commit(None)
        record_audit(
            actor=actor,
            actor_label=actor_label,
            action=AuditEntry.Action.CREATE,
            target=batch,
            fields=["figures"],
        )
    return plan, batch


@transaction.atomic
def record_mirror_comparison(
    *,
    actor: User,
    partner_figure: Figure,
    our_value: int,
    our_basis: str,
    explanation: str,
    explanation_text: str,
    our_figure: Figure | None = None,
    agreed_value: int | None = None,
    derivation: str = "",
) -> MirrorComparison:
    """Record how our departures and the partner's arrivals compare, why they differ, and
    the figure both sides agreed on. Both raw figures are kept untouched."""
    require(actor, Capability.VIEW_STATISTICS)
    if partner_figure.reporter != Figure.Reporter.PARTNER:
        raise ValidationError({"partner_figure": _("Choose a figure published by the partner.")})
    if our_value < 0 or (agreed_value is not None and agreed_value < 0):
        raise ValidationError(_("A count cannot be negative."))
    if agreed_value is not None and not derivation.strip():
        raise ValidationError({"derivation": _("Say how the agreed figure was derived.")})
    if explanation not in MirrorComparison.Explanation.values:
        raise ValidationError({"explanation": _("Choose an explanation.")})
    if not explanation_text.strip():
        raise ValidationError({"explanation_text": _("Explain the gap in a few words.")})
    memo.bump()
    comparison = MirrorComparison.objects.create(
        partner_figure=partner_figure,
        our_figure=our_figure,
        our_value=our_value,
        our_basis=our_basis[:200],
        partner_value=partner_figure.value,
        explanation=explanation,
        explanation_text=explanation_text.strip(),
        agreed_value=agreed_value,
        derivation=derivation.strip(),
        recorded_by=actor,
    )
    record_audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        target=comparison,
        fields=[
            "partner_figure",
            "our_figure",
            "our_value",
            "explanation",
            "explanation_text",
            "agreed_value",
            "derivation",
        ],
    )
    return comparison


def record_export(
    *, actor: User | None, kind: str, period_label: str, actor_label: str = ""
) -> None:
    """Exports hold counts only, but who took which table out is still on the record."""
    if actor is not None:
        require(actor, Capability.VIEW_STATISTICS)
    record_audit(
        actor=actor,
        actor_label=actor_label,
        action=AuditEntry.Action.EXPORT,
        object_type="stats.table",
        object_id=f"{kind}:{period_label}"[:64],
        fields=["measure", "sex", "area", "origin", "time_period", "value"],
    )
