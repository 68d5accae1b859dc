"""Importing an existing registry from CSV or Excel: read, check every line, then store all
or nothing.

Files from offices arrive in UTF-8 with or without a byte-order mark or in Windows-1251,
comma- or semicolon-separated, with Windows line ends and blank lines, or as Excel sheets
whose header cells are merged over two rows. Every problem is reported with the file, line
and column; if any line is wrong nothing is stored. Likely duplicates (within the file and
against the registry) are found with the identity engine and reported as merge candidates.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamroh.core.crypto import blind_index
from hamroh.core.models import Agency, AuditEntry, Occupation, Subdivision, User
from hamroh.core.services import record_audit
from hamroh.identity.engine import linkage
from hamroh.identity.engine.names import split_full_name
from hamroh.identity.engine.person_csv import COLUMNS as PERSON_CSV_COLUMNS
from hamroh.identity.engine.records import BirthDate, PersonRecord
from hamroh.registry.models import Document, Education, Person, PersonName, Phone
from hamroh.registry.services import CONSENT_VERSION, name_key, new_public_ids

# DESIGN.md's person columns (the identity engine's CSV contract), then the registry's own.
COLUMNS = (
    *PERSON_CSV_COLUMNS,
    "passport_expiry",
    "phone",
    "region",
    "district",
    "occupation",
    "education",
)
# Headers as offices write them (Russian, Tajik, English variants) -> column.
ALIASES = {
    "фамилия": "surname",
    "насаб": "surname",
    "имя": "given_name",
    "ном": "given_name",
    "отчество": "patronymic",
    "номи падар": "patronymic",
    "фио": "full_name",
    "дата рождения": "birth_date",
    "санаи таваллуд": "birth_date",
    "пол": "sex",
    "ҷинс": "sex",
    "гражданство": "nationality",
    "паспорт": "document_number",
    "номер паспорта": "document_number",
    "passport": "document_number",
    "passport_number": "document_number",
    "паспорт действителен до": "passport_expiry",
    "телефон": "phone",
    "phone_number": "phone",
    "регион": "region",
    "область": "region",
    "вилоят": "region",
    "район": "district",
    "ноҳия": "district",
    "профессия": "occupation",
    "код профессии": "occupation",
    "касб": "occupation",
    "isco": "occupation",
    "образование": "education",
}
_SEX = {"M": "M", "F": "F", "М": "M", "Ж": "F", "МУЖ": "M", "ЖЕН": "F", "MALE": "M", "FEMALE": "F"}
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_TAJIK_LETTERS = set("ғӣқӯҳҷҒӢҚӮҲҶ")
_BATCH = 5000


@dataclass
class ImportProblem:
    line: int
    column: str
    message: str

    def located(self, path: str) -> str:
        where = f"{path}, " + _("line %(line)s") % {"line": self.line}
        if self.column:
            where += ", " + _("column %(column)s") % {"column": self.column}
        return f"{where}: {self.message}"


@dataclass
class Row:
    line: int
    ref: str
    surname: str
    given_name: str
    patronymic: str
    script: str
    birth: BirthDate
    sex: str
    passport: str
    passport_index: str
    passport_expiry: date | None
    phone: str
    region: str
    district: str
    occupation: str
    education: str


@dataclass
class ImportReport:
    path: str
    rows: list[Row] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    duplicates: list[tuple[int, str]] = field(default_factory=list)  # (line, other)
    columns: list[str] = field(default_factory=list)
    created: int = 0
    fingerprint: str = ""  # of the file's bytes; stored on every person as import_batch

    @property
    def ok(self) -> bool:
        return not self.problems


class ImportFileError(ValueError):
    """The file as a whole cannot be read (unknown type, no usable header, undecodable)."""


# --- Reading --------------------------------------------------------------------------------


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Office files that are not UTF-8 are nearly always Windows-1251; on short files
    # statistical detection guesses wrong, so 1251 is taken when it yields Cyrillic text.
    legacy = raw.decode("cp1251", errors="replace")
    foreign = [ch for ch in legacy if ord(ch) > 127 and ch.isalpha()]
    if foreign and sum("\u0400" <= ch <= "\u04ff" for ch in foreign) >= 0.9 * len(foreign):
        return legacy
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:200_000]).best()
    encoding = best.encoding if best is not None else "cp1251"
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise ImportFileError(_("The file's text encoding could not be recognised.")) from None


def _column(header: Any) -> str:
    text = unicodedata.normalize("NFKC", str(header or "")).strip().lower().replace("\n", " ")
    text = text.lstrip("\ufeff").strip()
    if text in COLUMNS:
        return text
    return ALIASES.get(text, ALIASES.get(text.replace("_", " "), ""))


def _csv_rows(raw: bytes) -> Iterator[tuple[int, list[str]]]:
    text = _decode(raw)
    sample = text[:10_000]
    first = sample.splitlines()[0] if sample else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for values in reader:
        yield reader.line_num, values


def _excel_rows(source: Path | io.BytesIO) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    # Merged cells are only known outside read-only mode; a header merged over several
    # columns gives every one of them its text, so a second header row can refine it.
    # Loaded here, not lazily, so a file that is not a workbook fails in ``read_data``.
    workbook = load_workbook(source, data_only=True)
    return _sheet_rows(workbook)


def _sheet_rows(workbook: Any) -> Iterator[tuple[int, list[str]]]:
    sheet = workbook.worksheets[0]
    for merged in list(sheet.merged_cells.ranges):
        value = sheet.cell(merged.min_row, merged.min_col).value
        sheet.unmerge_cells(str(merged))
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                sheet.cell(row, col).value = value
    for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
        yield number, ["" if v is None else v for v in values]


def _header(
    rows: Iterator[tuple[int, list[Any]]],
) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """Find the header among the first rows: a row naming two known columns; a row above it
    (a merged group title) fills the columns the lower row leaves unnamed."""
    seen: list[tuple[int, list[Any]]] = []
    for number, values in rows:
        seen.append((number, values))
        names = [_column(v) for v in values]
        if sum(1 for n in names if n) >= 2:
            for _number, above in seen[:-1]:
                for i, v in enumerate(above):
                    if i < len(names) and not names[i]:
                        names[i] = _column(v)
            # A group title merged over several columns ("ФИО" over surname, given name,
            # patronymic) is refined by the header row below it.
            following = next(rows, None)
            if following is not None:
                below = [_column(v) for v in following[1]]
                if sum(1 for n in below if n) >= 2:
                    names = [
                        below[i] if i < len(below) and below[i] else n for i, n in enumerate(names)
                    ]
                else:
                    rows = itertools.chain([following], rows)
            return names, rows
        if len(seen) >= 5:
            break
    raise ImportFileError(
        _("No header row found: name the columns (for example surname, given_name, birth_date).")
    )


def read_file(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    return read_data(path.read_bytes(), path.name)


def read_data(data: bytes, name: str) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """The header and the rows of a file's bytes; ``name`` tells CSV from Excel."""
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            rows = _excel_rows(io.BytesIO(data))
        except Exception:  # openpyxl raises many kinds for a damaged or renamed file
            raise ImportFileError(_("This is not an Excel workbook (.xlsx).")) from None
    elif suffix in (".csv", ".txt"):
        rows = _csv_rows(data)
    else:
        raise ImportFileError(_("Use a .csv or .xlsx file."))
    return _header(rows)


# --- Checking -------------------------------------------------------------------------------


def _date(value: Any) -> BirthDate | None:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return BirthDate(value.year, value.month, value.day)
    text = str(value).strip()
    dotted = _DOTTED.match(text)
    if dotted:
        text = f"{dotted.group(3)}-{int(dotted.group(2)):02d}-{int(dotted.group(1)):02d}"
    return BirthDate.parse(text)


def _script(text: str) -> str:
    if any("\u0400" <= ch <= "\u04ff" for ch in text):
        if _TAJIK_LETTERS & set(text):
            return PersonName.Script.TAJIK
        return PersonName.Script.RUSSIAN
    return PersonName.Script.LATIN


class _Codes:
    def __init__(self) -> None:
        self.regions = set(Subdivision.objects.filter(kind="region").values_list("code", flat=True))
        self.district_region = dict(
            Subdivision.objects.exclude(kind="region").values_list("code", "parent_id")
        )
        self.occupations = set(Occupation.objects.values_list("code", flat=True))


def _cell_text(cells: dict[str, Any], column: str) -> str:
    """A cell as text; Excel's whole numbers (passport 400123001.0) without the ``.0``."""
    value = cells.get(column, "")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if value is not None else ""


def _check_row(
    line: int, cells: dict[str, Any], codes: _Codes, today: date
) -> Row | list[ImportProblem]:
    problems: list[ImportProblem] = []

    def text(column: str) -> str:
        return _cell_text(cells, column)

    surname, given, patronymic = text("surname"), text("given_name"), text("patronymic")
    if not (surname or given) and text("full_name"):
        parts = split_full_name(text("full_name"))
        surname, given, patronymic = parts.surname, parts.given_name, parts.patronymic
    if not surname:
        problems.append(ImportProblem(line, "surname", _("The surname is empty.")))
    if not given:
        problems.append(ImportProblem(line, "given_name", _("The given name is empty.")))
    birth: BirthDate | None = None
    try:
        birth = _date(cells.get("birth_date", ""))
    except ValueError:
        problems.append(
            ImportProblem(
                line,
                "birth_date",
                # The engine's reason is English: say how to write it instead.
                _("“%(value)s” is not a date: write 1990, 1990-05, 1990-05-17 or 17.05.1990.")
                % {"value": text("birth_date")[:20]},
            )
        )
    else:
        if birth is None:
            problems.append(ImportProblem(line, "birth_date", _("The birth date is empty.")))
        elif birth.year > today.year or birth.year < today.year - 100:
            problems.append(ImportProblem(line, "birth_date", _("Enter a real date of birth.")))
    sex = _SEX.get(text("sex").upper(), "")
    if not sex:
        problems.append(
            ImportProblem(
                line, "sex", _("“%(value)s” is not M or F.") % {"value": text("sex")[:10]}
            )
        )
    region, district = text("region").upper(), text("district").upper()
    if region in codes.district_region and not district:
        region, district = codes.district_region[region], region
    if region not in codes.regions:
        problems.append(
            ImportProblem(
                line,
                "region",
                _("“%(value)s” is not a region code (such as TJ-SU).") % {"value": region[:40]},
            )
        )
    elif district and codes.district_region.get(district) != region:
        problems.append(
            ImportProblem(
                line,
                "district",
                _("“%(value)s” is not a district of this region.") % {"value": district[:40]},
            )
        )
    occupation = text("occupation")
    if occupation and occupation not in codes.occupations:
        problems.append(
            ImportProblem(
                line,
                "occupation",
                _("“%(value)s” is not an ISCO-08 code.") % {"value": occupation[:10]},
            )
        )
    education = text("education").lower()
    if education and education not in Education.values:
        problems.append(
            ImportProblem(
                line,
                "education",
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": education[:20], "choices": ", ".join(Education.values)},
            )
        )
    expiry: date | None = None
    if text("passport_expiry"):
        try:
            parsed = _date(cells.get("passport_expiry"))
        except ValueError:
            parsed = None
        if parsed is None or not parsed.complete:
            problems.append(
                ImportProblem(line, "passport_expiry", _("Write the date as YYYY-MM-DD."))
            )
        else:
            expiry = date(parsed.year, parsed.month or 1, parsed.day or 1)
    if problems:
        return problems
    assert birth is not None
    passport = text("document_number")
    return Row(
        line=line,
        ref=text("id")[:64],
        surname=surname,
        given_name=given,
        patronymic=patronymic,
        script=_script(surname + given),
        birth=birth,
        sex=sex,
        passport=passport,
        passport_index=blind_index(passport),
        passport_expiry=expiry,
        phone=text("phone"),
        region=region,
        district=district,
        occupation=occupation,
        education=education,
    )


def check_file(path: Path, *, find_duplicates: bool = True) -> ImportReport:
    """Read and check every line; nothing is stored."""
    return check_data(path.read_bytes(), str(path), find_duplicates=find_duplicates)


def already_imported(batch: str) -> int:
    """How many people (merged ones included) came from the file with this fingerprint."""
    return Person.objects.filter(import_batch=batch).count() if batch else 0


def refuse_if_imported(batch: str) -> None:
    imported = already_imported(batch)
    if imported:
        raise ImportFileError(
            _(
                "This file was already imported (%(n)s people carry its fingerprint %(batch)s). "
                "Import only the new lines, in a file of their own."
            )
            % {"n": imported, "batch": batch}
        )


def check_data(
    data: bytes,
    name: str,
    *,
    find_duplicates: bool = True,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Read and check every line of a file's bytes; nothing is stored. ``name`` (the file's
    name or path) tells CSV from Excel and names the file in the report; ``progress`` is told
    the number of lines read now and then. A file already imported is refused as a whole."""
    report = ImportReport(path=name, fingerprint=fingerprint_data(data))
    refuse_if_imported(report.fingerprint)
    names, rows = read_data(data, name)
    report.columns = [n for n in names if n]
    if not {"surname", "full_name"} & set(report.columns):
        raise ImportFileError(_("The file has no surname or full_name column."))
    codes = _Codes()
    today = date.today()
    passports: dict[str, int] = {}
    for count, (line, values) in enumerate(rows, 1):
        if progress is not None and count % 500 == 0:
            progress(line)
        if not any(str(v).strip() for v in values):
            continue  # blank lines are allowed
        cells = {names[i]: v for i, v in enumerate(values) if i < len(names) and names[i]}
        checked = _check_row(line, cells, codes, today)
        # Passports are compared on every line, also those with other problems, so that one
        # round of corrections is enough.
        index = blind_index(_cell_text(cells, "document_number"))
        repeated = index in passports
        if repeated:
            report.problems.append(
                ImportProblem(
                    line,
                    "document_number",
                    _("The same passport number is on line %(other)s.")
                    % {"other": passports[index]},
                )
            )
        elif index:
            passports[index] = line
        if isinstance(checked, list):
            report.problems.extend(checked)
        elif not repeated:
            report.rows.append(checked)
    _check_registered_passports(report, passports)
    if find_duplicates and report.ok:
        report.duplicates = _likely_duplicates(report.rows)
    return report


def _check_registered_passports(report: ImportReport, by_index: dict[str, int]) -> None:
    """Passports of the file (blind index → first line) already in the registry."""
    keys = list(by_index)
    for start in range(0, len(keys), 900):
        taken = Document.objects.filter(
            kind=Document.Kind.PASSPORT, number_index__in=keys[start : start + 900]
        ).values_list("number_index", "person__public_id")
        for index, public_id in taken:
            report.problems.append(
                ImportProblem(
                    by_index[index],
                    "document_number",
                    _("This passport number is already registered to person %(id)s.")
                    % {"id": public_id},
                )
            )
    report.problems.sort(key=lambda p: p.line)


def _likely_duplicates(rows: list[Row]) -> list[tuple[int, str]]:
    """Lines the identity engine judges to be the same person as another line or as a
    person already registered: candidates for a merge, for an officer to decide."""
    from hamroh.registry.selectors import iter_identity_records

    records = [
        PersonRecord(
            id=f"line:{row.line}",
            surname=row.surname,
            given_name=row.given_name,
            patronymic=row.patronymic,
            birth_date=row.birth,
            sex=row.sex,
            nationality="TJK",
            document_number=row.passport,
        )
        for row in rows
    ]
    records.extend(iter_identity_records())
    found: list[tuple[int, str]] = []
    for cluster in linkage.dedupe(records):
        if len(cluster.member_ids) < 2:
            continue
        lines = [m for m in cluster.member_ids if m.startswith("line:")]
        for member in lines:
            others = [m for m in cluster.member_ids if m != member]
            found.append((int(member[5:]), ", ".join(o.replace("line:", "line ") for o in others)))
    return sorted(found)


# --- Storing --------------------------------------------------------------------------------
#
# A registry migration stores hundreds of thousands of people, so rows go in with one
# multi-row insert per table and batch (COPY on PostgreSQL) instead of one ORM object each,
# and the encryption of names, passports and phones is spread over the machine's cores.


def fingerprint(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def fingerprint_data(data: bytes) -> str:
    """The same fingerprint as :func:`fingerprint`, of bytes in memory."""
    return hashlib.sha256(data).hexdigest()[:16]


def _prepare_chunk(chunk: list[tuple[str, str, str, str, str]]) -> list[tuple[str, ...]]:
    """Everything per row that needs no database: ciphertexts of the names, passport and
    phone, the names' phonetic keys and the phone's blind index. Runs in worker processes."""
    from hamroh.core.crypto import encrypt

    return [
        (
            encrypt(surname),
            encrypt(given),
            encrypt(patronymic),
            encrypt(passport),
            encrypt(phone),
            name_key(surname),
            name_key(given),
            blind_index(phone),
        )
        for surname, given, patronymic, passport, phone in chunk
    ]


def _prepare_all(values: list[tuple[str, str, str, str, str]]) -> list[tuple[str, ...]]:
    import multiprocessing
    import os

    # Worker processes pay off only with cores to spare: on a 2-core machine the copying
    # to and from them costs about what they save (measured, docs/performance.md).
    workers = min(os.cpu_count() or 1, 8)
    if workers < 4 or len(values) < 20_000:
        return _prepare_chunk(values)
    size = 20_000
    chunks = [values[i : i + size] for i in range(0, len(values), size)]
    prepared: list[tuple[str, ...]] = []
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for part in pool.imap(_prepare_chunk, chunks):
            prepared.extend(part)
    return prepared


def _insert(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    from django.db import connection

    if not rows:
        return
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608 (model names)
            cursor.executemany(sql, rows)


def _person_ids(count: int) -> list[int]:
    """Ids for new people, reserved before insert so the names can point at them."""
    from django.db import connection

    table = Person._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the import's transaction holds the write lock from its start.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 (model name)
        start = int(cursor.fetchone()[0]) + 1
        return list(range(start, start + count))


@transaction.atomic
def store(
    report: ImportReport,
    *,
    agency: Agency,
    actor: User | None,
    actor_label: str,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Store every checked row in one transaction. Imported people get no access code: an
    office gives one when the person comes with their passport."""
    from django.db import connection

    if not report.ok:
        raise ValueError("a report with problems is never stored")
    rows = report.rows
    total = len(rows)
    batch = report.fingerprint or fingerprint(Path(report.path))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    secret = _prepare_all(
        [(r.surname, r.given_name, r.patronymic, r.passport, r.phone) for r in rows]
    )
    ids = _person_ids(total)
    public_ids = new_public_ids(total)
    actor_id = actor.pk if actor is not None else None
    consent = f"import:{CONSENT_VERSION}"
    person_columns = [
        "id",
        "public_id",
        "sex",
        "birth_year",
        "birth_month",
        "birth_day",
        "region_id",
        "district_id",
        "education",
        "occupation_id",
        "languages",
        "telegram",
        "consent_at",
        "consent_version",
        "source",
        "source_ref",
        "import_batch",
        "agency_id",
        "created_by_id",
        "access_code_hash",
        "created_at",
        "updated_at",
    ]
    name_columns = [
        "person_id",
        "surname",
        "given_name",
        "patronymic",
        "script",
        "source",
        "surname_key",
        "given_key",
        "created_at",
    ]
    document_columns = ["person_id", "kind", "number", "number_index", "expiry_date", "created_at"]
    phone_columns = ["person_id", "number", "number_index", "created_at"]
    for start in range(0, total, _BATCH):
        stop = min(start + _BATCH, total)
        chunk = range(start, stop)
        _insert(
            Person._meta.db_table,
            person_columns,
            [
                (
                    ids[i],
                    public_ids[i],
                    rows[i].sex,
                    rows[i].birth.year,
                    rows[i].birth.month,
                    rows[i].birth.day,
                    rows[i].region,
                    rows[i].district or None,
                    rows[i].education,
                    rows[i].occupation or None,
                    "[]",
                    "",
                    now,
                    consent,
                    Person.Source.IMPORT.value,
                    rows[i].ref,
                    batch,
                    agency.pk,
                    actor_id,
                    "",
                    now,
                    now,
                )
                for i in chunk
            ],
        )
        _insert(
            PersonName._meta.db_table,
            name_columns,
            [
                (
                    ids[i],
                    secret[i][0],
                    secret[i][1],
                    secret[i][2],
                    rows[i].script,
                    PersonName.Source.IMPORT.value,
                    secret[i][5],
                    secret[i][6],
                    now,
                )
                for i in chunk
            ],
        )
        _insert(
            Document._meta.db_table,
            document_columns,
            [
                (
                    ids[i],
                    Document.Kind.PASSPORT.value,
                    secret[i][3],
                    rows[i].passport_index,
                    rows[i].passport_expiry,
                    now,
                )
                for i in chunk
                if rows[i].passport_index
            ],
        )
        _insert(
            Phone._meta.db_table,
            phone_columns,
            [(ids[i], secret[i][4], secret[i][7], now) for i in chunk if rows[i].phone],
        )
        if progress is not None:
            progress(stop, total)
    record_audit(
        actor=actor,
        actor_label=actor_label,
        action=AuditEntry.Action.CREATE,
        object_type="registry.import",
        object_id=batch,
        fields=report.columns,
        subject_agency=agency,
    )
    report.created = total
    return total
