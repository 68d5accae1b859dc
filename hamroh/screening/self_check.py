"""The migrant's pre-travel self-check, built so that it cannot be used to read a list.

* The answer is "found on list X since DATE" only when the name, the complete birth date
  and the passport number all agree with one entry (and the passport's issue date, when the
  list records one). Anything else, including a form with too little detail, gets the one
  "no record found" answer: same status, same shape, same wording.
* Other people's entries and near misses are never mentioned.
* Every check counts against two limits before anything is looked up: per address and
  per identity (a keyed hash of the normalised name and birth date), kept in the cache.
* Every answer takes at least :data:`FLOOR_SECONDS`, so a "found" cannot be told from a
  "no record" by its timing.
* Every check is audited (which fields were given) and counted; no value is stored, and
  whether the person was found is not stored either.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import unicodedata
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamroh.core.crypto import blind_index
from hamroh.core.models import AuditEntry
from hamroh.core.services import record_audit
from hamroh.identity.engine import BirthDate, Index, PersonRecord, lookup
from hamroh.screening import indexes
from hamroh.screening.models import ListEntry, ListVersion, SelfCheck


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


# Below the 50 ms target for the whole request, above the slowest look-up measured against a
# million-entry list (docs/performance.md).
FLOOR_SECONDS = _env_int("HAMROH_SELF_CHECK_FLOOR_MS", 25) / 1000
IP_LIMIT = (_env_int("HAMROH_SELF_CHECK_PER_ADDRESS", 20), 3600)  # checks per address per hour
IDENTITY_LIMIT = (_env_int("HAMROH_SELF_CHECK_PER_IDENTITY", 5), 24 * 3600)  # per identity a day
FIELDS = ("full_name", "birth_date", "document_number", "document_issue_date")


@dataclass(frozen=True)
class Answer:
    """The one shape every answer has, whatever happened."""

    result: str  # "found" or "no_record"
    title: str
    message: str
    advice: list[str] = field(default_factory=list)
    list_name: str = ""
    since: dt.date | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "result": self.result,
            "title": self.title,
            "message": self.message,
            "advice": list(self.advice),
            "list": self.list_name or None,
            "since": self.since.isoformat() if self.since else None,
        }


class RateLimited(Exception):
    """Too many checks from one address or for one identity."""


class NotReady(Exception):
    """A list's index is still being built in this process: ask the person to come back.

    Never answered with "no record": a person on the list must not be told they are not.
    """


def no_record() -> Answer:
    return Answer(
        result="no_record",
        title=_("No record found"),
        message=_(
            "We found no restriction matching all the details you entered. This is not a "
            "guarantee: lists change, and a partner's list may be missing here."
        ),
        advice=[
            _(
                "Enter your name exactly as in your passport, your full birth date and your passport number."
            ),
            _("Check again shortly before you travel."),
            _("Use the official services of the country you travel to as well."),
            _("If you are stopped at the border, call the helpline."),
        ],
    )


def found(entry: ListEntry) -> Answer:
    restriction_list = entry.version.restriction_list
    since = entry.valid_from or entry.version.loaded_at.date()
    advice = [_("Do not buy a ticket before you have clarified this.")]
    if restriction_list.appeal_route:
        advice.append(restriction_list.appeal_route)
    advice.append(
        _(
            "Contact the representation of the Ministry of Labour, Migration and Employment or call the helpline: they help you appeal and tell you your rights."
        )
    )
    return Answer(
        result="found",
        title=_("You are on a restriction list"),
        message=_("Found on the list “%(list)s” since %(date)s.")
        % {"list": restriction_list.name, "date": since.isoformat()},
        advice=advice,
        list_name=restriction_list.name,
        since=since,
    )


def _normalised_name(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    words = "".join(ch if ch.isalpha() else " " for ch in text).split()
    return " ".join(sorted(words))


def _count(key: str, limit: tuple[int, int]) -> bool:
    """Count one check under ``key``; False once the limit is passed."""
    allowed, window = limit
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= allowed


def _parse(values: dict[str, str]) -> tuple[PersonRecord, str, str] | None:
    """The query, or None when the detail is not enough for a "found" answer."""
    name = values.get("full_name", "").strip()
    document = blind_index(values.get("document_number", ""))
    if not name or not document:
        return None
    try:
        birth = BirthDate.parse(values.get("birth_date", ""))
    except ValueError:
        return None
    if birth is None or not birth.complete:
        return None
    issue = values.get("document_issue_date", "").strip()
    if issue:
        try:
            issue = dt.date.fromisoformat(issue).isoformat()
        except ValueError:
            return None
    return PersonRecord(id="self-check", full_name=name, birth_date=birth), document, issue


def _ready_indexes() -> list[tuple[ListVersion, Index]]:
    """Every list answering self-checks with its index; :class:`NotReady` if one is building.

    Checked for every request, whatever was typed, so that while a list is being indexed
    every answer is the same "come back later".
    """
    versions = ListVersion.objects.filter(
        is_active=True, restriction_list__in_self_check=True
    ).select_related("restriction_list")
    ready = []
    for version in versions:
        index = indexes.index_if_ready(version)
        if index is None:
            raise NotReady
        ready.append((version, index))
    return ready


def _search(
    ready: list[tuple[ListVersion, Index]], query: PersonRecord, document: str, issue: str
) -> ListEntry | None:
    for version, index in ready:
        candidates = lookup(index, query, limit=50)
        if not candidates:
            continue
        entries = ListEntry.objects.filter(
            version=version,
            entry_id__in=[c.entry_id for c in candidates],
            document_index=document,
        ).select_related("version__restriction_list")
        today = timezone.localdate()
        for entry in entries:
            if entry.valid_until is not None and entry.valid_until < today:
                continue  # an expired restriction no longer stands against the person
            values = entry.person_values
            if values.get("birth_date") != str(query.birth_date):
                continue
            entry_issue = values.get("document_issue_date", "")
            if entry_issue and entry_issue != issue:
                continue
            return entry
    return None


def self_check(*, values: dict[str, str], ip: str | None, channel: str) -> Answer:
    """Answer one self-check; raises :class:`RateLimited` past a limit, :class:`NotReady`
    while a large list's index is still being built after a restart or a new version.

    ``values`` holds ``full_name``, ``birth_date`` (YYYY-MM-DD), ``document_number`` and
    optionally ``document_issue_date``; missing or malformed values are not an error, only
    not enough for a "found".
    """
    started = time.monotonic()
    given = [name for name in FIELDS if str(values.get(name, "")).strip()]
    try:
        ip_ok = _count(f"screening:self-check:ip:{blind_index(ip or 'unknown')}", IP_LIMIT)
        identity = blind_index(
            _normalised_name(values.get("full_name", "")) + "|" + values.get("birth_date", "")
        )
        identity_ok = _count(f"screening:self-check:id:{identity}", IDENTITY_LIMIT)
        if not (ip_ok and identity_ok):
            _log(channel, given, SelfCheck.Outcome.LIMITED)
            raise RateLimited
        try:
            ready = _ready_indexes()
        except NotReady:
            _log(channel, given, SelfCheck.Outcome.UNAVAILABLE)
            raise
        parsed = _parse({key: str(values.get(key, "")) for key in FIELDS})
        entry = _search(ready, *parsed) if parsed is not None else None
        answer = found(entry) if entry is not None else no_record()
        _log(channel, given, SelfCheck.Outcome.ANSWERED)
        return answer
    finally:
        remaining = FLOOR_SECONDS - (time.monotonic() - started)
        if remaining > 0:
            time.sleep(remaining)


@transaction.atomic
def _log(channel: str, given: list[str], outcome: str) -> None:
    check = SelfCheck.objects.create(channel=channel, fields=given, outcome=outcome)
    record_audit(
        actor=None,
        actor_label="self-check",
        action=AuditEntry.Action.READ,
        object_type="screening.selfcheck",
        object_id=str(check.pk),
        fields=given,
    )
