"""Group commit of public reports (PostgreSQL): the reports that arrive together are written
in one transaction, and each request is answered only once its own report is committed.

Every report appends to the audit chain, whose head row is locked from the append to the
commit, so one report at a time could be written in the whole server, and each one paid for
its own round trips (the case, its name keys and timeline entry, the head lock, the entry,
the commit). Here each request thread prepares its report outside any lock (routing,
encryption, keys: ``services``), then hands it over. The first waiting thread becomes the
leader: it takes every pending report (up to :data:`MAX_BATCH`), writes them with one
statement for the cases, their name keys and their "Case opened" entries, appends their
audit entries under one lock of the chain head (``audit.append_many``: the entries, hashes
and sequence numbers that appending them one by one would give), commits, and wakes the
others. If the batch fails, its reports are written again one by one, each in its own
transaction, so a bad report fails only its own request.

Only in one process: each web worker groups its own threads' reports.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from hamroh.assistance.models import Case, CaseEvent, CaseNameKey
from hamroh.core import audit, rows_sql

# Reports per transaction at most (cases and audit entries per INSERT).
MAX_BATCH = 32


def enabled() -> bool:
    """PostgreSQL, outside any transaction of the caller (``HAMROH_GROUP_COMMIT = False`` in
    the settings turns it off)."""
    return (
        connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and getattr(settings, "HAMROH_GROUP_COMMIT", True)
    )


@dataclass(eq=False)
class _Report:
    case: Case
    row: list[Any]
    keys: list[str]
    entry: audit.Pending
    done: bool = False
    error: BaseException | None = None


@cache
def _columns() -> tuple[Any, ...]:
    # Every column but the id and the reference, which the trigger of migration 0005 writes.
    return tuple(
        field
        for field in Case._meta.concrete_fields
        if not field.primary_key and field.attname != "reference"
    )


def _row(case: Case) -> list[Any]:
    """The values the ORM's INSERT would send (encrypted, adapted), computed by the request
    thread before it waits."""
    return [field.get_db_prep_save(field.pre_save(case, True), connection) for field in _columns()]


@cache
def _insert_sql() -> str:
    """The cases, their name keys and their first timeline entries in one statement, of the
    same text for any number of reports (``rows_sql``)."""
    quote = connection.ops.quote_name
    keys = quote(CaseNameKey._meta.db_table)
    events = quote(CaseEvent._meta.db_table)
    return (
        f"WITH new AS ({rows_sql.insert_sql(Case._meta.db_table, _columns())}"  # noqa: S608  (our tables)
        " RETURNING id, reference, followup_hash, created_at),"
        f" name_keys AS (INSERT INTO {keys} (case_id, key)"
        " SELECT new.id, given.key FROM new JOIN unnest(%s::varchar[], %s::varchar[])"
        " AS given (followup_hash, key) ON given.followup_hash = new.followup_hash),"
        f" opened AS (INSERT INTO {events} (case_id, kind, at, actor_id, text)"
        " SELECT id, %s, created_at, NULL, '' FROM new)"
        " SELECT id, reference, followup_hash FROM new"
    )


def _write(reports: list[_Report]) -> None:
    """One transaction for these reports; raises if any of them cannot be written."""
    with transaction.atomic():
        hashes = [r.case.followup_hash for r in reports for _ in r.keys]
        keys = [key for r in reports for key in r.keys]
        values = rows_sql.rows_json(_columns(), (r.row for r in reports))
        with connection.cursor() as cursor:
            cursor.execute(_insert_sql(), [values, hashes, keys, CaseEvent.Kind.CREATED])
            written = {followup: (pk, reference) for pk, reference, followup in cursor.fetchall()}
        for report in reports:
            report.case.pk, report.case.reference = written[report.case.followup_hash]
            report.case._state.adding = False
            report.case._state.db = connection.alias
        audit.append_many([report.entry for report in reports])


def _write_batch(batch: list[_Report]) -> None:
    """Sets each report's outcome: written, or the error that kept it out."""
    try:
        _write(batch)
        return
    except Exception as error:
        if len(batch) == 1:
            batch[0].error = error
            _forget_ids(batch)
            return
    _forget_ids(batch)
    for report in batch:  # one by one: only a bad report fails
        try:
            _write([report])
        except Exception as error:
            report.error = error
            _forget_ids([report])


def _forget_ids(reports: list[_Report]) -> None:
    for report in reports:
        report.case.pk = None
        report.case.reference = None
        report.case._state.adding = True


class _Committer:
    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._pending: list[_Report] = []
        self._leading = False

    def submit(self, report: _Report) -> None:
        with self._changed:
            self._pending.append(report)
        while True:
            with self._changed:
                while self._leading and not report.done:
                    self._changed.wait()
                if report.done:
                    break
                self._leading = True
                batch = self._pending[:MAX_BATCH]
                del self._pending[:MAX_BATCH]
            try:
                _write_batch(batch)
            except BaseException as error:  # not an error of the reports: the thread is stopping
                for other in batch:
                    other.error = other.error or error
                raise
            finally:
                with self._changed:
                    for other in batch:
                        other.done = True
                    self._leading = False
                    self._changed.notify_all()
        if report.error is not None:
            raise report.error


_committer = _Committer()


def submit(case: Case, keys: list[str], entry: audit.Pending) -> None:
    """Write a prepared case (its name keys, its "Case opened" entry, its audit entry) and
    return once it is committed; raise what kept it from being written."""
    _committer.submit(_Report(case=case, row=_row(case), keys=keys, entry=entry))
