"""Reading a restriction list file from a partner: CSV (any usual office flavour) or Excel.

Columns: the person columns of DESIGN.md (``id`` or ``entry_id`` names the partner's entry),
the passport's ``document_issue_date`` when the partner publishes it, and
``list_kind, reason, legal_basis, valid_from, valid_until, source_reference``. Files come
as UTF-8 with or without a byte-order mark or as Windows-1251, comma- or
semicolon-separated, with Windows line ends and blank lines. Anything that would silently
change a result (an unknown column, a repeated entry, an impossible date, a file mixing two
encodings) is reported with the file, line and column, and nothing is loaded.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import TypeVar

from django.utils.translation import gettext as _

from hamroh.identity.engine import BirthDate
from hamroh.screening.models import PERSON_FIELDS

Item = TypeVar("Item")

LIST_COLUMNS = (
    "list_kind",
    "reason",
    "legal_basis",
    "valid_from",
    "valid_until",
    "source_reference",
)
ID_COLUMNS = ("id", "entry_id")
KNOWN_COLUMNS = frozenset((*ID_COLUMNS, *PERSON_FIELDS, *LIST_COLUMNS))
NAME_COLUMNS = ("surname", "given_name", "full_name")
MAX_PROBLEMS = 20

# The list's own text columns, as each entry's ``meta`` holds them (with the two dates).
_META_TEXTS = ("list_kind", "reason", "legal_basis", "source_reference")
_SEX = {"M": "M", "F": "F", "М": "M", "Ж": "F"}
_NATIONALITY = re.compile(r"^[A-Z]{3}$")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
# A UTF-8 encoded Cyrillic letter: two bytes, lead D0-D4. Seeing these in a file that is not
# valid UTF-8 means two encodings were pasted together.
_UTF8_CYRILLIC = re.compile(rb"[\xd0-\xd4][\x80-\xbf]")


@dataclass(frozen=True)
class Problem:
    line: int | None
    column: str
    message: str

    def located(self, file_name: str) -> str:
        parts = [file_name]
        if self.line is not None:
            parts.append(_("line %(line)d") % {"line": self.line})
        if self.column:
            parts.append(_("column “%(column)s”") % {"column": self.column})
        return ", ".join(parts) + ": " + self.message


class ListFileError(ValueError):
    """A list file that cannot be loaded; ``problems`` are located and translated."""

    def __init__(self, file_name: str, problems: list[Problem]) -> None:
        self.file_name = file_name
        self.problems = problems
        super().__init__("\n".join(p.located(file_name) for p in problems))

    @property
    def messages(self) -> list[str]:
        return [p.located(self.file_name) for p in self.problems]


@dataclass
class ListRow:
    entry_id: str
    person: dict[str, str]
    meta: dict[str, object] = field(default_factory=dict)


def decode(raw: bytes, file_name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        if _UTF8_CYRILLIC.search(raw):
            raise ListFileError(
                file_name,
                [
                    Problem(
                        line,
                        "",
                        _(
                            "the file mixes two text encodings (UTF-8 and another); "
                            "save it again in one encoding, preferably UTF-8"
                        ),
                    )
                ],
            ) from None
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:200_000]).best()
    encoding = best.encoding if best is not None else "cp1251"
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        try:
            return raw.decode("cp1251")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise ListFileError(
                file_name,
                [Problem(line, "", _("the text encoding cannot be recognised; save it as UTF-8"))],
            ) from None


def _delimiter(text: str) -> str:
    """``;`` if the first line that is not blank has more of them than commas."""
    end = 4096
    while True:  # the first lines only: splitting a whole large file would take a while
        lines = text[:end].splitlines()
        if end < len(text):
            lines.pop()  # possibly cut short
        for first in lines:
            if first.strip():
                return ";" if first.count(";") > first.count(",") else ","
        if end >= len(text):
            return ","
        end *= 4


def _csv_rows(raw: bytes, file_name: str) -> Iterator[tuple[int, list[str]]]:
    text = decode(raw, file_name)
    return _read_csv(text, _delimiter(text), file_name)


def _read_csv(
    text: str, delimiter: str, file_name: str, first_line: int = 1
) -> Iterator[tuple[int, list[str]]]:
    """The rows of CSV text (line number, cells); ``first_line`` is the number of its first
    line in the file."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    before = first_line - 1
    try:
        for row in reader:
            yield before + reader.line_num, row
    except csv.Error as error:
        raise ListFileError(
            file_name,
            [Problem(before + reader.line_num, "", _("broken CSV: %(error)s") % {"error": error})],
        ) from None


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _excel_rows(raw: bytes, file_name: str) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise ListFileError(
            file_name, [Problem(None, "", _("the Excel workbook cannot be opened"))]
        ) from None
    sheet = book.worksheets[0]
    for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
        yield number, [_cell(value) for value in values]
    book.close()


def _date(text: str) -> str:
    """ISO dates as they are; DD.MM.YYYY (common in Russian files) turned into ISO."""
    found = _DOTTED.match(text)
    if found:
        day, month, year = found.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return text


# Lists repeat the same few thousand dates: each is parsed once per process (the caches
# hold results only; an impossible date raises again, with the message in the language of
# the moment).
@lru_cache(maxsize=100_000)
def _birth_date(text: str) -> str:
    # Most are real days written YYYY-MM-DD, which the engine keeps as they are: those skip
    # its parser, several times slower (and each worker process fills its own cache).
    if _ISO_DAY.fullmatch(text) and 1800 <= int(text[:4]) <= 2200:
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            pass
        else:
            return text
    return str(BirthDate.parse(_date(text)))


@lru_cache(maxsize=100_000)
def _full_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(_date(text))
    except ValueError:
        raise ValueError(
            _("“%(value)s” is not a real date (YYYY-MM-DD)") % {"value": text}
        ) from None


def is_excel(file_name: str, raw: bytes) -> bool:
    return file_name.lower().endswith((".xlsx", ".xlsm")) or raw[:4] == b"PK\x03\x04"


COHORT_COLUMNS = ("consent", "contact", "language")
_YES = {"yes", "y", "1", "true", "ҳа", "да"}


def read_list_file(raw: bytes, file_name: str) -> list[ListRow]:
    """Every entry of a restriction list file, or :class:`ListFileError` (up to 20 problems)."""
    return list(_checked_rows(raw, file_name, cohort=False))


def iter_list_file(raw: bytes, file_name: str) -> Iterator[ListRow]:
    """The entries of a list file one by one, as each is read and checked.

    The same checks and errors as :func:`read_list_file`, but entries come out while the
    rest of the file is still being read, so the caller can prepare and store them
    meanwhile. After the first problem no further entry comes out (the rest of the file is
    still checked, for up to 20 problems), and :class:`ListFileError` is raised at the end
    or at the twentieth problem: a caller that writes what it receives must do so in a
    transaction that the error rolls back.
    """
    return _checked_rows(raw, file_name, cohort=False)


def estimated_rows(raw: bytes, file_name: str) -> int:
    """About how many entries a list file holds (its lines, less the header), without
    reading it: for progress reports and to decide whether to start worker processes.
    Excel workbooks are not counted (0)."""
    if is_excel(file_name, raw):
        return 0
    return max(raw.count(b"\n") + (not raw.endswith(b"\n")) - 1, 0)


def read_cohort_file(raw: bytes, file_name: str) -> list[ListRow]:
    """People to screen (DESIGN.md's person CSV; other columns are ignored, as there).

    Optional ``consent`` (yes/no), ``contact`` (phone or Telegram) and ``language`` say
    whether and how the person may be told about a confirmed match.
    """
    return list(_checked_rows(raw, file_name, cohort=True))


@dataclass(frozen=True)
class Layout:
    """The header of a list file, as :func:`check_rows` needs it."""

    file_name: str
    header: list[str]
    id_column: str
    cohort: bool


def open_list_file(
    raw: bytes, file_name: str, *, cohort: bool = False
) -> tuple[Layout, Iterator[tuple[int, list[str]]]]:
    """The checked header of a file and its remaining rows (line number, cells), unchecked."""
    rows = _excel_rows(raw, file_name) if is_excel(file_name, raw) else _csv_rows(raw, file_name)
    layout, _line = _read_header(file_name, rows, cohort)
    return layout, rows


@dataclass(frozen=True)
class Part:
    """Consecutive lines of a CSV list file, whole rows: iterating gives the rows (line
    number, cells) as :func:`open_list_file`'s would come, or :class:`ListFileError` for
    broken CSV."""

    file_name: str
    delimiter: str
    first_line: int
    text: str

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        return _read_csv(self.text, self.delimiter, self.file_name, self.first_line)


def split_list_file(
    raw: bytes, file_name: str, lines: int
) -> tuple[Layout, Iterator[Iterable[tuple[int, list[str]]]]]:
    """The checked header of a list file and its remaining rows (line number, cells),
    unchecked, in parts of about ``lines`` rows.

    A CSV file with no quote and no bare carriage return has one row per line, blank ones
    included, so its parts are :class:`Part` (text, split into cells by whoever reads the
    part); others (quoted cells may hold line breaks) are split into cells here, and their
    parts are lists of rows."""
    if is_excel(file_name, raw):
        layout, rows = open_list_file(raw, file_name)
        return layout, chunks(rows, lines)
    text = decode(raw, file_name)
    delimiter = _delimiter(text)
    if '"' in text or ("\r" in text and text.count("\r") != text.count("\r\n")):
        rows = _read_csv(text, delimiter, file_name)
        layout, _line = _read_header(file_name, rows, False)
        return layout, chunks(rows, lines)
    # One row per line: the header is found in the first lines (a copy of the whole text
    # for the csv module would take a while), unless there is none there.
    head = text[: text.find("\n", 1 << 16) + 1 or len(text)]
    try:
        layout, header_line = _read_header(file_name, _read_csv(head, delimiter, file_name), False)
    except ListFileError:
        layout, header_line = _read_header(file_name, _read_csv(text, delimiter, file_name), False)
    start = 0
    for _line in range(header_line):  # the header's line and any blank ones before it
        start = text.find("\n", start) + 1 or len(text)

    def parts(start: int, first_line: int) -> Iterator[Part]:
        size = max(lines * len(head) // max(head.count("\n"), 1), 1)  # characters, about
        while start < len(text):
            end = text.find("\n", start + size - 1) + 1 or len(text)
            yield Part(file_name, delimiter, first_line, text[start:end])
            first_line += text.count("\n", start, end)
            start = end

    return layout, parts(start, header_line + 1)


def chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """``items`` in lists of ``size`` (the last one shorter)."""
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _read_header(
    file_name: str, rows: Iterator[tuple[int, list[str]]], cohort: bool
) -> tuple[Layout, int]:
    """The checked header, read from ``rows`` (which are left at the line after it), and
    its line number."""
    problems: list[Problem] = []
    header: list[str] | None = None
    header_line = 0
    for line, row in rows:
        if any(cell.strip() for cell in row):
            header = [cell.strip().lower() for cell in row]
            header_line = line
            break
    if header is None:
        raise ListFileError(file_name, [Problem(None, "", _("the file is empty"))])
    for at, name in enumerate(header):
        if name and name not in KNOWN_COLUMNS and not cohort:
            problems.append(
                Problem(header_line, name, _("unknown column; expected the list's columns"))
            )
        elif name and header.index(name) != at:
            problems.append(Problem(header_line, name, _("the column appears twice")))
    id_column = next((name for name in ID_COLUMNS if name in header), "")
    if not id_column:
        problems.append(Problem(header_line, "id", _("the entry id column is missing")))
    if not any(name in header for name in NAME_COLUMNS):
        problems.append(
            Problem(header_line, "surname", _("no name column (surname, given_name or full_name)"))
        )
    if problems:
        raise ListFileError(file_name, problems)
    return Layout(file_name, header, id_column, cohort), header_line


def _checked_rows(raw: bytes, file_name: str, *, cohort: bool) -> Iterator[ListRow]:
    layout, rows = open_list_file(raw, file_name, cohort=cohort)
    count = 0
    for row in check_rows(layout, rows):
        count += 1
        yield row
    if not count:
        raise ListFileError(file_name, [Problem(None, "", _("the file has no entries"))])


def check_rows(layout: Layout, rows: Iterable[tuple[int, list[str]]]) -> Iterator[ListRow]:
    """The entries of ``rows`` (a whole file's or a part's) as each is checked; after the
    first problem no further entry comes out, and :class:`ListFileError` is raised at the
    end or at the twentieth problem. An entry id repeated within ``rows`` is a problem;
    one repeated across parts is the caller's to find."""
    file_name, header, id_column, cohort = (
        layout.file_name,
        layout.header,
        layout.id_column,
        layout.cohort,
    )
    problems: list[Problem] = []
    width = len(header)
    seen: dict[str, int] = {}
    # Cells are read by position from the row padded with empty cells to ``width + 1``: a
    # missing trailing cell reads as empty, and a column the file lacks reads the last
    # cell, which is always empty (cells beyond the header's must be empty).
    positions = {name: at for at, name in enumerate(header)}

    def cells_of(*names: str) -> Callable[[list[str]], tuple[str, ...]]:  # two names or more
        return itemgetter(*(positions.get(name, width) for name in names))

    id_at = positions.get(id_column, width)
    person_cells = cells_of(*PERSON_FIELDS)
    meta_cells = cells_of(*_META_TEXTS)
    cohort_cells = cells_of(*COHORT_COLUMNS)
    dates_cells = cells_of("valid_from", "valid_until")
    padding = [""] * (width + 1)

    def problem(line: int, column: str, message: str) -> None:
        problems.append(Problem(line, column, message))
        if len(problems) >= MAX_PROBLEMS:
            raise ListFileError(file_name, problems)

    for line, row in rows:
        if not "".join(row).strip():
            continue
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            problem(
                line,
                "",
                _("the row has %(found)d fields but the header has %(expected)d")
                % {"found": len(row), "expected": width},
            )
            continue
        cells = list(map(str.strip, row))
        if len(cells) <= width:
            cells += padding[len(cells) :]
        entry_id = cells[id_at]
        if not entry_id:
            problem(line, id_column, _("the entry id is empty"))
            continue
        if entry_id in seen:
            problem(
                line,
                id_column,
                _("entry %(id)s repeats line %(first)d")
                % {"id": entry_id, "first": seen[entry_id]},
            )
            continue
        seen[entry_id] = line
        person = dict(zip(PERSON_FIELDS, person_cells(cells), strict=True))
        if not (person["surname"] or person["given_name"] or person["full_name"]):
            problem(line, "surname", _("the entry has no name"))
        if person["birth_date"]:
            try:
                person["birth_date"] = _birth_date(person["birth_date"])
            except ValueError:
                problem(
                    line,
                    "birth_date",
                    _("“%(value)s” is not a possible birth date (YYYY, YYYY-MM or YYYY-MM-DD)")
                    % {"value": person["birth_date"]},
                )
        if person["sex"]:
            sex = _SEX.get(person["sex"].upper())
            if sex is None:
                problem(line, "sex", _("sex must be M, F or empty"))
            else:
                person["sex"] = sex
        if person["nationality"]:
            person["nationality"] = person["nationality"].upper()
            if not _NATIONALITY.match(person["nationality"]):
                problem(line, "nationality", _("nationality must be a code such as TJK"))
        meta: dict[str, object]
        if cohort:
            consent, contact, language = cohort_cells(cells)
            meta = {
                "consent": consent.lower() in _YES,
                "contact": contact,
                "language": language.lower()[:2],
            }
        else:
            meta = dict(zip(_META_TEXTS, meta_cells(cells), strict=True))
        if person["document_issue_date"]:
            try:
                issued = _full_date(person["document_issue_date"])
            except ValueError as error:
                problem(line, "document_issue_date", str(error))
            else:
                person["document_issue_date"] = issued.isoformat()
        dates: list[dt.date | None] = []
        for name, text in zip(("valid_from", "valid_until"), dates_cells(cells), strict=True):
            parsed = None
            if text:
                try:
                    parsed = _full_date(text)
                except ValueError as error:
                    problem(line, name, str(error))
            meta[name] = parsed
            dates.append(parsed)
        valid_from, valid_until = dates
        if valid_from and valid_until and valid_until < valid_from:
            problem(line, "valid_until", _("the restriction ends before it starts"))
        if not problems:  # nothing more comes out once the file is known to be bad
            yield ListRow(entry_id=entry_id, person=person, meta=meta)
    if problems:
        raise ListFileError(file_name, problems)
