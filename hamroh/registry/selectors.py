"""Reads of the registry. ``access_*`` fetches one record, checks the reader may see it and
writes the read into the audit chain; ``list_*`` returns what a user may list.

Scoping: people who registered themselves on the portal are in the national pool every
recruitment office works from; people registered or imported by an agency belong to it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from hamroh.core.models import AuditEntry, User
from hamroh.core.roles import Capability
from hamroh.core.services import record_audit, require
from hamroh.identity.engine import build_index, lookup
from hamroh.identity.engine.names import name_root
from hamroh.identity.engine.normalise import field_sounds
from hamroh.identity.engine.records import BirthDate, PersonRecord
from hamroh.registry.models import (
    CorrectionRequest,
    Document,
    Person,
    PersonName,
    RegistryImport,
)
from hamroh.registry.services import NameInput, hash_access_code, name_key

PERSON_READ_FIELDS = ["names", "sex", "birth_date", "region", "phone", "passport"]


def list_people_for(user: User) -> QuerySet[Person]:
    require(user, Capability.MANAGE_RECRUITMENT)
    people = Person.objects.filter(merged_into__isnull=True).select_related(
        "region", "district", "occupation"
    )
    if user.sees_all_agencies:
        return people
    return people.filter(Q(agency_id=user.agency_id) | Q(agency__isnull=True))


def with_details(people: QuerySet[Person]) -> QuerySet[Person]:
    return people.prefetch_related("names", "documents", "phones")


def access_person(*, user: User, public_id: str, fields: list[str] | None = None) -> Person:
    """One person's record for an officer, audited as a read of ``fields``."""
    try:
        person = with_details(list_people_for(user)).get(public_id=public_id)
    except Person.DoesNotExist:
        raise Http404 from None
    record_audit(
        actor=user,
        action=AuditEntry.Action.READ,
        target=person,
        fields=fields or PERSON_READ_FIELDS,
        subject_agency=person.agency,
    )
    return person


def find_by_access_code(code: str) -> Person | None:
    """The person holding this access code, or None. Not audited: the caller audits the read."""
    if not code.strip():
        return None
    return (
        with_details(Person.objects.filter(merged_into__isnull=True))
        .select_related("region", "district", "occupation")
        .filter(access_code_hash=hash_access_code(code))
        .first()
    )


def access_own_record(*, person_id: int) -> Person:
    """The person reading their own record on the portal (audited: they see it in the list)."""
    try:
        person = (
            with_details(Person.objects.filter(merged_into__isnull=True))
            .select_related("region", "district", "occupation")
            .get(pk=person_id)
        )
    except Person.DoesNotExist:
        raise Http404 from None
    record_audit(
        actor=None,
        actor_label="self (portal)",
        action=AuditEntry.Action.READ,
        target=person,
        fields=PERSON_READ_FIELDS,
        subject_agency=person.agency,
    )
    return person


def list_accesses_to_person(person: Person) -> QuerySet[AuditEntry]:
    """Every read and write of this person's record, newest first: the person may see it."""
    return AuditEntry.objects.filter(
        object_type=Person._meta.label_lower, object_id=str(person.pk)
    ).order_by("-seq")


def list_corrections_for(user: User) -> QuerySet[CorrectionRequest]:
    people = list_people_for(user)
    return CorrectionRequest.objects.filter(person__in=people.values("pk")).select_related("person")


def passport_of(person: Person) -> Document | None:
    passports = [d for d in person.documents.all() if d.kind == Document.Kind.PASSPORT]
    return passports[0] if passports else None


def iter_identity_records(*, every_name: bool = False, chunk: int = 5000) -> Iterator[PersonRecord]:
    """The registry as the identity engine reads it, for screening and deduplication.

    One record per person (the passport's Latin name first), or with ``every_name`` one per
    name the person has been known by (same ``id``), so a list entry in Russian Cyrillic or
    under a maiden name is found too. Not audited per person: the caller (a screening run)
    records its own audit entry for the batch. Reads plain rows in id ranges (no model
    objects): a registry of millions is read in one pass.
    """
    people = Person.objects.filter(merged_into__isnull=True).order_by("pk")
    last = 0
    while True:
        rows = list(
            people.filter(pk__gt=last).values_list(
                "pk", "public_id", "sex", "birth_year", "birth_month", "birth_day"
            )[:chunk]
        )
        if not rows:
            return
        first, last = rows[0][0], rows[-1][0]
        names: dict[int, list[tuple[Any, ...]]] = {}
        for name in (
            PersonName.objects.filter(person_id__gte=first, person_id__lte=last)
            .order_by("person_id", "valid_until", "id")
            .values_list(
                "person_id", "surname", "given_name", "patronymic", "script", "valid_until"
            )
        ):
            names.setdefault(name[0], []).append(name)
        passports = dict(
            Document.objects.filter(
                person_id__gte=first, person_id__lte=last, kind=Document.Kind.PASSPORT
            )
            .order_by("person_id", "id")  # the newest passport wins below
            .values_list("person_id", "number")
        )
        for pk, public_id, sex, year, month, day in rows:
            held = names.get(pk, [])
            if not every_name:
                current = [n for n in held if n[5] is None] or held
                current.sort(key=lambda n: n[4] != PersonName.Script.LATIN)
                held = current[:1]
            for name in held or [(pk, "", "", "", "", None)]:
                yield PersonRecord(
                    id=public_id,
                    surname=name[1],
                    given_name=name[2],
                    patronymic=name[3],
                    birth_date=BirthDate(year, month, day),
                    sex=sex,
                    nationality="TJK",
                    document_number=passports.get(pk, ""),
                )


# --- Likely duplicates of a person about to be registered -----------------------------------

DUPLICATE_BLOCK_LIMIT = 500  # people read for scoring; a surname family rarely holds more
_ROOT_MIN = 4  # shorter roots (Али-, Шо-) would pull in half the registry


@dataclass(frozen=True)
class LikelyDuplicate:
    """A registered person the identity engine judges may be the one being registered."""

    person: Person
    decision: str  # "match" (very likely the same person) or "review" (possibly)
    score: float
    reasons: str


def find_likely_duplicates(
    *,
    user: User,
    names: Sequence[NameInput],
    birth_date: BirthDate | None,
    sex: str = "",
    passport_number: str = "",
    limit: int = 10,
) -> list[LikelyDuplicate]:
    """People in the officer's scope who may be the person described, best first.

    Blocking is the people list's: the identity engine's phonetic key of each name field
    (``surname_key``, surname and given name both, for swapped fields), widened to every
    surname of the same root (Каримов, Каримова, Каримзода). The people found are read as
    the importer reads the registry (one record per name ever held, as in
    ``iter_identity_records(every_name=True)``) and each entered name is scored against them
    with the engine's :func:`lookup`: ``match`` and ``review`` pairs are returned. Not audited
    per person, like the people list: the officer sees names, birth year and region.
    """
    return likely_people_in(
        list_people_for(user),
        names=names,
        birth_date=birth_date,
        sex=sex,
        passport_number=passport_number,
        limit=limit,
    )


def likely_people_in(
    scope: QuerySet[Person],
    *,
    names: Sequence[NameInput],
    birth_date: BirthDate | None,
    sex: str = "",
    passport_number: str = "",
    limit: int = 10,
) -> list[LikelyDuplicate]:
    """:func:`find_likely_duplicates` within ``scope``, which the caller has checked."""
    keys: set[str] = set()
    roots: set[str] = set()
    for name in names:
        keys.update(k for k in (name_key(name.surname), name_key(name.given_name)) if k)
        root = name_root(field_sounds(name.surname))[0]
        if len(root) >= _ROOT_MIN:
            roots.add(root)
    if not keys:
        return []
    block = Q(surname_key__in=keys)
    for root in sorted(roots):
        block |= Q(surname_key__startswith=root)
    ids = list(
        scope.filter(pk__in=PersonName.objects.filter(block).values("person_id"))
        .order_by("-pk")
        .values_list("pk", "public_id", "sex", "birth_year", "birth_month", "birth_day")[
            :DUPLICATE_BLOCK_LIMIT
        ]
    )
    if not ids:
        return []
    by_pk = {row[0]: row for row in ids}
    passports = dict(
        Document.objects.filter(person_id__in=by_pk, kind=Document.Kind.PASSPORT)
        .order_by("person_id", "id")
        .values_list("person_id", "number")
    )
    records = [
        PersonRecord(
            id=by_pk[pk][1],
            surname=surname,
            given_name=given_name,
            patronymic=patronymic,
            birth_date=BirthDate(by_pk[pk][3], by_pk[pk][4], by_pk[pk][5]),
            sex=by_pk[pk][2],
            nationality="TJK",
            document_number=passports.get(pk, ""),
        )
        for pk, surname, given_name, patronymic in PersonName.objects.filter(
            person_id__in=by_pk
        ).values_list("person_id", "surname", "given_name", "patronymic")
    ]
    index = build_index(records)
    best: dict[str, tuple[int, float, str, str]] = {}
    for name in names:
        query = PersonRecord(
            id="new",
            surname=name.surname,
            given_name=name.given_name,
            patronymic=name.patronymic,
            birth_date=birth_date,
            sex=sex,
            nationality="TJK",
            document_number=passport_number,
        )
        for candidate in lookup(index, query, limit=limit):
            rank = 0 if candidate.decision == "match" else 1
            known = best.get(candidate.entry_id)
            if known is None or (rank, -candidate.score) < (known[0], -known[1]):
                best[candidate.entry_id] = (
                    rank,
                    candidate.score,
                    candidate.decision,
                    candidate.reasons,
                )
    if not best:
        return []
    ordered = sorted(best.items(), key=lambda item: (item[1][0], -item[1][1]))[:limit]
    found = {
        p.public_id: p
        for p in scope.filter(public_id__in=[public_id for public_id, _ in ordered])
        .prefetch_related("names")
        .order_by()
    }
    return [
        LikelyDuplicate(found[public_id], decision, score, reasons)
        for public_id, (_rank, score, decision, reasons) in ordered
        if public_id in found
    ]


def list_imports_for(user: User) -> QuerySet[RegistryImport]:
    """Files uploaded for import by the user's agency (every agency's for the operator)."""
    require(user, Capability.MANAGE_RECRUITMENT)
    imports = RegistryImport.objects.select_related("uploaded_by", "imported_by").defer("problems")
    if user.sees_all_agencies:
        return imports
    return imports.filter(agency_id=user.agency_id or 0)


def access_import(*, user: User, pk: int) -> RegistryImport:
    """One import with its report; another agency's is not found (404)."""
    try:
        return list_imports_for(user).defer(None).get(pk=pk)
    except RegistryImport.DoesNotExist:
        raise Http404 from None


def import_problems(record: RegistryImport) -> list[dict[str, Any]]:
    """The problems kept from the check: ``{line, column, message}``, messages in the
    language of the officer who uploaded the file."""
    return list(json.loads(record.problems)) if record.problems else []
