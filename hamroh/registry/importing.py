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
import functools
import gc
import hashlib
import io
import itertools
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamroh.core.crypto import blind_index, encrypt
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
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_TAJIK = re.compile("[ғӣқӯҳҷҒӢҚӮҲҶ]")
_BATCH = 5000  # rows per table written at once
_LOOKUP_CHUNK = 50_000  # passports looked up in the registry at once
_WORKER_FROM = 20_000  # rows from which the encryption runs beside the writing
_SQLITE_CACHE_KIB = 1 << 20  # 1 GiB at most, taken only as the import fills it
# Bulk mode (secondary indexes and the registry's own foreign keys dropped while loading,
# re-created from their exact definitions before commit) from this many rows, when the file
# is at least as large as the registry already is: see :func:`bulk_by_default`.
BULK_FROM = 50_000
_BULK_MAINTENANCE_MEM = "512MB"  # PostgreSQL's memory for sorting each index build


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


@dataclass(slots=True)
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
    # After ``store``: the registry number each row became (same order as ``rows``).
    public_ids: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class ImportFileError(ValueError):
    """The file as a whole cannot be read (unknown type, no usable header, undecodable)."""


_F = TypeVar("_F", bound=Callable[..., Any])


def _gc_paused(function: _F) -> _F:
    """Python's cycle collector paused while ``function`` runs. An import makes millions of
    objects that live until it ends (a checked row, its tuples): the collector walked them
    again and again as they piled up, about a fifth of the import's CPU, and found nothing
    to free (the import makes no cycles). Set back afterwards; never left paused."""

    @functools.wraps(function)
    def paused(*args: Any, **kwargs: Any) -> Any:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return paused  # type: ignore[return-value]


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
    if _CYRILLIC.search(text):
        return PersonName.Script.TAJIK if _TAJIK.search(text) else PersonName.Script.RUSSIAN
    return PersonName.Script.LATIN


def _cell_text(value: Any) -> str:
    """A cell as text; Excel's whole numbers (passport 400123001.0) without the ``.0``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if value is not None else ""


def _cells(names: list[str], values: list[Any]) -> tuple[dict[str, str], dict[str, Any]]:
    """A line's cells by column: as text, and as read (Excel's dates stay dates). Only the
    columns both the header and the line reach; a column named twice gives the later cell;
    unnamed columns all land on "", which no check reads."""
    try:
        text = dict(zip(names, map(str.strip, values), strict=False))  # CSV: all text
        return text, text
    except TypeError:  # Excel cells: numbers, dates
        pass
    as_read = dict(zip(names, values, strict=False))
    return {column: _cell_text(value) for column, value in as_read.items()}, as_read


def _blank(values: list[Any]) -> bool:
    try:
        return not "".join(values).strip()
    except TypeError:  # Excel cells: numbers, dates
        return not any(str(v).strip() for v in values)


class _Checker:
    """Checks one line at a time against the registry's codes. The dates of a file repeat
    (a million people have at most some tens of thousands of birth dates), so each text is
    parsed once."""

    _NOT_A_DATE = object()

    def __init__(self, today: date) -> None:
        self.today = today
        self.regions = set(Subdivision.objects.filter(kind="region").values_list("code", flat=True))
        self.district_region = dict(
            Subdivision.objects.exclude(kind="region").values_list("code", "parent_id")
        )
        self.occupations = set(Occupation.objects.values_list("code", flat=True))
        self.educations = set(Education.values)
        self._dates: dict[str, object] = {}

    def date(self, value: Any) -> BirthDate | None:
        """:func:`_date`, remembered for text values; ``ValueError`` for what is no date."""
        if value.__class__ is not str:
            return _date(value)
        if value not in self._dates:
            try:
                parsed: object = _date(value)
            except ValueError:
                parsed = self._NOT_A_DATE
            if len(self._dates) >= 100_000:  # a file of garbage: do not keep all of it
                self._dates.clear()
            self._dates[value] = parsed
        parsed = self._dates[value]
        if parsed is self._NOT_A_DATE:
            raise ValueError(value)
        return parsed  # type: ignore[return-value]

    def check(
        self,
        line: int,
        text: dict[str, str],
        cells: dict[str, Any],
        passport: str,
        passport_index: str,
    ) -> Row | list[ImportProblem]:
        """One line, its cells as text and as read, and its passport number with the number's
        blind index (worked out by the caller, which compares the passports of all lines)."""
        problems: list[ImportProblem] = []
        surname = text.get("surname", "")
        given = text.get("given_name", "")
        patronymic = text.get("patronymic", "")
        if not (surname or given) and text.get("full_name", ""):
            parts = split_full_name(text.get("full_name", ""))
            surname, given, patronymic = parts.surname, parts.given_name, parts.patronymic
        if not surname:
            problems.append(ImportProblem(line, "surname", _("The surname is empty.")))
        if not given:
            problems.append(ImportProblem(line, "given_name", _("The given name is empty.")))
        birth: BirthDate | None = None
        try:
            birth = self.date(cells.get("birth_date", ""))
        except ValueError:
            problems.append(
                ImportProblem(
                    line,
                    "birth_date",
                    # The engine's reason is English: say how to write it instead.
                    _("“%(value)s” is not a date: write 1990, 1990-05, 1990-05-17 or 17.05.1990.")
                    % {"value": text.get("birth_date", "")[:20]},
                )
            )
        else:
            if birth is None:
                problems.append(ImportProblem(line, "birth_date", _("The birth date is empty.")))
            elif birth.year > self.today.year or birth.year < self.today.year - 100:
                problems.append(ImportProblem(line, "birth_date", _("Enter a real date of birth.")))
        sex_text = text.get("sex", "")
        sex = _SEX.get(sex_text.upper(), "")
        if not sex:
            problems.append(
                ImportProblem(
                    line, "sex", _("“%(value)s” is not M or F.") % {"value": sex_text[:10]}
                )
            )
        region = text.get("region", "").upper()
        district = text.get("district", "").upper()
        if region in self.district_region and not district:
            region, district = self.district_region[region], region
        if region not in self.regions:
            problems.append(
                ImportProblem(
                    line,
                    "region",
                    _("“%(value)s” is not a region code (such as TJ-SU).") % {"value": region[:40]},
                )
            )
        elif district and self.district_region.get(district) != region:
            problems.append(
                ImportProblem(
                    line,
                    "district",
                    _("“%(value)s” is not a district of this region.") % {"value": district[:40]},
                )
            )
        occupation = text.get("occupation", "")
        if occupation and occupation not in self.occupations:
            problems.append(
                ImportProblem(
                    line,
                    "occupation",
                    _("“%(value)s” is not an ISCO-08 code.") % {"value": occupation[:10]},
                )
            )
        education = text.get("education", "").lower()
        if education and education not in self.educations:
            problems.append(
                ImportProblem(
                    line,
                    "education",
                    _("“%(value)s” is not one of: %(choices)s.")
                    % {"value": education[:20], "choices": ", ".join(Education.values)},
                )
            )
        expiry: date | None = None
        if text.get("passport_expiry", ""):
            try:
                parsed = self.date(cells.get("passport_expiry"))
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
        return Row(
            line=line,
            ref=text.get("id", "")[:64],
            surname=surname,
            given_name=given,
            patronymic=patronymic,
            script=_script(surname + given),
            birth=birth,
            sex=sex,
            passport=passport,
            passport_index=passport_index,
            passport_expiry=expiry,
            phone=text.get("phone", ""),
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


@_gc_paused
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
    report, lines = _start_check(data, name)
    passports: dict[str, int] = {}
    report.rows.extend(_checked_rows(report, lines, passports, progress))
    _check_registered_passports(report, passports)
    report.problems.sort(key=lambda p: p.line)
    if find_duplicates and report.ok:
        report.duplicates = _likely_duplicates(report.rows)
    return report


def _start_check(
    data: bytes, name: str
) -> tuple[ImportReport, tuple[list[str], Iterator[tuple[int, list[Any]]]]]:
    report = ImportReport(path=name, fingerprint=fingerprint_data(data))
    refuse_if_imported(report.fingerprint)
    names, rows = read_data(data, name)
    report.columns = [n for n in names if n]
    if not {"surname", "full_name"} & set(report.columns):
        raise ImportFileError(_("The file has no surname or full_name column."))
    return report, (names, rows)


def _checked_rows(
    report: ImportReport,
    lines: tuple[list[str], Iterator[tuple[int, list[Any]]]],
    passports: dict[str, int],
    progress: Callable[[int], None] | None = None,
    fresh: list[str] | None = None,
) -> Iterator[Row]:
    """Check line after line; yield each good row, add each line's problems to the report.
    ``passports`` gets every passport's blind index with the first line it is on, and
    ``fresh`` (when given) each index the first time it is seen."""
    names, rows = lines
    checker = _Checker(date.today())
    for count, (line, values) in enumerate(rows, 1):
        if progress is not None and count % 500 == 0:
            progress(line)
        if _blank(values):
            continue  # blank lines are allowed
        text, cells = _cells(names, values)
        passport = text.get("document_number", "")
        index = blind_index(passport)
        checked = checker.check(line, text, cells, passport, index)
        # Passports are compared on every line, also those with other problems, so that one
        # round of corrections is enough.
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
            if fresh is not None:
                fresh.append(index)
        if isinstance(checked, list):
            report.problems.extend(checked)
        elif not repeated:
            yield checked


_REGISTERED = "hamroh_import_registered"  # bulk mode: the registry's passports before it


def _check_registered_passports(
    report: ImportReport,
    by_index: dict[str, int],
    keys: list[str] | None = None,
    *,
    snapshot: bool = False,
) -> None:
    """Passports of the file (blind index → first line) already in the registry: one query
    per :data:`_LOOKUP_CHUNK` numbers, passed as one array (PostgreSQL) or one JSON array
    (SQLite). ``keys``: only these of ``by_index``; ``snapshot``: looked up in the copy of
    the registry's passports :func:`_snapshot_registered` made (for bulk mode, whose load
    drops the index on passports). Problems are added unsorted."""
    from django.db import connection

    postgresql = connection.vendor == "postgresql"
    among = "= ANY(%s)" if postgresql else "IN (SELECT value FROM json_each(%s))"
    if snapshot:
        sql = f"SELECT number_index, public_id FROM {_REGISTERED} WHERE number_index {among}"  # noqa: S608
    else:
        sql = (
            f"SELECT d.number_index, p.public_id FROM {Document._meta.db_table} d "  # noqa: S608
            f"JOIN {Person._meta.db_table} p ON p.id = d.person_id "
            f"WHERE d.kind = '{Document.Kind.PASSPORT.value}' AND d.number_index {among}"
        )
    keys = list(by_index) if keys is None else keys
    with connection.cursor() as cursor:
        for start in range(0, len(keys), _LOOKUP_CHUNK):
            part = keys[start : start + _LOOKUP_CHUNK]
            cursor.execute(sql, [part if postgresql else json.dumps(part)])
            for index, public_id in cursor.fetchall():
                report.problems.append(
                    ImportProblem(
                        by_index[index],
                        "document_number",
                        _("This passport number is already registered to person %(id)s.")
                        % {"id": public_id},
                    )
                )


def _snapshot_registered() -> None:
    """The registry's passports (blind index, registry number) copied into an indexed
    temporary table, before bulk mode drops the index the look-ups otherwise use."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {_REGISTERED} AS "  # noqa: S608 (model names)
            f"SELECT d.number_index, p.public_id FROM {Document._meta.db_table} d "
            f"JOIN {Person._meta.db_table} p ON p.id = d.person_id "
            f"WHERE d.kind = '{Document.Kind.PASSPORT.value}'"
        )
        cursor.execute(f"CREATE INDEX {_REGISTERED}_index ON {_REGISTERED} (number_index)")


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
# A registry migration stores hundreds of thousands of people, so rows go in as plain tuples,
# one ``executemany`` per table and batch (COPY on PostgreSQL), never as ORM objects. The
# encryption runs in the same process: with AES-GCM at about 2 µs a value, worker processes
# cost more in copying than they save (docs/performance.md).


def fingerprint(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def fingerprint_data(data: bytes) -> str:
    """The same fingerprint as :func:`fingerprint`, of bytes in memory."""
    return hashlib.sha256(data).hexdigest()[:16]


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


@contextmanager
def _bulk_writing() -> Iterator[None]:
    """SQLite's page cache raised for the import's connection while it writes: the indexes of
    random keys (public ids, blind indexes) are touched all over, and with the default 2 MB
    cache most of their pages are read back and spilled again for every batch. Not a
    durability setting: journal and synchronous stay as the settings have them."""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{_SQLITE_CACHE_KIB}")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


# The tables an import writes. Their primary keys stay; in bulk mode everything else that
# costs per written row goes while loading and comes back before commit.
_TABLES = (Person, PersonName, Document, Phone)


def bulk_by_default(rows: int) -> bool:
    """Bulk mode pays when the file is large and at least as large as the registry: then
    building each index once, sorted, and checking each foreign key with one join costs less
    than a million random index inserts and trigger calls, and rebuilding what is already
    stored costs at most as much again. A registry's first migration is the case."""
    return rows >= BULK_FROM and rows >= Person.objects.count()


def _table_names() -> list[str]:
    return [model._meta.db_table for model in _TABLES]


def _postgresql_schema() -> tuple[list[str], list[str]]:
    """What bulk mode drops on PostgreSQL, as (statements to drop, statements to re-create
    in order), from the catalog's exact definitions: the foreign keys among the import's
    own tables, then their unique constraints, then every other index but the primary keys.

    Foreign keys to other tables (regions, occupations, agencies, users) stay: dropping one
    takes an ACCESS EXCLUSIVE lock on the table it points at, which would stop every page
    that reads users or agencies for as long as the import runs. A unique constraint that a
    foreign key relies on stays too (it cannot be dropped under it)."""
    from django.db import connection

    tables = _table_names()
    drop: list[str] = []
    create: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.contype, c.conrelid::regclass::text, quote_ident(c.conname),
                   pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            WHERE c.conrelid = ANY(%(tables)s::regclass[])
              AND (
                (c.contype = 'f' AND c.confrelid = ANY(%(tables)s::regclass[]))
                OR (c.contype = 'u' AND NOT EXISTS (
                      SELECT 1 FROM pg_constraint f
                      WHERE f.contype = 'f' AND f.conindid = c.conindid))
              )
            ORDER BY c.contype, c.conrelid::regclass::text, c.conname
            """,
            {"tables": tables},
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """
            SELECT quote_ident(n.nspname) || '.' || quote_ident(x.relname),
                   pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            JOIN pg_class x ON x.oid = i.indexrelid
            JOIN pg_namespace n ON n.oid = x.relnamespace
            WHERE i.indrelid = ANY(%(tables)s::regclass[])
              AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
                              AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x'))
            ORDER BY x.relname
            """,
            {"tables": tables},
        )
        indexes = cursor.fetchall()
    foreign = [c for c in constraints if c[0] == "f"]
    unique = [c for c in constraints if c[0] == "u"]
    for _kind, table, name, _definition in [*foreign, *unique]:
        drop.append(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    drop += [f"DROP INDEX {name}" for name, _definition in indexes]
    create += [definition for _name, definition in indexes]
    for _kind, table, name, definition in [*unique, *foreign]:
        create.append(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
    return drop, create


def _sqlite_schema() -> tuple[list[str], list[str]]:
    """What bulk mode drops on SQLite: the indexes the schema created with their own
    statement (``sqlite_master.sql``). Indexes that belong to the table's definition (its
    UNIQUE constraints) and its foreign keys cannot be dropped on SQLite and stay."""
    from django.db import connection

    tables = _table_names()
    marks = ", ".join(["%s"] * len(tables))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master "  # noqa: S608 (placeholders only)
            f"WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks}) ORDER BY name",
            tables,
        )
        indexes = cursor.fetchall()
    quote = connection.ops.quote_name
    return [f"DROP INDEX {quote(name)}" for name, _sql in indexes], [sql for _n, sql in indexes]


@contextmanager
def _bulk_loading(bulk: bool) -> Iterator[None]:
    """Bulk mode, as ``pg_restore`` loads a table: inside the import's transaction, the
    secondary indexes of the written tables and the foreign keys among them are dropped,
    the rows loaded, and the same indexes and constraints re-created from the catalog's
    definitions before commit. A PostgreSQL index is then built once by sorting instead of
    by a million random inserts, and a foreign key is checked with one join instead of a
    trigger call per row. The unique indexes come back too: should a passport the checks
    missed be twice in the registry, re-creating the index fails and the whole import
    with it. Nothing happens on failure: the transaction takes the drops back.

    On PostgreSQL dropping an index locks its table (ACCESS EXCLUSIVE) until commit: the
    registry cannot be read while a bulk import runs (docs/registry.md)."""
    from django.db import connection

    if not bulk:
        yield
        return
    postgresql = connection.vendor == "postgresql"
    drop, create = _postgresql_schema() if postgresql else _sqlite_schema()
    with connection.cursor() as cursor:
        if postgresql:
            # PostgreSQL alters or indexes no table with deferred checks queued on it, so the
            # foreign keys that stay (to regions, agencies, users) are checked at the end of
            # each COPY while bulk mode lasts, not at commit: as many checks, done earlier.
            # Django declares every foreign key DEFERRABLE INITIALLY DEFERRED, the state
            # set back afterwards.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in drop:
            cursor.execute(statement)
    yield
    with connection.cursor() as cursor:
        if postgresql:
            cursor.execute("SELECT current_setting('maintenance_work_mem')")
            memory = cursor.fetchone()[0]
            cursor.execute(
                "SELECT set_config('maintenance_work_mem', %s, true)", [_BULK_MAINTENANCE_MEM]
            )
        for statement in create:
            cursor.execute(statement)
        if postgresql:
            cursor.execute("SELECT set_config('maintenance_work_mem', %s, true)", [memory])
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


_SECRETS = 8  # values per person from _batch_secrets


def _batch_secrets(rows: list[tuple[str, str, str, str, str]], keys: dict[str, str]) -> list[str]:
    """For one batch of people (surname, given name, patronymic, passport or "", phone), what
    costs CPU and needs no database, flat: the three names encrypted, the two phonetic keys,
    the passport and the phone encrypted and the phone's blind index. ``keys`` remembers
    phonetic keys: names repeat, each one's key is worked out once."""
    values: list[str] = []
    for surname, given, patronymic, passport, phone in rows:
        surname_key = keys.get(surname)
        if surname_key is None:
            surname_key = keys[surname] = name_key(surname)
        given_key = keys.get(given)
        if given_key is None:
            given_key = keys[given] = name_key(given)
        values += (
            encrypt(surname),
            encrypt(given),
            encrypt(patronymic),
            surname_key,
            given_key,
            encrypt(passport) if passport else "",
            encrypt(phone),
            blind_index(phone) if phone else "",
        )
    return values


def _plain(rows: list[Row]) -> list[tuple[str, str, str, str, str]]:
    return [
        (r.surname, r.given_name, r.patronymic, r.passport if r.passport_index else "", r.phone)
        for r in rows
    ]


def _serve_secrets(inbox: Any, outbox: Any) -> None:
    """The worker's loop: a batch in, its values out, until ``None``. One string per batch
    back: sent and received as one copy, not as ~40,000 objects. Ciphertexts (base64),
    phonetic keys (a-z) and blind indexes (hex) hold no newline."""
    keys: dict[str, str] = {}
    while (rows := inbox.recv()) is not None:
        outbox.send("\n".join(_batch_secrets(rows, keys)))
    outbox.close()


class _Secrets:
    """Works out :func:`_batch_secrets` for the batches handed to it in turn: in a forked
    worker process when ``parallel`` (while this process writes the batch before and checks
    the next lines), else here when asked. Only the names, passports and phones travel to
    the worker, and one string per batch back."""

    def __init__(self, parallel: bool) -> None:
        self.parallel = parallel
        self.keys: dict[str, str] = {}
        self.waiting: list[list[tuple[str, str, str, str, str]]] = []
        self.worker: Any = None

    def start(self) -> None:
        """Fork the worker now (from the calling thread) rather than at the first batch."""
        if not self.parallel or self.worker is not None:
            return
        import multiprocessing

        context = multiprocessing.get_context("fork")
        worker_inbox, self.inbox = context.Pipe(duplex=False)
        self.outbox, worker_outbox = context.Pipe(duplex=False)
        self.worker = context.Process(
            target=_serve_secrets, args=(worker_inbox, worker_outbox), daemon=True
        )
        self.worker.start()
        worker_inbox.close()
        worker_outbox.close()

    def submit(self, rows: list[Row]) -> None:
        if not self.parallel:
            self.waiting.append(_plain(rows))
            return
        self.start()
        try:
            self.inbox.send(_plain(rows))
        except OSError:  # the worker is gone
            raise RuntimeError("the import's worker process ended early") from None

    def receive(self) -> list[str]:
        """The values of the oldest batch submitted and not yet received."""
        if not self.parallel:
            return _batch_secrets(self.waiting.pop(0), self.keys)
        try:
            return str(self.outbox.recv()).split("\n")
        except EOFError:
            raise RuntimeError("the import's worker process ended early") from None

    def close(self) -> None:
        if self.worker is None:
            return
        with suppress(OSError):
            self.inbox.send(None)
        self.inbox.close()
        self.outbox.close()
        self.worker.join(timeout=5)
        if self.worker.is_alive():
            self.worker.kill()


class _Writer:
    """Writes checked rows batch by batch, as plain tuples (COPY on PostgreSQL), the
    encryption of each batch worked out (:class:`_Secrets`) while the batch before is
    written: :meth:`add` takes a batch and writes the one before it, :meth:`finish` the last.
    The caller owns the transaction."""

    def __init__(self, report: ImportReport, *, agency: Agency, actor: User | None, parallel: bool):
        from django.db import connection

        self.report = report
        self.batch = report.fingerprint or fingerprint(Path(report.path))
        stamp = timezone.now()
        now = connection.ops.adapt_datetimefield_value(stamp)
        # As text (ISO 8601 with its offset, the same instant): psycopg's COPY formats a
        # datetime four times slower than a string, six times per person.
        self.now = now if isinstance(now, str) else stamp.isoformat()
        self.consent = f"import:{CONSENT_VERSION}"
        self.agency_id = agency.pk
        self.actor_id = actor.pk if actor is not None else None
        self.secrets = _Secrets(parallel)
        self.pending: list[Row] | None = None
        self.written = 0

    def add(self, rows: list[Row]) -> None:
        # The batch before's values first: the worker is then free to take this batch while
        # this process writes (neither waits on the other with a full pipe).
        values = self.secrets.receive() if self.pending is not None else None
        self.secrets.submit(rows)
        if self.pending is not None and values is not None:
            self._write(self.pending, values)
        self.pending = rows

    def finish(self) -> None:
        if self.pending is not None:
            self._write(self.pending, self.secrets.receive())
            self.pending = None

    def close(self) -> None:
        self.secrets.close()

    def _write(self, rows: list[Row], values: list[str]) -> None:
        count = len(rows)
        ids = _person_ids(count)
        public_ids = new_public_ids(count)
        now, consent, batch = self.now, self.consent, self.batch
        agency_id, actor_id = self.agency_id, self.actor_id
        person_source = Person.Source.IMPORT.value
        name_source = PersonName.Source.IMPORT.value
        passport_kind = Document.Kind.PASSPORT.value
        people, names, documents, phones = [], [], [], []
        flat = iter(values)
        for row, pk, public_id, *secret in zip(
            rows, ids, public_ids, *[flat] * _SECRETS, strict=True
        ):
            surname, given, patronymic, surname_key, given_key, passport, phone, index = secret
            people.append(
                (
                    pk,
                    public_id,
                    row.sex,
                    row.birth.year,
                    row.birth.month,
                    row.birth.day,
                    row.region,
                    row.district or None,
                    row.education,
                    row.occupation or None,
                    "[]",
                    "",
                    now,
                    consent,
                    person_source,
                    row.ref,
                    batch,
                    agency_id,
                    actor_id,
                    "",
                    now,
                    now,
                )
            )
            names.append(
                (
                    pk,
                    surname,
                    given,
                    patronymic,
                    row.script,
                    name_source,
                    surname_key,
                    given_key,
                    now,
                )
            )
            if row.passport_index:
                expiry = row.passport_expiry
                documents.append(
                    (
                        pk,
                        passport_kind,
                        passport,
                        row.passport_index,
                        expiry.isoformat() if expiry is not None else None,
                        now,
                    )
                )
            if row.phone:
                phones.append((pk, phone, index, now))
        _insert(Person._meta.db_table, _PERSON_COLUMNS, people)
        _insert(PersonName._meta.db_table, _NAME_COLUMNS, names)
        _insert(Document._meta.db_table, _DOCUMENT_COLUMNS, documents)
        _insert(Phone._meta.db_table, _PHONE_COLUMNS, phones)
        self.report.public_ids += public_ids
        self.written += count

    def audit(self, actor: User | None, actor_label: str, agency: Agency) -> None:
        record_audit(
            actor=actor,
            actor_label=actor_label,
            action=AuditEntry.Action.CREATE,
            object_type="registry.import",
            object_id=self.batch,
            fields=self.report.columns,
            subject_agency=agency,
        )


def _parallel(rows: int) -> bool:
    """With cores to spare, the encryption runs in a worker beside the writing."""
    import os

    return rows >= _WORKER_FROM and (os.cpu_count() or 1) >= 2


@_gc_paused
@transaction.atomic
def store(
    report: ImportReport,
    *,
    agency: Agency,
    actor: User | None,
    actor_label: str,
    progress: Callable[[int, int], None] | None = None,
    bulk: bool | None = None,
) -> int:
    """Store every checked row in one transaction. Imported people get no access code: an
    office gives one when the person comes with their passport. ``bulk`` writes in bulk mode
    (:func:`_bulk_loading`); ``None`` decides by :func:`bulk_by_default`."""
    if not report.ok:
        raise ValueError("a report with problems is never stored")
    rows = report.rows
    total = len(rows)
    if bulk is None:
        bulk = bulk_by_default(total)
    report.public_ids = []
    writer = _Writer(report, agency=agency, actor=actor, parallel=_parallel(total))
    try:
        with _bulk_writing(), _bulk_loading(bulk):
            for start in range(0, total, _BATCH):
                writer.add(rows[start : start + _BATCH])
                if progress is not None and start:
                    progress(start, total)
            writer.finish()
            if progress is not None:
                progress(total, total)
    finally:
        writer.close()
    writer.audit(actor, actor_label, agency)
    report.created = total
    return total


class _Refused(Exception):
    """A line of the file is wrong: what was written goes back."""


@_gc_paused
def check_and_store(
    data: bytes,
    name: str,
    *,
    agency: Agency,
    actor: User | None,
    actor_label: str,
    bulk: bool | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """:func:`check_data` (without the duplicate search) and :func:`store` in one pass, for
    large migrations: each batch of checked rows is written as soon as it is checked, in one
    transaction, so that on PostgreSQL the server's work runs beside the checking. The same
    problems are found and reported; if there is any, nothing stays stored (the report's
    ``created`` is 0). ``bulk`` as for :func:`store`, ``None`` deciding by the number of the
    file's lines; ``progress`` is told (lines read, lines in the file) now and then."""
    report, lines = _start_check(data, name)
    # Lines in a CSV file (an Excel sheet, rarely large, counts as none: no bulk mode and no
    # worker unless asked).
    csv_file = Path(name).suffix.lower() in (".csv", ".txt")
    estimate = data.count(b"\n") if csv_file else 0
    if bulk is None:
        bulk = bulk_by_default(estimate)
    passports: dict[str, int] = {}
    fresh: list[str] = []

    def read(line: int) -> None:
        if progress is not None:
            progress(min(line, estimate), estimate)

    checked = _checked_rows(report, lines, passports, read if progress else None, fresh)
    writer = _Writer(report, agency=agency, actor=actor, parallel=_parallel(estimate))
    try:
        with transaction.atomic(), _bulk_writing():
            if bulk:
                _snapshot_registered()
            with _bulk_loading(bulk), _WritingThread(report, writer, passports, bulk) as thread:
                batch: list[Row] = []
                for row in checked:
                    report.rows.append(row)
                    batch.append(row)
                    if len(batch) == _BATCH:
                        thread.write(batch, fresh)
                        batch = []
                thread.write(batch, fresh)
                thread.join()
                if not report.ok:
                    raise _Refused
                writer.finish()
            if bulk:
                _drop_snapshot()
            writer.audit(actor, actor_label, agency)
    except _Refused:
        report.public_ids = []
    else:
        report.created = writer.written
    finally:
        writer.close()
    report.problems.sort(key=lambda p: p.line)
    return report


class _WritingThread:
    """Runs :func:`_write_checked` for each batch in a thread of its own, on the import's
    connection, while this thread checks the next lines. The database's work releases the
    GIL (SQLite's steps run in this process, PostgreSQL's in its server, waited for at the
    end of every COPY), so it runs beside the checking instead of after it. This thread
    uses no database connection while the other writes. An error in the writing thread is
    raised here, at the next batch or at :meth:`join`."""

    def __init__(
        self, report: ImportReport, writer: _Writer, passports: dict[str, int], snapshot: bool
    ) -> None:
        import queue

        self.report, self.writer, self.passports, self.snapshot = (
            report,
            writer,
            passports,
            snapshot,
        )
        self.jobs: queue.Queue[tuple[list[Row], list[str]] | None] = queue.Queue(maxsize=2)
        self.failures: list[BaseException] = []
        self.thread: Any = None

    def __enter__(self) -> _WritingThread:
        import threading

        from django.db import DEFAULT_DB_ALIAS, connections
        from django.utils import translation

        self.connection = connections[DEFAULT_DB_ALIAS]
        self.language = translation.get_language()
        self.connection.inc_thread_sharing()
        # The encryption worker is forked from this thread, before the writing thread exists.
        self.writer.secrets.start()
        self.thread = threading.Thread(target=self._run, name="registry-import-writer")
        self.thread.start()
        return self

    def _run(self) -> None:
        from django.db import DEFAULT_DB_ALIAS, connections
        from django.utils import translation

        connections[DEFAULT_DB_ALIAS] = self.connection  # the import's, in its transaction
        if self.language:
            translation.activate(self.language)  # the problems it finds, in the caller's
        while (job := self.jobs.get()) is not None:
            if self.failures:
                continue  # drain: the import fails at the next batch or at join
            try:
                _write_checked(
                    self.report, self.writer, job[0], self.passports, job[1], snapshot=self.snapshot
                )
            except BaseException as error:  # raised again in the checking thread
                self.failures.append(error)

    def write(self, batch: list[Row], fresh: list[str]) -> None:
        self._raise()
        self.jobs.put((batch, list(fresh)))
        fresh.clear()

    def join(self) -> None:
        if self.thread is not None:
            self.jobs.put(None)
            self.thread.join()
            self.thread = None
        self._raise()

    def _raise(self) -> None:
        if self.failures:
            raise self.failures[0]

    def __exit__(self, *exc: object) -> None:
        try:
            if self.thread is not None:
                self.jobs.put(None)
                self.thread.join()
                self.thread = None
        finally:
            self.connection.dec_thread_sharing()


def _write_checked(
    report: ImportReport,
    writer: _Writer,
    batch: list[Row],
    passports: dict[str, int],
    fresh: list[str],
    *,
    snapshot: bool,
) -> None:
    """The passports first seen since the last batch looked up in the registry, then the
    batch handed to the writer while no line has a problem (the checking goes on, so
    that every problem is reported)."""
    if fresh:
        _check_registered_passports(report, passports, fresh, snapshot=snapshot)
        fresh.clear()
    if report.ok and batch:
        writer.add(batch)


def _drop_snapshot() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {_REGISTERED}")


_PERSON_COLUMNS = [
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
_NAME_COLUMNS = [
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
_DOCUMENT_COLUMNS = ["person_id", "kind", "number", "number_index", "expiry_date", "created_at"]
_PHONE_COLUMNS = ["person_id", "number", "number_index", "created_at"]
