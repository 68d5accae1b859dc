"""Every write in the registry: registering people, changing their record, corrections.

Each service validates, writes and appends the audit entry in one transaction, so the portal,
the desk, the API and the importer behave alike.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hamroh.core.crypto import blind_index, decrypt_bytes, encrypt_bytes
from hamroh.core.models import AuditEntry, Occupation, Subdivision, User
from hamroh.core.roles import Capability
from hamroh.core.services import record_audit, require
from hamroh.identity.engine.normalise import field_sounds, merge_doubles
from hamroh.identity.engine.records import BirthDate
from hamroh.registry.models import (
    CorrectionRequest,
    Document,
    Education,
    Language,
    Person,
    PersonMerge,
    PersonName,
    Phone,
    RegistryImport,
    Sex,
)
from hamroh.registry.signals import people_merged, person_registered

if TYPE_CHECKING:  # importing reads the identity engine's CSV contract: loaded when used
    from hamroh.registry.importing import ImportReport

# The consent text a person agrees to is versioned: the version is stored with the consent,
# and the text of each version stays in the portal template (see docs/registry.md).
CONSENT_VERSION = "2026-11"

# Unambiguous letters and digits (no 0/O, 1/I/L): read aloud over a phone without mistakes.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_ID_TABLE = bytes(ord(_ID_ALPHABET[b & 31]) for b in range(256))


@dataclass(frozen=True)
class NameInput:
    surname: str
    given_name: str
    patronymic: str = ""
    script: str = PersonName.Script.LATIN
    source: str = PersonName.Source.PASSPORT


def new_public_ids(count: int) -> list[str]:
    """``P`` and 11 random characters each (55 bits): no personal data, nothing to guess.
    Each character is a random byte's low 5 bits (256 is a multiple of 32, so every character
    is equally likely); a million take well under a second, for the registry import."""
    text = secrets.token_bytes(11 * count).translate(_ID_TABLE).decode("ascii")
    return ["P" + text[i : i + 11] for i in range(0, 11 * count, 11)]


def new_public_id() -> str:
    return new_public_ids(1)[0]


def new_access_code() -> str:
    """Four groups of four characters (about 79 bits): unguessable even without the limit."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def hash_access_code(code: str) -> str:
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def name_key(text: str) -> str:
    """The identity engine's phonetic key of a name field (a sound, not a spelling)."""
    return merge_doubles(field_sounds(text))[:40]


def _check_birth_date(birth: BirthDate) -> None:
    today = date.today()
    if birth.year > today.year or birth.year < today.year - 100:
        raise ValidationError({"birth_date": _("Enter a real date of birth.")})


def _check_region(region: Subdivision, district: Subdivision | None) -> None:
    if region.kind != Subdivision.Kind.REGION:
        raise ValidationError({"region": _("Choose a region.")})
    if district is not None and district.parent_id != region.pk:
        raise ValidationError({"district": _("This district is not in the region chosen.")})


def _check_passport_free(index: str, person: Person | None) -> None:
    taken = Document.objects.filter(kind=Document.Kind.PASSPORT, number_index=index)
    if person is not None:
        taken = taken.exclude(person=person)
    if taken.exists():
        raise ValidationError(
            {
                "passport_number": _(
                    "This passport number is already registered to another person. "
                    "If it is yours, use your access code or visit a recruitment office."
                )
            }
        )


def check_passport_free(passport_number: str, person: Person | None = None) -> None:
    """Raise the located "already registered" error if another person holds this passport.

    For forms that check before asking anything else (the desk registration looks for
    duplicates only once the passport is known to be free); the services check again.
    """
    index = blind_index(passport_number)
    if index:
        _check_passport_free(index, person)


def _check_names(names: Sequence[NameInput]) -> None:
    if not names:
        raise ValidationError({"names": _("Enter the name as written in the passport.")})
    for name in names:
        if not name.surname.strip() or not name.given_name.strip():
            raise ValidationError({"names": _("Enter both the surname and the given name.")})
        if name.script not in PersonName.Script.values:
            raise ValidationError({"names": _("Unknown script of a name.")})


def _check_languages(languages: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(languages))
    unknown = set(chosen) - set(Language.values)
    if unknown:
        raise ValidationError({"languages": _("Unknown language.")})
    return chosen


def _add_name(person: Person, name: NameInput) -> PersonName:
    return PersonName.objects.create(
        person=person,
        surname=name.surname.strip(),
        given_name=name.given_name.strip(),
        patronymic=name.patronymic.strip(),
        script=name.script,
        source=name.source,
        surname_key=name_key(name.surname),
        given_key=name_key(name.given_name),
    )


@transaction.atomic
def register_person(
    *,
    actor: User | None,
    names: Sequence[NameInput],
    sex: str,
    birth_date: BirthDate,
    region: Subdivision,
    district: Subdivision | None = None,
    phone: str = "",
    passport_number: str = "",
    passport_issue_date: date | None = None,
    passport_expiry_date: date | None = None,
    education: str = "",
    occupation: Occupation | None = None,
    languages: Iterable[str] = (),
    telegram: str = "",
    consent: bool,
    consent_version: str = CONSENT_VERSION,
    source: str = Person.Source.PORTAL,
) -> tuple[Person, str]:
    """Register one person; returns the person and their personal access code.

    ``actor`` is None when the person registers themselves on the portal. The access code is
    returned once and only its hash is kept.
    """
    if actor is not None:
        require(actor, Capability.MANAGE_RECRUITMENT)
    if not consent:
        raise ValidationError(
            {"consent": _("Registration needs your consent to the use of your data.")}
        )
    if sex not in Sex.values:
        raise ValidationError({"sex": _("Choose male or female.")})
    if education and education not in Education.values:
        raise ValidationError({"education": _("Unknown level of education.")})
    _check_names(names)
    _check_birth_date(birth_date)
    _check_region(region, district)
    chosen_languages = _check_languages(languages)
    passport_index = blind_index(passport_number)
    if passport_index:
        _check_passport_free(passport_index, None)
    if passport_issue_date and passport_expiry_date and passport_expiry_date <= passport_issue_date:
        raise ValidationError(
            {"passport_expiry_date": _("The passport expires before it was issued.")}
        )
    code = new_access_code()
    person = Person.objects.create(
        public_id=new_public_id(),
        sex=sex,
        birth_year=birth_date.year,
        birth_month=birth_date.month,
        birth_day=birth_date.day,
        region=region,
        district=district,
        education=education,
        occupation=occupation,
        languages=chosen_languages,
        telegram=telegram.strip(),
        consent_at=timezone.now(),
        consent_version=consent_version,
        source=source,
        agency=actor.agency if actor is not None else None,
        created_by=actor,
        access_code_hash=hash_access_code(code),
    )
    for name in names:
        _add_name(person, name)
    if passport_index:
        Document.objects.create(
            person=person,
            kind=Document.Kind.PASSPORT,
            number=passport_number.strip(),
            number_index=passport_index,
            issue_date=passport_issue_date,
            expiry_date=passport_expiry_date,
        )
    if blind_index(phone):
        Phone.objects.create(person=person, number=phone.strip(), number_index=blind_index(phone))
    record_audit(
        actor=actor,
        actor_label="" if actor is not None else "self (portal)",
        action=AuditEntry.Action.CREATE,
        target=person,
        fields=["names", "sex", "birth_date", "region", "phone", "passport", "consent"],
        subject_agency=person.agency,
    )
    person_registered.send(sender=Person, person=person)
    return person, code


PERSON_FIELDS = ("sex", "birth_date", "region", "district", "education", "occupation", "languages")


@transaction.atomic
def update_person(*, actor: User, person: Person, **changes: Any) -> Person:
    """Change the facts of a record; ``phone`` and ``passport_*`` replace the current ones."""
    require(actor, Capability.MANAGE_RECRUITMENT)
    _require_scope(actor, person)
    unknown = (
        set(changes)
        - set(PERSON_FIELDS)
        - {
            "phone",
            "passport_number",
            "passport_issue_date",
            "passport_expiry_date",
        }
    )
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    changed: set[str] = set()
    if "birth_date" in changes:
        birth = changes.pop("birth_date")
        _check_birth_date(birth)
        if (person.birth_year, person.birth_month, person.birth_day) != (
            birth.year,
            birth.month,
            birth.day,
        ):
            person.birth_year, person.birth_month, person.birth_day = (
                birth.year,
                birth.month,
                birth.day,
            )
            changed.add("birth_date")
    if "languages" in changes:
        changes["languages"] = _check_languages(changes["languages"])
    for field in ("sex", "region", "district", "education", "occupation", "languages"):
        if field in changes and getattr(person, field) != changes[field]:
            setattr(person, field, changes[field])
            changed.add(field)
    _check_region(person.region, person.district)
    if "phone" in changes:
        index = blind_index(changes["phone"])
        if not person.phones.filter(number_index=index).exists():
            person.phones.all().delete()
            if index:
                Phone.objects.create(
                    person=person, number=changes["phone"].strip(), number_index=index
                )
            changed.add("phone")
    if changes.get("passport_number"):
        index = blind_index(changes["passport_number"])
        _check_passport_free(index, person)
        passport = person.documents.filter(kind=Document.Kind.PASSPORT).first()
        if passport is None:
            passport = Document(person=person, kind=Document.Kind.PASSPORT)
        passport.number = changes["passport_number"].strip()
        passport.number_index = index
        passport.issue_date = changes.get("passport_issue_date", passport.issue_date)
        passport.expiry_date = changes.get("passport_expiry_date", passport.expiry_date)
        passport.save()
        changed.add("passport")
    if changed:
        person.save()
        record_audit(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            target=person,
            fields=changed,
            subject_agency=person.agency,
        )
    return person


@transaction.atomic
def change_name(
    *, actor: User, person: Person, name: NameInput, changed_on: date | None = None
) -> PersonName:
    """A new name in one script (after marriage, a new passport): the old one is kept, closed."""
    require(actor, Capability.MANAGE_RECRUITMENT)
    _require_scope(actor, person)
    _check_names([name])
    person.names.filter(script=name.script, valid_until__isnull=True).update(
        valid_until=changed_on or date.today()
    )
    added = _add_name(person, name)
    record_audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        target=person,
        fields=["names"],
        subject_agency=person.agency,
    )
    return added


@transaction.atomic
def request_correction(*, person: Person, text: str) -> CorrectionRequest:
    """The person asks for a correction of their own record (from the portal)."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write what is wrong and how it should read.")})
    if len(text) > 2000:
        raise ValidationError({"text": _("Keep it under 2000 characters.")})
    correction = CorrectionRequest.objects.create(person=person, text=text)
    record_audit(
        actor=None,
        actor_label="self (portal)",
        action=AuditEntry.Action.CREATE,
        target=person,
        fields=["correction_request"],
        subject_agency=person.agency,
    )
    return correction


@transaction.atomic
def resolve_correction(
    *, actor: User, correction: CorrectionRequest, status: str, answer: str = ""
) -> CorrectionRequest:
    require(actor, Capability.MANAGE_RECRUITMENT)
    _require_scope(actor, correction.person)
    if status not in (CorrectionRequest.Status.DONE, CorrectionRequest.Status.REJECTED):
        raise ValidationError({"status": _("Choose corrected or not corrected.")})
    correction.status = status
    correction.answer = answer.strip()
    correction.handled_by = actor
    correction.handled_at = timezone.now()
    correction.save()
    record_audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        target=correction.person,
        fields=["correction_request"],
        subject_agency=correction.person.agency,
    )
    return correction


def _require_scope(actor: User, person: Person) -> None:
    if not (actor.sees_all_agencies or person.agency_id in (None, actor.agency_id)):
        raise PermissionDenied(_("This person is registered by another agency."))


def reissue_access_code(*, actor: User, person: Person) -> str:
    """An officer gives a person who lost their code a new one (the old one stops working)."""
    require(actor, Capability.MANAGE_RECRUITMENT)
    _require_scope(actor, person)
    code = new_access_code()
    person.access_code_hash = hash_access_code(code)
    person.save(update_fields=["access_code_hash", "updated_at"])
    record_audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        target=person,
        fields=["access_code"],
        subject_agency=person.agency,
    )
    return code


_MOVABLE: dict[str, Any] = {
    "names": PersonName,
    "documents": Document,
    "phones": Phone,
    "corrections": CorrectionRequest,
}


@transaction.atomic
def merge_people(*, actor: User, kept: Person, merged: Person) -> PersonMerge:
    """Merge a duplicate record into the one kept. Nothing is deleted: the duplicate's names
    (as former names), documents, phones and correction requests move over, the duplicate
    points at the kept record, and the merge can be undone (``undo_merge``)."""
    require(actor, Capability.MANAGE_RECRUITMENT)
    _require_scope(actor, kept)
    _require_scope(actor, merged)
    if kept.pk == merged.pk or kept.merged_into_id or merged.merged_into_id:
        raise ValidationError(_("These two records cannot be merged."))
    if merged.applications.exists():
        raise ValidationError(
            _("The duplicate has applications: finish or withdraw them before merging.")
        )
    moved: dict[str, list[int]] = {}
    for kind, model in _MOVABLE.items():
        ids = list(model.objects.filter(person=merged).values_list("pk", flat=True))
        model.objects.filter(pk__in=ids).update(person=kept)
        moved[kind] = ids
    # The duplicate's names stay findable but are not the kept record's current names.
    PersonName.objects.filter(pk__in=moved["names"], valid_until__isnull=True).update(
        valid_until=date.today()
    )
    merged.merged_into = kept
    merged.save(update_fields=["merged_into", "updated_at"])
    merge = PersonMerge.objects.create(kept=kept, merged=merged, moved=moved, merged_by=actor)
    for person in (kept, merged):
        record_audit(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            target=person,
            fields=["merge", *moved.keys()],
            subject_agency=person.agency,
        )
    people_merged.send(sender=Person, kept=kept, merged=merged)
    return merge


@transaction.atomic
def undo_merge(*, actor: User, merge: PersonMerge) -> PersonMerge:
    require(actor, Capability.MANAGE_RECRUITMENT)
    _require_scope(actor, merge.kept)
    if merge.undone_at is not None:
        raise ValidationError(_("This merge was already undone."))
    for kind, model in _MOVABLE.items():
        model.objects.filter(pk__in=merge.moved.get(kind, []), person=merge.kept).update(
            person=merge.merged
        )
    PersonName.objects.filter(pk__in=merge.moved.get("names", [])).update(valid_until=None)
    Person.objects.filter(pk=merge.merged_id).update(merged_into=None)
    merge.undone_by = actor
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_by", "undone_at"])
    for person in (merge.kept, merge.merged):
        record_audit(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            target=person,
            fields=["merge_undone"],
            subject_agency=person.agency,
        )
    return merge


# --- Importing a file at the desk -------------------------------------------------------------
#
# The rules of reading and checking a file live in ``importing`` (shared with the command
# line); these services keep the upload, run the check and the import as background tasks,
# and write the audit entries. The upload is encrypted with the field keys and kept in the
# data folder under a random name only while it can still be imported.

MAX_IMPORT_BYTES = 50 * 1024 * 1024
IMPORT_SUFFIXES = (".csv", ".txt", ".xlsx")
MAX_STORED_PROBLEMS = 10_000


def check_import_upload(file_name: str, size: int) -> None:
    """The file's type and size, before anything is read or kept."""
    if not file_name.lower().endswith(IMPORT_SUFFIXES):
        raise ValidationError(_("Upload a CSV or Excel (.xlsx) file."), code="type")
    if size > MAX_IMPORT_BYTES:
        raise ValidationError(
            _(
                "The file is larger than %(mb)d MB. Split it, or ask the administrator to "
                "import it with the command line."
            )
            % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)},
            code="size",
        )


def _uploads_dir() -> Path:
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def upload_path(record: RegistryImport) -> Path | None:
    return _uploads_dir() / record.stored_name if record.stored_name else None


def read_upload(record: RegistryImport) -> bytes:
    path = upload_path(record)
    if path is None or not path.exists():
        raise FileNotFoundError("the upload was deleted")
    return decrypt_bytes(path.read_bytes())


def _delete_upload(record: RegistryImport) -> None:
    path = upload_path(record)
    if path is not None:
        path.unlink(missing_ok=True)
        _progress_path(path).unlink(missing_ok=True)


def _progress_path(upload: Path) -> Path:
    return upload.with_name(upload.name + ".progress")


def import_progress(record: RegistryImport) -> tuple[int, int]:
    """(people written, people to write) while an import runs. The rows go in in one
    transaction, which other connections cannot see into, so the worker writes its progress
    to a small file beside the upload (the web and the worker share the data folder)."""
    path = upload_path(record)
    try:
        done, total = (path and _progress_path(path).read_text().split()) or ("0", "0")
        return int(done), int(total)
    except (OSError, ValueError):
        return 0, record.rows_valid


def _require_import_scope(actor: User, record: RegistryImport) -> None:
    if not (actor.sees_all_agencies or record.agency_id == actor.agency_id):
        raise PermissionDenied(_("This import belongs to another agency."))


def upload_import(
    *, actor: User, file_name: str, data: bytes, enqueue: bool = True
) -> RegistryImport:
    """Keep an uploaded file (encrypted) and check it in the background; nothing is imported
    until an officer commits the checked file (:func:`commit_import`)."""
    require(actor, Capability.MANAGE_RECRUITMENT)
    if actor.agency is None:
        raise PermissionDenied(_("Your account belongs to no agency."))
    check_import_upload(file_name, len(data))
    discard_stale_imports()
    stored_name = secrets.token_hex(16)
    path = _uploads_dir() / stored_name
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(encrypt_bytes(data))
    csv_like = not file_name.lower().endswith(".xlsx")
    try:
        with transaction.atomic():
            record = RegistryImport.objects.create(
                agency=actor.agency,
                uploaded_by=actor,
                file_name=Path(file_name).name[:255],
                stored_name=stored_name,
                size=len(data),
                language=translation.get_language() or settings.LANGUAGE_CODE,
                lines_estimate=data.count(b"\n") + 1 if csv_like else 0,
            )
            record_audit(
                actor=actor,
                action=AuditEntry.Action.CREATE,
                target=record,
                fields=["file"],
                subject_agency=actor.agency,
            )
            if enqueue:
                from hamroh.registry.tasks import check_registry_import

                transaction.on_commit(lambda: check_registry_import.enqueue(record.pk))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return record


def _duplicates_json(duplicates: list[tuple[int, str]]) -> list[dict[str, Any]]:
    out = []
    for line, other in duplicates:
        others: list[dict[str, Any]] = []
        for part in other.split(", "):
            if part.startswith("line "):
                others.append({"line": int(part[5:])})
            elif part:
                others.append({"person": part})
        out.append({"line": line, "others": others})
    return out


def _stored_as(duplicates: list[dict[str, Any]], report: ImportReport) -> list[Any]:
    """The report's duplicates with the registry number each of their lines became
    (``"as"``), so the report can offer the merge of exactly those records."""
    lines = {entry["line"] for entry in duplicates} | {
        other["line"] for entry in duplicates for other in entry["others"] if "line" in other
    }
    stored = {
        row.line: public_id
        for row, public_id in zip(report.rows, report.public_ids, strict=True)
        if row.line in lines
    }
    return [
        {
            **entry,
            "as": stored.get(entry["line"], ""),
            "others": [
                {**other, "as": stored.get(other["line"], "")} if "line" in other else other
                for other in entry["others"]
            ],
        }
        for entry in duplicates
    ]


def _finish_check(record: RegistryImport, **values: Any) -> None:
    """Save the check's outcome unless the upload was discarded meanwhile."""
    updated = RegistryImport.objects.filter(
        pk=record.pk, status=RegistryImport.Status.CHECKING
    ).update(finished_at=timezone.now(), **values)
    if not updated or values.get("stored_name") == "":
        _delete_upload(record)


def execute_check(import_id: int) -> RegistryImport:
    """The body of the background check of an uploaded file (``tasks.check_registry_import``):
    every line checked and likely duplicates found by ``importing.check_data``, the report kept
    on the import. A file that cannot be imported (unreadable, or with problems) is deleted at
    once: only a clean file is kept, for the import."""
    from hamroh.registry import importing

    record = RegistryImport.objects.get(pk=import_id)
    if record.status != RegistryImport.Status.CHECKING:
        return record
    last = 0.0

    def progress(line: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last > 0.5:
            last = now
            RegistryImport.objects.filter(pk=record.pk).update(lines_read=line)

    with translation.override(record.language or settings.LANGUAGE_CODE):
        try:
            data = read_upload(record)
            report = importing.check_data(data, record.file_name, progress=progress)
        except importing.ImportFileError as error:
            _finish_check(
                record, status=RegistryImport.Status.FAILED, error=str(error), stored_name=""
            )
            return _refreshed(record)
        except FileNotFoundError:
            _finish_check(
                record,
                status=RegistryImport.Status.FAILED,
                error=_("The uploaded file is no longer there: upload it again."),
                stored_name="",
            )
            return _refreshed(record)
        except Exception as error:
            _finish_check(
                record,
                status=RegistryImport.Status.FAILED,
                error=_("The file could not be checked (%(kind)s). Tell the administrator.")
                % {"kind": type(error).__name__},
                stored_name="",
            )
            raise
        bad_lines = {p.line for p in report.problems}
        values: dict[str, Any] = {
            "status": RegistryImport.Status.CHECKED,
            "fingerprint": report.fingerprint,
            "columns": report.columns,
            "rows_read": len({r.line for r in report.rows} | bad_lines),
            "rows_valid": sum(1 for r in report.rows if r.line not in bad_lines),
            "problem_count": len(report.problems),
            "problems": _problems_json(report.problems),
            "duplicates": _duplicates_json(report.duplicates),
        }
        if report.problems or not report.rows:
            values["stored_name"] = ""  # nothing from this file can be imported
        _finish_check(record, **values)
    return _refreshed(record)


def _problems_json(problems: Sequence[Any]) -> str:
    return json.dumps(
        [
            {"line": p.line, "column": p.column, "message": str(p.message)}
            for p in problems[:MAX_STORED_PROBLEMS]
        ],
        ensure_ascii=False,
    )


def _refreshed(record: RegistryImport) -> RegistryImport:
    record.refresh_from_db()
    return record


def commit_import(*, actor: User, record: RegistryImport, enqueue: bool = True) -> RegistryImport:
    """Import the checked file's people in the background, all or nothing."""
    require(actor, Capability.MANAGE_RECRUITMENT)
    _require_import_scope(actor, record)
    with transaction.atomic():
        locked = RegistryImport.objects.select_for_update().get(pk=record.pk)
        if not locked.can_import:
            raise ValidationError(_("This file cannot be imported: check the report."))
        locked.status = RegistryImport.Status.IMPORTING
        locked.imported_by = actor
        locked.finished_at = None
        locked.save(update_fields=["status", "imported_by", "finished_at"])
        if enqueue:
            from hamroh.registry.tasks import commit_registry_import

            transaction.on_commit(lambda: commit_registry_import.enqueue(locked.pk))
    return locked


def execute_commit(import_id: int) -> RegistryImport:
    """The body of the background import (``tasks.commit_registry_import``). The file is
    checked again (the registry may have changed since the preview: a passport registered
    meanwhile is a problem again), then ``importing.store`` writes every row in one
    transaction with its audit entry. The upload is deleted whatever the outcome."""
    from hamroh.registry import importing

    record = RegistryImport.objects.select_related("agency", "imported_by").get(pk=import_id)
    if record.status != RegistryImport.Status.IMPORTING:
        return record
    path = upload_path(record)
    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if path is not None and (now - last > 0.5 or done == total):
            last = now
            target = _progress_path(path)
            partial = target.with_name(target.name + ".tmp")
            partial.write_text(f"{done} {total}")
            partial.replace(target)

    status = RegistryImport.Status
    with translation.override(record.language or settings.LANGUAGE_CODE):
        try:
            data = read_upload(record)
            report = importing.check_data(data, record.file_name, find_duplicates=False)
            if not report.ok:
                RegistryImport.objects.filter(pk=record.pk).update(
                    status=status.CHECKED,
                    problem_count=len(report.problems),
                    problems=_problems_json(report.problems),
                    stored_name="",
                    finished_at=timezone.now(),
                )
                return _refreshed(record)
            progress(0, len(report.rows))
            with transaction.atomic():
                importing.refuse_if_imported(report.fingerprint)  # by another upload meanwhile
                count = importing.store(
                    report,
                    agency=record.agency,
                    actor=record.imported_by,
                    actor_label="",
                    progress=progress,
                    # Never bulk mode from the desk: it would lock the registry's tables
                    # (PostgreSQL) while the site serves them (docs/registry.md).
                    bulk=False,
                )
                RegistryImport.objects.filter(pk=record.pk).update(
                    status=status.IMPORTED,
                    imported_count=count,
                    imported_batch=report.fingerprint,
                    duplicates=_stored_as(record.duplicates, report),
                    stored_name="",
                    finished_at=timezone.now(),
                )
        except importing.ImportFileError as error:
            RegistryImport.objects.filter(pk=record.pk).update(
                status=status.FAILED, error=str(error), stored_name="", finished_at=timezone.now()
            )
        except Exception as error:
            RegistryImport.objects.filter(pk=record.pk).update(
                status=status.FAILED,
                error=_("Nothing was imported (%(kind)s). Tell the administrator.")
                % {"kind": type(error).__name__},
                stored_name="",
                finished_at=timezone.now(),
            )
            raise
        finally:
            _delete_upload(record)
    return _refreshed(record)


def discard_import(*, actor: User, record: RegistryImport) -> RegistryImport:
    """Delete an uploaded file that will not be imported, with its report's values."""
    require(actor, Capability.MANAGE_RECRUITMENT)
    _require_import_scope(actor, record)
    return _discard(record, actor=actor)


UPLOAD_KEPT_FOR = timedelta(days=7)


def discard_stale_imports(*, now: datetime | None = None) -> int:
    """Delete the files of checked uploads nobody imported or discarded within
    :data:`UPLOAD_KEPT_FOR`: personal data is not kept for an import that will not come.
    Run on every upload and by ``hamroh discard_stale_imports`` (cron, daily)."""
    cutoff = (now or timezone.now()) - UPLOAD_KEPT_FOR
    stale = RegistryImport.objects.filter(
        status=RegistryImport.Status.CHECKED, created_at__lt=cutoff
    ).exclude(stored_name="")
    count = 0
    for record in stale:
        _discard(record, actor=None)
        count += 1
    return count


def _discard(record: RegistryImport, *, actor: User | None) -> RegistryImport:
    with transaction.atomic():
        locked = RegistryImport.objects.select_for_update().get(pk=record.pk)
        if not locked.can_discard:
            raise ValidationError(_("This import can no longer be discarded."))
        _delete_upload(locked)
        locked.status = RegistryImport.Status.DISCARDED
        locked.stored_name = ""
        locked.problems = ""
        locked.finished_at = timezone.now()
        locked.save(update_fields=["status", "stored_name", "problems", "finished_at"])
        record_audit(
            actor=actor,
            actor_label="" if actor is not None else "expiry of unused uploads",
            action=AuditEntry.Action.DELETE,
            target=locked,
            fields=["file"],
            subject_agency=locked.agency,
        )
    return locked
