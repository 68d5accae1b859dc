"""The audit chain: append one entry, verify the whole chain.

Each entry's hash covers its own content and the previous entry's hash, so an
edited or deleted entry breaks every link after it. The chain head (one row)
anchors the end, so a deleted tail is noticed too. Only services call
:func:`append` (or :func:`append_many`); signals never do, because a signal cannot tell a read from a
migration or say which fields a person actually saw.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from functools import cache

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamroh.core import rows_sql
from hamroh.core.middleware import RequestContext, current_request_context
from hamroh.core.models import Agency, AuditChainHead, AuditEntry, User

GENESIS_HASH = "0" * 64


def _canonical(entry: AuditEntry) -> bytes:
    at = entry.at.astimezone(UTC).isoformat(timespec="microseconds")
    content = [
        entry.seq,
        at,
        entry.actor_id,
        entry.actor_label,
        entry.agency_code,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.subject_agency_code,
        list(entry.fields),
        entry.request_id,
        entry.ip,
        entry.prev_hash,
    ]
    return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_canonical(entry)).hexdigest()


@dataclass
class Pending:
    """One entry to append (:func:`append_many`): the arguments of :func:`append`, and the
    request it belongs to — taken when it is built, so entries prepared by several request
    threads and written by one keep each their own request id and address."""

    action: str
    actor: User | None = None
    target: models.Model | None = None
    object_type: str = ""
    object_id: str = ""
    fields: Iterable[str] = ()
    subject_agency: Agency | None = None
    actor_label: str = ""
    context: RequestContext | None = field(default_factory=current_request_context)


def append(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    fields: Iterable[str] = (),
    subject_agency: Agency | None = None,
    actor_label: str = "",
) -> AuditEntry:
    """Append one entry to the chain. Fields are names, never values."""
    pending = Pending(
        action=action,
        actor=actor,
        target=target,
        object_type=object_type,
        object_id=object_id,
        fields=fields,
        subject_agency=subject_agency,
        actor_label=actor_label,
    )
    return append_many([pending])[0]


def append_many(pending: Sequence[Pending]) -> list[AuditEntry]:
    """Append several entries in their order, under one lock of the chain head: the same
    entries, hashes and sequence numbers as appending them one by one, in fewer statements
    (the public intake writes the reports that arrive together this way)."""
    if not pending:
        return []
    # No savepoint inside the caller's transaction: an entry that cannot be written fails the
    # whole change it records, as it must.
    with transaction.atomic(savepoint=False):
        seq, prev_hash = _lock_head()
        entries = []
        for item in pending:
            seq += 1
            entry = _entry(item, seq=seq, prev_hash=prev_hash)
            prev_hash = entry.hash
            entries.append(entry)
        for start in range(0, len(entries), _ROWS_PER_INSERT):
            _write(entries[start : start + _ROWS_PER_INSERT])
    return entries


def _entry(item: Pending, *, seq: int, prev_hash: str) -> AuditEntry:
    object_type, object_id = item.object_type, item.object_id
    if item.target is not None:
        object_type = object_type or item.target._meta.label_lower
        object_id = object_id or str(item.target.pk)
    actor, context = item.actor, item.context
    agency = actor.agency if actor is not None and actor.agency_id else None
    entry = AuditEntry(
        seq=seq,
        at=timezone.now(),
        actor=actor,
        actor_label=item.actor_label or (actor.get_username() if actor is not None else ""),
        agency=agency,
        agency_code=agency.code if agency is not None else "",
        action=item.action,
        object_type=object_type,
        object_id=object_id,
        subject_agency_code=item.subject_agency.code if item.subject_agency is not None else "",
        fields=sorted(set(item.fields)),
        request_id=context.request_id if context else "",
        ip=context.ip if context else None,
        prev_hash=prev_hash,
    )
    entry.hash = compute_hash(entry)
    return entry


# Every audited request appends here, so the append is written in plain SQL: the head is
# read under a lock, then the entries are inserted and the head moved (on PostgreSQL in one
# statement). Two round trips instead of the ORM's three, and a fraction of its CPU
# (docs/performance.md, "Report intake").
_ENTRY_FIELDS = AuditEntry._meta.concrete_fields
# Rows per INSERT: well under SQLite's limit of bound values per statement.
_ROWS_PER_INSERT = 200


@cache
def _statements(vendor: str, for_update: str, rows: int) -> tuple[str, str, str]:
    # Table and column names from the models, values as placeholders only. On PostgreSQL the
    # entries go as one JSON document (``rows_sql``): one statement text for any number.
    quote = connection.ops.quote_name
    head = quote(AuditChainHead._meta.db_table)
    move = f"UPDATE {head} SET seq = %s, hash = %s WHERE id = 1"  # noqa: S608
    if vendor == "postgresql":
        insert = rows_sql.insert_sql(AuditEntry._meta.db_table, _ENTRY_FIELDS)
        insert, move = f"WITH entry AS ({insert}) {move}", ""
    else:
        columns = ", ".join(quote(column.column) for column in _ENTRY_FIELDS)
        row = "(" + ", ".join(["%s"] * len(_ENTRY_FIELDS)) + ")"
        values = ", ".join([row] * rows)
        insert = f"INSERT INTO {quote(AuditEntry._meta.db_table)} ({columns}) VALUES {values}"  # noqa: S608
    lock = f"SELECT seq, hash FROM {head} WHERE id = 1 {for_update}"  # noqa: S608
    return lock, insert, move


def _sql(rows: int = 1) -> tuple[str, str, str]:
    for_update = "FOR UPDATE" if connection.features.has_select_for_update else ""
    one_text = connection.vendor == "postgresql"  # any number of rows in one statement text
    return _statements(connection.vendor, for_update, 0 if one_text else rows)


def _lock_head() -> tuple[int, str]:
    lock = _sql()[0]
    with connection.cursor() as cursor:
        cursor.execute(lock)
        row = cursor.fetchone()
        if row is None:  # the first entry ever
            AuditChainHead.objects.get_or_create(id=1, defaults={"seq": 0, "hash": GENESIS_HASH})
            cursor.execute(lock)
            row = cursor.fetchone()
    return int(row[0]), str(row[1])


def _write(entries: list[AuditEntry]) -> None:
    _, insert, move = _sql(len(entries))
    rows = [
        [
            column.get_db_prep_save(getattr(entry, column.attname), connection)
            for column in _ENTRY_FIELDS
        ]
        for entry in entries
    ]
    last = entries[-1]
    with connection.cursor() as cursor:
        if move:
            cursor.execute(insert, [value for row in rows for value in row])
            cursor.execute(move, [last.seq, last.hash])
        else:
            cursor.execute(insert, [rows_sql.rows_json(_ENTRY_FIELDS, rows), last.seq, last.hash])
    for entry in entries:
        entry._state.adding = False
        entry._state.db = connection.alias


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    head_hash: str
    broken_seq: int | None = None
    problem: str = ""


def verify(*, chunk_size: int = 5000) -> ChainReport:
    """Walk the chain in order; report the first entry that does not fit."""
    expected_seq = 1
    prev_hash = GENESIS_HASH
    count = 0
    rows = AuditEntry.objects.order_by("seq").iterator(chunk_size=chunk_size)
    for entry in rows:
        if entry.seq != expected_seq:
            return ChainReport(
                False,
                count,
                prev_hash,
                expected_seq,
                _("entry %(seq)d is missing (the chain jumps to entry %(next)d)")
                % {"seq": expected_seq, "next": entry.seq},
            )
        if entry.prev_hash != prev_hash:
            return ChainReport(
                False,
                count,
                prev_hash,
                entry.seq,
                _("entry %(seq)d does not link to entry %(previous)d")
                % {"seq": entry.seq, "previous": entry.seq - 1},
            )
        if compute_hash(entry) != entry.hash:
            return ChainReport(
                False,
                count,
                prev_hash,
                entry.seq,
                _("entry %(seq)d was altered: its content does not match its hash")
                % {"seq": entry.seq},
            )
        prev_hash = entry.hash
        expected_seq += 1
        count += 1
    head = AuditChainHead.objects.filter(id=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if head_seq != count or head_hash != prev_hash:
        return ChainReport(
            False,
            count,
            prev_hash,
            count + 1 if head_seq > count else head_seq,
            _(
                "the chain ends at entry %(count)d but its head records entry %(head)d: "
                "entries were removed from the end or the head was altered"
            )
            % {"count": count, "head": head_seq},
        )
    return ChainReport(True, count, prev_hash)
