"""What other apps may rely on: the portal's signed-in person, and finding a caller in the
registry (the helpline console)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from hamroh.core.crypto import blind_index
from hamroh.core.models import AuditEntry, User
from hamroh.core.roles import Capability
from hamroh.core.services import record_audit, require
from hamroh.identity.engine.records import BirthDate
from hamroh.registry.models import Document, Person, Phone
from hamroh.registry.selectors import likely_people_in, with_details
from hamroh.registry.services import NameInput, name_key

PORTAL_SESSION_KEY = "registry_person_id"
CALLER_FIELDS = ["names", "birth_date", "region", "phone"]


def portal_person_id(request: HttpRequest) -> int | None:
    """The registry id of the person signed in on the portal with their access code, if any."""
    value = request.session.get(PORTAL_SESSION_KEY)
    return int(value) if value else None


@dataclass(frozen=True)
class Caller:
    """A registered person who may be the one on the line, and why."""

    public_id: str
    names: list[str]  # every name the person holds now, in each script
    birth_date: str  # as known: "1990", "1990-05" or "1990-05-17"
    region: str
    phones: list[str]
    found_by: str  # "passport", "phone", "surname", or the identity engine's "match" / "review"
    reasons: str


def _callers_scope(user: User) -> QuerySet[Person]:
    """Whom a helpline operator or caseworker may look up: like the recruitment offices,
    the national pool of people who registered themselves, plus their own agency's."""
    require(user, Capability.HANDLE_CASES)
    people = Person.objects.filter(merged_into__isnull=True)
    if user.sees_all_agencies:
        return people
    return people.filter(Q(agency_id=user.agency_id) | Q(agency__isnull=True))


def phone_variants(phone: str) -> set[str]:
    """Blind indexes of a phone as typed and as stored (+992 and the 9 national digits):
    callers rarely say the country code, registrations always have it."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    variants = {digits}
    if len(digits) == 9:
        variants.add("992" + digits)
    if len(digits) == 12 and digits.startswith("992"):
        variants.add(digits[3:])
    return {blind_index(v) for v in variants if len(v) >= 7}


def find_callers(
    *,
    user: User,
    phone: str = "",
    passport: str = "",
    name: str = "",
    birth_date: BirthDate | None = None,
    limit: int = 10,
) -> list[Caller]:
    """People in the registry who may be the caller, best evidence first.

    A passport or phone number is an exact (blind-index) look-up; a name in any script, with
    the birth date when the caller gives it, goes through the identity engine. The result is
    audited as one search naming the criteria used, and each person shown as a read.
    """
    scope = _callers_scope(user)
    found: dict[str, tuple[str, str]] = {}
    criteria: list[str] = []
    if passport.strip():
        criteria.append("passport")
        owners = Document.objects.filter(
            kind=Document.Kind.PASSPORT, number_index=blind_index(passport)
        ).values("person_id")
        for public_id in scope.filter(pk__in=owners).values_list("public_id", flat=True):
            found.setdefault(public_id, ("passport", ""))
    if phone.strip():
        criteria.append("phone")
        phones = Phone.objects.filter(number_index__in=phone_variants(phone)).values("person_id")
        for public_id in scope.filter(pk__in=phones).values_list("public_id", flat=True)[:limit]:
            found.setdefault(public_id, ("phone", ""))
    words = name.split()
    if len(words) == 1:
        # A surname alone is too little for the engine to judge: list the people whose
        # surname sounds the same (as the people list does), narrowed by the birth year.
        criteria.append("name")
        same = scope.filter(names__surname_key=name_key(words[0]))
        if birth_date is not None:
            same = same.filter(birth_year=birth_date.year)
        for public_id in (
            same.distinct().order_by("-pk").values_list("public_id", flat=True)[:limit]
        ):
            found.setdefault(public_id, ("surname", ""))
    elif words:
        criteria.append("name")
        orders = [words, [*words[1:], words[0]]]
        names = [
            NameInput(surname=w[0], given_name=w[1], patronymic=" ".join(w[2:])) for w in orders
        ]
        for likely in likely_people_in(
            scope, names=names, birth_date=birth_date, passport_number=passport, limit=limit
        ):
            found.setdefault(likely.person.public_id, (likely.decision, likely.reasons))
    if not criteria:
        return []
    record_audit(
        actor=user,
        action=AuditEntry.Action.READ,
        object_type=Person._meta.label_lower,
        object_id="search",
        fields=criteria,
    )
    people = {
        p.public_id: p
        for p in with_details(scope.filter(public_id__in=list(found)[:limit])).select_related(
            "region", "agency"
        )
    }
    callers = []
    for public_id, (found_by, reasons) in found.items():
        person = people.get(public_id)
        if person is None:
            continue
        record_audit(
            actor=user,
            action=AuditEntry.Action.READ,
            target=person,
            fields=CALLER_FIELDS,
            subject_agency=person.agency,
        )
        callers.append(
            Caller(
                public_id=public_id,
                names=[n.full for n in person.current_names()],
                birth_date=person.birth_date_text,
                region=str(person.region.name) if person.region else "",
                phones=[p.number for p in person.phones.all()],
                found_by=found_by,
                reasons=reasons,
            )
        )
    return callers
