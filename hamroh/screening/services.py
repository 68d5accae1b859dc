"""Every write of the screening app: lists and their versions, screening runs, reviews.

Loading a list and deciding a match need the ``REVIEW_MATCHES`` capability: the reviewers
who decide matches are the people who receive lists from partners and answer for them.
Each service checks permission and scope, writes, and appends the audit entry in one
transaction, so the desk, the API and the command line behave alike.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import json
import marshal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from json.encoder import encode_basestring, encode_basestring_ascii
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hamroh.core.crypto import blind_index, encrypt
from hamroh.core.messaging import deliver_on_commit
from hamroh.core.models import Agency, AuditEntry, User
from hamroh.core.roles import Capability
from hamroh.core.services import record_audit, require
from hamroh.identity.engine import Match, PersonRecord, screen
from hamroh.screening import forked, indexes
from hamroh.screening.list_file import (
    LIST_COLUMNS,
    Layout,
    ListFileError,
    ListRow,
    check_rows,
    chunks,
    estimated_rows,
    iter_list_file,
    read_cohort_file,
    read_list_file,
    split_list_file,
)
from hamroh.screening.models import (
    PERSON_FIELDS,
    ListDiff,
    ListEntry,
    ListVersion,
    MigrantMessage,
    Notification,
    PersonDocument,
    PossibleMatch,
    RejectedPair,
    RestrictionList,
    ScreeningRun,
)
from hamroh.screening.selectors import lists_visible_to, require_list_owner

BATCH = 5_000
LANGUAGES = ("tg", "ru", "en")
META_FIELDS = LIST_COLUMNS  # what a list file says about each entry
ENTRY_FIELDS = [*PERSON_FIELDS, *META_FIELDS]


COMMAND_LABEL = "hamroh import list"


@transaction.atomic
def create_list(
    *,
    actor: User | None,
    name: str,
    kind: str,
    country_code: str,
    visibility: str = RestrictionList.Visibility.NATIONAL,
    in_self_check: bool = True,
    appeal_route: str = "",
) -> RestrictionList:
    """A new, empty restriction list owned by the actor's agency.

    ``actor=None`` is the command line run by the server's operator: the list then belongs to
    the agency that operates the platform.
    """
    if actor is not None:
        require(actor, Capability.REVIEW_MATCHES)
        owner = actor.agency
    else:
        owner = Agency.objects.filter(is_operator=True).order_by("pk").first()
    if owner is None:
        raise ValidationError(_("A list needs an owner agency."))
    restriction_list = RestrictionList(
        name=name,
        kind=kind,
        owner=owner,
        country_id=country_code,
        visibility=visibility,
        in_self_check=in_self_check,
        appeal_route=appeal_route,
    )
    restriction_list.full_clean()
    restriction_list.save()
    record_audit(
        actor=actor,
        actor_label="" if actor is not None else COMMAND_LABEL,
        action=AuditEntry.Action.CREATE,
        target=restriction_list,
        fields=["name", "kind", "owner", "country", "visibility", "in_self_check"],
        subject_agency=owner,
    )
    return restriction_list


@cache
def _content_key() -> bytes:
    # Keyed like core's blind indexes (from the oldest field key), so a stored content hash
    # cannot be checked against guessed names and dates.
    return hashlib.sha256(
        b"hamroh-screening-content:" + settings.HAMROH_FIELD_KEYS[-1].encode()
    ).digest()


ENTRY_COLUMNS = ("version_id", "entry_id", "person", "document_index", "content_hash", *META_FIELDS)

_PACKED_KEYS = tuple((name, encode_basestring(name) + ":") for name in PERSON_FIELDS)


def _pack(person: dict[str, str]) -> str:
    """:meth:`PersonDocument.pack` of a list row's values (all text), written out with
    json's own string encoder: the same characters in a fraction of the time."""
    get = person.get
    return (
        "{"
        + ",".join(
            [key + encode_basestring(value) for name, key in _PACKED_KEYS if (value := get(name))]
        )
        + "}"
    )


def _entry_rows(version_id: int, rows: Iterable[ListRow]) -> Iterator[tuple[Any, ...]]:
    """Each entry as the values of :data:`ENTRY_COLUMNS`, personal values encrypted.

    A million entries go in as plain tuples (``COPY`` or ``executemany``): the ORM's
    per-field preparation would cost more than the encryption itself. Only text, numbers and
    None (dates as ISO text, as both databases read them), so a worker can send them back
    with :mod:`marshal`. The content hash is the keyed hash of ``json.dumps([person document,
    *list columns])``, written out with json's own string encoder (the same bytes, a fraction
    of the time).
    """
    content_hash = hmac.new(_content_key(), digestmod=hashlib.sha256)  # copied for each entry
    for row in rows:
        packed = _pack(row.person)
        meta = row.meta
        texts = [str(meta.get(name) or "") for name in META_FIELDS]
        canonical = "[" + ", ".join(map(encode_basestring_ascii, [packed, *texts])) + "]"
        keyed = content_hash.copy()
        keyed.update(canonical.encode())
        yield (
            version_id,
            row.entry_id,
            encrypt(packed),
            blind_index(row.person.get("document_number", "")),
            keyed.hexdigest(),
            texts[0],
            texts[1],
            texts[2],
            texts[3] or None,
            texts[4] or None,
            texts[5],
        )


PARALLEL_FROM = 50_000  # rows (estimated); smaller files are not worth starting processes for
CHUNK = 20_000  # rows checked and prepared by one forked worker


@dataclass
class _Loaded:
    """What the load learnt about the entries while they streamed past."""

    count: int = 0
    has_issue_dates: bool = False


def _check_and_prepare(
    version_id: int, layout: Layout, lines: Iterable[tuple[int, list[str]]]
) -> bytes | None:
    """Check and prepare one part of the file: the prepared rows and whether any has a
    passport issue date, marshalled (much quicker to write and read back than pickled), or
    None if the part has a problem (the parent then reads the whole file again for the
    full, ordered report); done in a forked worker."""
    try:
        rows = list(check_rows(layout, lines))
        issue_dates = any(row.person.get("document_issue_date") for row in rows)
        return marshal.dumps((list(_entry_rows(version_id, rows)), issue_dates))
    except ListFileError:
        return None


def _bad_file(data: bytes, file_name: str) -> ListFileError:
    """The file's problems, reported as one process reading it would (first twenty, in
    order, with the first line of every repeated entry)."""
    try:
        read_list_file(data, file_name)
    except ListFileError as error:
        return error
    raise RuntimeError("a part of the list file failed its checks, the whole file passed them")


def _prepared_batches(
    version_id: int, data: bytes, file_name: str, loaded: _Loaded, parallel: bool
) -> Iterator[list[tuple[Any, ...]]]:
    """The entries of the file, read, checked and ready to insert, in file order, in batches
    of at most :data:`BATCH`. Raises :class:`ListFileError` for a bad file, possibly after
    some batches came out (the caller writes them in a transaction that the error undoes).

    With ``parallel`` this process only splits the file into parts of about :data:`CHUNK`
    rows (see :func:`~hamroh.screening.list_file.split_list_file`: most files are cut at line
    ends, and only quoted ones split into cells here) and each part goes to a forked
    process, which reads, checks and prepares it (JSON, encryption, hashes) while this one
    splits the next parts and inserts the prepared ones; at most one worker per core runs at a time. An entry id repeated across
    chunks, or any problem in a chunk, stops the workers and the file is read again in this
    process for the report. An error ends every worker before it is raised."""
    if not parallel or not forked.usable():
        for chunk in chunks(iter_list_file(data, file_name), BATCH):
            loaded.count += len(chunk)
            loaded.has_issue_dates = loaded.has_issue_dates or any(
                row.person.get("document_issue_date") for row in chunk
            )
            yield list(_entry_rows(version_id, chunk))
        return
    layout, file_parts = split_list_file(data, file_name, CHUNK)
    seen: set[str] = set()
    parts = forked.in_forked_workers(
        file_parts,
        functools.partial(_check_and_prepare, version_id, layout),
        what="preparing list entries",
    )
    with contextlib.closing(parts):  # a bad file ends every worker before it is reported
        for part in parts:
            if part is None:
                raise _bad_file(data, file_name)
            prepared, issue_dates = marshal.loads(part)  # noqa: S302 (our own worker wrote it)
            seen.update(map(itemgetter(1), prepared))
            loaded.count += len(prepared)
            if len(seen) != loaded.count:  # an entry id that an earlier chunk had
                raise _bad_file(data, file_name)
            loaded.has_issue_dates = loaded.has_issue_dates or issue_dates
            for start in range(0, len(prepared), BATCH):
                yield prepared[start : start + BATCH]
    if not loaded.count:
        raise _bad_file(data, file_name)


def _insert_rows(
    table: str,
    columns: tuple[str, ...],
    batches: Iterable[list[tuple[Any, ...]]],
    written: Callable[[int], None] | None = None,
) -> None:
    """Write batches of plain tuples (``COPY`` on PostgreSQL, ``executemany`` on SQLite),
    calling ``written`` with the rows written so far after each batch. Hundreds of thousands of rows go in this way:
    the ORM's per-field preparation would cost more than the encryption of the values."""
    quoted_table = connection.ops.quote_name(table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    done = 0
    with connection.cursor() as cursor:
        for batch in batches:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quoted_table} ({quoted}) FROM STDIN") as copy:
                    for values in batch:
                        copy.write_row(values)
            else:
                insert = f"INSERT INTO {quoted_table} ({quoted}) VALUES ({marks})"  # noqa: S608 (names only)
                cursor.executemany(insert, batch)
            done += len(batch)
            if written is not None:
                written(done)


# Entries of the new version (n) against the previous one (o), matched by entry id through
# the (version, entry id) unique index: one INSERT … SELECT per kind of change.
_DIFF_SQL = {
    "added": (
        "SELECT n.entry_id FROM {entry} n LEFT JOIN {entry} o"
        " ON o.version_id = %s AND o.entry_id = n.entry_id"
        " WHERE n.version_id = %s AND o.id IS NULL",
        "old_new",
    ),
    "removed": (
        "SELECT o.entry_id FROM {entry} o LEFT JOIN {entry} n"
        " ON n.version_id = %s AND n.entry_id = o.entry_id"
        " WHERE o.version_id = %s AND n.id IS NULL",
        "new_old",
    ),
    "changed": (
        "SELECT n.entry_id FROM {entry} n JOIN {entry} o"
        " ON o.version_id = %s AND o.entry_id = n.entry_id"
        " WHERE n.version_id = %s AND o.content_hash <> n.content_hash",
        "old_new",
    ),
}


def _write_diff(previous_id: int, version_id: int) -> dict[str, int]:
    """Store what changed from the previous version; returns the count of each change."""
    entry = connection.ops.quote_name(ListEntry._meta.db_table)
    diff = connection.ops.quote_name(ListDiff._meta.db_table)
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for change, (select, order) in _DIFF_SQL.items():
            ids = [previous_id, version_id] if order == "old_new" else [version_id, previous_id]
            cursor.execute(
                f"INSERT INTO {diff} (version_id, entry_id, change) "  # noqa: S608 (names only)
                f"SELECT %s, entry_id, %s FROM ({select.format(entry=entry)}) AS found",
                [version_id, change, *ids],
            )
            counts[change] = cursor.rowcount
    return counts


def load_list(
    *,
    actor: User | None,
    restriction_list: RestrictionList,
    file_name: str,
    data: bytes,
    progress: Callable[[int, int], None] | None = None,
) -> ListVersion:
    """Load a partner's file as the list's new active version (the file is the whole list).

    The file is read, checked, prepared and written as one stream (large files by worker
    processes, see :func:`_prepared_batches`); the new version, its entries, its difference
    from the version in force and the switch of the active version happen in one
    transaction, so a failed load (a bad line late in the file included) leaves the
    previous version active and intact. Raises :class:`~hamroh.screening.list_file.ListFileError` for a bad file.
    ``actor=None`` is the command line (see :func:`create_list`).
    """
    if actor is not None:
        require(actor, Capability.REVIEW_MATCHES)
        require_list_owner(actor, restriction_list)
    expected = estimated_rows(data, file_name)
    loaded = _Loaded()
    with transaction.atomic():
        # Lock the list row so two loads of one list cannot both become active.
        RestrictionList.objects.select_for_update().get(pk=restriction_list.pk)
        previous = restriction_list.versions.filter(is_active=True).first()
        number = (restriction_list.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = ListVersion.objects.create(
            restriction_list=restriction_list,
            number=number,
            loaded_by=actor,
            source_name=file_name[:255],
        )
        # The file is read, checked, prepared and inserted as one stream: a bad line raises
        # here, after some entries may have been written, and the transaction undoes them.
        _insert_rows(
            ListEntry._meta.db_table,
            ENTRY_COLUMNS,
            _prepared_batches(
                version.pk, data, file_name, loaded, parallel=expected >= PARALLEL_FROM
            ),
            (lambda done: progress(done, max(done, expected))) if progress is not None else None,
        )
        count = loaded.count
        if progress is not None and count != expected:
            progress(count, count)
        if previous is None:
            counts = {"added": count, "removed": 0, "changed": 0}
        else:
            counts = _write_diff(previous.pk, version.pk)
            ListVersion.objects.filter(pk=previous.pk).update(is_active=False)
        version.entry_count = count
        version.added, version.removed = counts["added"], counts["removed"]
        version.changed = counts["changed"]
        version.has_issue_dates = loaded.has_issue_dates
        version.is_active = True
        version.save()
        record_audit(
            actor=actor,
            actor_label="" if actor is not None else COMMAND_LABEL,
            action=AuditEntry.Action.CREATE,
            target=version,
            fields=["entries", *ENTRY_FIELDS],
            subject_agency=restriction_list.owner,
        )
    return version


# --- Screening runs ------------------------------------------------------------------------


def _subject(row: ListRow) -> dict[str, object]:
    return {
        "id": row.entry_id,
        "person": {key: value for key, value in row.person.items() if value},
        **{key: row.meta.get(key) for key in ("consent", "contact", "language")},
    }


def _start_run(
    *,
    actor: User,
    scope: str,
    label: str,
    subjects: list[dict[str, object]] | None,
    enqueue: bool = True,
) -> ScreeningRun:
    require(actor, Capability.REVIEW_MATCHES)
    assert actor.agency is not None
    versions = list(
        ListVersion.objects.filter(
            is_active=True, restriction_list__in=lists_visible_to(actor)
        ).select_related("restriction_list")
    )
    if not versions:
        raise ValidationError(_("No restriction list is loaded yet: load a list first."))
    with transaction.atomic():
        run = ScreeningRun.objects.create(
            scope=scope,
            label=label[:200],
            agency=actor.agency,
            started_by=actor,
            subjects=json.dumps(subjects, ensure_ascii=False) if subjects is not None else "",
            total=len(subjects) if subjects is not None else 0,
        )
        run.versions.set(versions)
        record_audit(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            target=run,
            fields=["scope", "subjects", "versions"],
            subject_agency=actor.agency,
        )
        if enqueue:
            from hamroh.screening.tasks import run_screening

            transaction.on_commit(lambda: run_screening.enqueue(run.pk))
    return run


def screen_cohort(
    *, actor: User, file_name: str, data: bytes, enqueue: bool = True
) -> ScreeningRun:
    """Screen the people of a cohort file (e.g. everyone departing next week) in the background.

    ``enqueue=False`` leaves the run queued for the caller to execute (command line, demo).
    """
    rows = read_cohort_file(data, file_name)
    return _start_run(
        actor=actor,
        scope=ScreeningRun.Scope.COHORT,
        label=file_name,
        subjects=[_subject(row) for row in rows],
        enqueue=enqueue,
    )


def screen_person(*, actor: User, person: dict[str, str]) -> ScreeningRun:
    """Screen one person the officer typed in."""
    values = {key: str(person.get(key, "")).strip() for key in PERSON_FIELDS}
    if not (values["surname"] or values["given_name"] or values["full_name"]):
        raise ValidationError(_("Enter the person's name."))
    row = ListRow(entry_id="person", person=values, meta={})
    return _start_run(
        actor=actor, scope=ScreeningRun.Scope.PERSON, label="", subjects=[_subject(row)]
    )


def registry_available() -> bool:
    try:
        from hamroh.registry import selectors as registry_selectors
    except ImportError:
        return False
    return hasattr(registry_selectors, "iter_identity_records")


def screen_registry(*, actor: User, enqueue: bool = True) -> ScreeningRun:
    """Screen every person in the registry (when the registry app provides its records)."""
    if not registry_available():
        raise ValidationError(_("The registry is not available on this installation yet."))
    return _start_run(
        actor=actor,
        scope=ScreeningRun.Scope.REGISTRY,
        label="",
        subjects=None,
        enqueue=enqueue,
    )


@dataclass
class _Subject:
    person: dict[str, str]
    consent: bool = False
    contact: str = ""
    language: str = ""


@dataclass
class _Subjects:
    """The people of a run: the engine's records (a subject's reference is ``prefix`` and
    the record id) and, for people from a file or typed in, what they gave."""

    prefix: str
    records: list[PersonRecord]
    given: dict[str, _Subject] | None = None

    def of(self, ids: set[str]) -> dict[str, _Subject]:
        """The subjects with these record ids; registry people are read back from their
        records only here, for the few that were raised."""
        if self.given is not None:
            return self.given
        return {
            record.id: _Subject(
                person={
                    key: str(getattr(record, key, "") or "")
                    for key in PERSON_FIELDS
                    if key != "document_issue_date"
                }
            )
            for record in self.records
            if record.id in ids
        }


def _subjects_of(run: ScreeningRun) -> _Subjects:
    if run.scope == ScreeningRun.Scope.REGISTRY:
        from hamroh.registry import selectors as registry_selectors

        # The registry's records go to the engine as they come: no second round of parsing.
        return _Subjects("registry:", list(registry_selectors.iter_identity_records()))
    raw = json.loads(run.subjects or "[]")
    prefix = f"run{run.pk}:" if run.scope == ScreeningRun.Scope.PERSON else "cohort:"
    given = {
        str(item["id"]): _Subject(
            person=item.get("person") or {},
            consent=bool(item.get("consent")),
            contact=str(item.get("contact") or ""),
            language=str(item.get("language") or ""),
        )
        for item in raw
    }
    records = [indexes.person_record(key, subject.person) for key, subject in given.items()]
    return _Subjects(prefix, records, given)


def execute_run(run_id: int) -> ScreeningRun:
    """The body of a screening run (called by the background task).

    Screens every subject against every list version fixed when the run was requested,
    keeps the progress counters in the run row up to date, leaves out pairs a reviewer
    already rejected for that version, pairs already waiting or confirmed and entries whose
    restriction has ended (``valid_until`` in the past), and puts the rest in the reviewer
    queue.
    """
    run = ScreeningRun.objects.get(pk=run_id)
    if run.is_finished:
        return run
    ScreeningRun.objects.filter(pk=run.pk).update(
        status=ScreeningRun.Status.RUNNING, started_at=timezone.now()
    )
    try:
        subjects = _subjects_of(run)
        versions = list(run.versions.select_related("restriction_list"))
        total = len(subjects.records)
        ScreeningRun.objects.filter(pk=run.pk).update(total=total)
        raised = suppressed = 0
        last_update = 0.0
        for k, version in enumerate(versions):

            def progress(done: int, _total: int, k: int = k) -> None:
                nonlocal last_update
                now = time.monotonic()
                if now - last_update > 0.5 or done == total:
                    last_update = now
                    screened = (k * total + done) // len(versions)
                    ScreeningRun.objects.filter(pk=run.pk).update(screened=screened)

            index = indexes.index_for(version)
            found = list(screen(subjects.records, index, progress=progress))
            a, b = _store_matches(run, version, found, subjects)
            raised += a
            suppressed += b
        ScreeningRun.objects.filter(pk=run.pk).update(
            status=ScreeningRun.Status.DONE,
            screened=total,
            raised=raised,
            suppressed=suppressed,
            finished_at=timezone.now(),
            subjects="",  # the people were screened; their values stay only on raised matches
        )
    except Exception as error:
        ScreeningRun.objects.filter(pk=run.pk).update(
            status=ScreeningRun.Status.FAILED,
            finished_at=timezone.now(),
            error=type(error).__name__,
        )
        raise
    run.refresh_from_db()
    return run


# A possible match as written by a run (reviewer and review time stay empty).
MATCH_COLUMNS = (
    "run_id",
    "entry_id",
    "subject_ref",
    "person",
    "score",
    "decision",
    "reasons",
    "status",
    "review_reason",
    "consented",
    "contact",
    "contact_language",
    "created_at",
)


def _store_matches(
    run: ScreeningRun, version: ListVersion, found: list[Match], subjects: _Subjects
) -> tuple[int, int]:
    if not found:
        return 0, 0
    prefix = subjects.prefix
    rejected = set(
        RejectedPair.objects.filter(version=version).values_list("subject_ref", "entry_id")
    )
    open_pairs = set(
        PossibleMatch.objects.filter(
            entry__version=version,
            status__in=[PossibleMatch.Review.PENDING, PossibleMatch.Review.CONFIRMED],
        ).values_list("subject_ref", "entry__entry_id")
    )
    entry_pk: dict[str, int] = {}
    expired: set[str] = set()
    today = timezone.localdate()
    ids = list({m.entry_id for m in found})
    for start in range(0, len(ids), 900):
        for entry_id, pk, valid_until in (
            ListEntry.objects.filter(version=version, entry_id__in=ids[start : start + 900])
            .values_list("entry_id", "pk", "valid_until")
            .iterator()
        ):
            entry_pk[entry_id] = pk
            if valid_until is not None and valid_until < today:
                expired.add(entry_id)
    by_id = subjects.of({m.person_id for m in found})
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    suppressed = 0
    rows: list[tuple[Any, ...]] = []
    for m in found:
        ref = prefix + m.person_id
        # A restriction that has ended no longer stands against anyone (as in the self-check).
        if (
            (ref, m.entry_id) in rejected
            or (ref, m.entry_id) in open_pairs
            or m.entry_id in expired
        ):
            suppressed += 1
            continue
        subject = by_id[m.person_id]
        consented = subject.consent
        rows.append(
            (
                run.pk,
                entry_pk[m.entry_id],
                ref,
                encrypt(PersonDocument.pack(subject.person)),
                m.score,
                m.decision,
                m.reasons,
                PossibleMatch.Review.PENDING.value,
                "",
                consented and bool(subject.contact),
                encrypt(subject.contact) if consented else "",
                subject.language if consented else "",
                now,
            )
        )
    with transaction.atomic():
        batches = (rows[start : start + BATCH] for start in range(0, len(rows), BATCH))
        _insert_rows(PossibleMatch._meta.db_table, MATCH_COLUMNS, batches)
        record_audit(
            actor=run.started_by,
            action=AuditEntry.Action.CREATE,
            target=run,
            object_type="screening.possiblematch",
            fields=["subject", "entry", "score", "decision", "reasons"],
            subject_agency=run.agency,
        )
    return len(rows), suppressed


# --- Review ----------------------------------------------------------------------------------


def _check_reviewable(actor: User, match: PossibleMatch, reason: str) -> None:
    require(actor, Capability.REVIEW_MATCHES)
    if not actor.sees_all_agencies and match.run.agency_id != actor.agency_id:
        raise PermissionDenied(_("You can only work with your own agency."))
    if match.status != PossibleMatch.Review.PENDING:
        raise ValidationError(_("This match was already decided."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for your decision.")})


@transaction.atomic
def reject_match(*, actor: User, match: PossibleMatch, reason: str) -> PossibleMatch:
    """Not the same person: remembered, so the pair is not raised again for this version."""
    match = (
        PossibleMatch.objects.select_for_update().select_related("run", "entry").get(pk=match.pk)
    )
    _check_reviewable(actor, match, reason)
    match.status = PossibleMatch.Review.REJECTED
    match.reviewer = actor
    match.review_reason = reason.strip()
    match.reviewed_at = timezone.now()
    match.save(update_fields=["status", "reviewer", "review_reason", "reviewed_at"])
    RejectedPair.objects.get_or_create(
        subject_ref=match.subject_ref,
        version_id=match.entry.version_id,
        entry_id=match.entry.entry_id,
        defaults={"match": match},
    )
    record_audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        target=match,
        fields=["status", "reviewer", "review_reason"],
        subject_agency=match.run.agency,
    )
    return match


def _representations(restriction_list: RestrictionList, fallback: Agency) -> list[Agency]:
    found = list(
        Agency.objects.filter(
            kind=Agency.Kind.REPRESENTATION, country=restriction_list.country_id, is_active=True
        )
    )
    return found or [fallback]


def migrant_message_text(match: PossibleMatch, agencies: list[Agency], language: str) -> str:
    """What the person is told, in their language: the list, since when, and what to do."""
    entry = match.entry
    restriction_list = entry.version.restriction_list
    with translation.override(language or "tg"):
        lines = [
            _("Hamroh: a check before travel found you on the list “%(list)s”.")
            % {"list": restriction_list.name},
        ]
        if entry.valid_from:
            lines.append(_("In force since %(date)s.") % {"date": entry.valid_from.isoformat()})
        if entry.valid_until:
            lines.append(_("Until %(date)s.") % {"date": entry.valid_until.isoformat()})
        lines.append(_("Do not buy a ticket before you have clarified this."))
        if restriction_list.appeal_route:
            lines.append(_("How to appeal: %(route)s") % {"route": restriction_list.appeal_route})
        for agency in agencies:
            contacts = ", ".join(value for value in (agency.phone, agency.email) if value)
            lines.append(f"{agency.name}: {contacts}" if contacts else agency.name)
        return "\n".join(lines)


@transaction.atomic
def confirm_match(*, actor: User, match: PossibleMatch, reason: str) -> PossibleMatch:
    """The same person: the caseworkers of the representation in the list's country are
    notified, and the person too when they agreed to be contacted."""
    match = (
        PossibleMatch.objects.select_for_update()
        .select_related("run", "entry__version__restriction_list")
        .get(pk=match.pk)
    )
    _check_reviewable(actor, match, reason)
    match.status = PossibleMatch.Review.CONFIRMED
    match.reviewer = actor
    match.review_reason = reason.strip()
    match.reviewed_at = timezone.now()
    match.save(update_fields=["status", "reviewer", "review_reason", "reviewed_at"])
    restriction_list = match.entry.version.restriction_list
    agencies = _representations(restriction_list, match.run.agency)
    Notification.objects.bulk_create(
        [Notification(agency=agency, match=match) for agency in agencies]
    )
    fields = ["status", "reviewer", "review_reason", "notification"]
    if match.consented and match.contact:
        language = match.contact_language if match.contact_language in LANGUAGES else "tg"
        message = MigrantMessage.objects.create(
            match=match,
            contact=match.contact,
            language=language,
            body=migrant_message_text(match, agencies, language),
        )
        deliver_on_commit(message)  # by the background worker, after the commit
        fields.append("migrant_message")
    record_audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        target=match,
        fields=fields,
        subject_agency=match.run.agency,
    )
    return match


@transaction.atomic
def mark_notification_read(*, actor: User, notification: Notification) -> None:
    require(actor, Capability.HANDLE_CASES)
    if notification.agency_id != actor.agency_id:
        raise PermissionDenied(_("You can only work with your own agency."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
