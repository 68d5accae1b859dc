"""The person CSV contract (DESIGN.md "Data contracts"): reading it, and writing results.

Office files arrive with a byte-order mark or without, comma- or semicolon-separated, with
Windows line ends and blank lines; all of that is accepted. Anything that would silently
change a result (a bad date, an unknown sex code, a duplicate id) is an error naming the
file, line and field. Output files are written to a temporary file and renamed, so a failed
run leaves nothing behind and never half a file.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .records import BirthDate, Cluster, Match, PersonRecord

COLUMNS = (
    "id",
    "surname",
    "given_name",
    "patronymic",
    "full_name",
    "birth_date",
    "sex",
    "nationality",
    "document_number",
)
_NAME_COLUMNS = ("surname", "given_name", "patronymic", "full_name")
# Cyrillic М/Ж (мужской/женский) turn up in files typed on Russian keyboards.
_SEX = {"M": "M", "F": "F", "М": "M", "Ж": "F"}
_NATIONALITY = re.compile(r"^[A-Z]{3}$")


class PersonFileError(ValueError):
    """A person file that cannot be used. ``line`` is 1-based; ``field`` a column name."""

    def __init__(
        self, path: str, message: str, *, line: int | None = None, field: str | None = None
    ) -> None:
        self.path = path
        self.message = message
        self.line = line
        self.field = field
        where = path
        if line is not None:
            where += f", line {line}"
        if field is not None:
            where += f", field {field!r}"
        super().__init__(f"{where}: {message}")


def _decode(path: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PersonFileError(path, "not valid UTF-8 text", line=line) from None


def _delimiter(text: str) -> str:
    for first in text.splitlines():
        if first.strip():
            return ";" if first.count(";") > first.count(",") else ","
    return ","


def read_person_csv(path: str | os.PathLike[str]) -> list[PersonRecord]:
    """All records of a person CSV file, or :class:`PersonFileError` on the first problem."""
    name = os.fspath(path)
    try:
        raw = Path(name).read_bytes()
    except OSError as exc:
        raise PersonFileError(name, f"cannot be read ({exc.strerror})") from None
    text = _decode(name, raw)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        return list(_records(name, reader))
    except csv.Error as exc:
        raise PersonFileError(name, f"broken CSV ({exc})", line=reader.line_num) from None


def _records(path: str, reader: Iterator[list[str]]) -> Iterator[PersonRecord]:
    line_of = reader.line_num  # type: ignore[attr-defined]
    header: list[str] | None = None
    for row in reader:
        if any(cell.strip() for cell in row):
            header = [cell.strip().lower() for cell in row]
            break
    if header is None:
        raise PersonFileError(path, "the file is empty; expected a header row")
    line = reader.line_num  # type: ignore[attr-defined]
    if "id" not in header:
        raise PersonFileError(path, "the header has no 'id' column", line=line, field="id")
    if not any(column in header for column in _NAME_COLUMNS):
        raise PersonFileError(
            path, "the header has no name column (surname, given_name or full_name)", line=line
        )
    position = {column: header.index(column) for column in COLUMNS if column in header}
    width = len(header)
    seen: set[str] = set()
    del line_of
    for row in reader:
        if not any(row):
            continue  # blank line
        line = reader.line_num  # type: ignore[attr-defined]
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            raise PersonFileError(
                path, f"the row has {len(row)} fields but the header has {width}", line=line
            )
        if len(row) < width:
            row = row + [""] * (width - len(row))
        values = {column: row[i].strip() for column, i in position.items()}
        record_id = values.get("id", "")
        if not record_id:
            raise PersonFileError(path, "the id is empty", line=line, field="id")
        if record_id in seen:
            raise PersonFileError(path, f"the id {record_id!r} is repeated", line=line, field="id")
        seen.add(record_id)
        try:
            birth_date = BirthDate.parse(values.get("birth_date", ""))
        except ValueError as exc:
            raise PersonFileError(
                path, f"bad birth date: {exc}", line=line, field="birth_date"
            ) from None
        sex = values.get("sex", "")
        if sex:
            found = _SEX.get(sex.upper())
            if found is None:
                raise PersonFileError(
                    path, "sex must be M, F or empty", line=line, field="sex"
                ) from None
            sex = found
        nationality = values.get("nationality", "").upper()
        if nationality and not _NATIONALITY.match(nationality):
            raise PersonFileError(
                path,
                "nationality must be an ISO 3166-1 alpha-3 code such as TJK",
                line=line,
                field="nationality",
            )
        yield PersonRecord(
            id=record_id,
            surname=values.get("surname", ""),
            given_name=values.get("given_name", ""),
            patronymic=values.get("patronymic", ""),
            full_name=values.get("full_name", ""),
            birth_date=birth_date,
            sex=sex,
            nationality=nationality,
            document_number=values.get("document_number", ""),
        )


@contextmanager
def _atomic_text_file(path: str | os.PathLike[str]) -> Iterator[IO[str]]:
    """A file that appears at ``path`` only if the block finishes without an exception."""
    target = Path(path)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, then renamed
        "w",
        encoding="utf-8",
        newline="",
        dir=target.parent,
        prefix=f".{target.name}.",
        suffix=".tmp",
        delete=False,
    )
    try:
        with handle:
            yield handle
        os.replace(handle.name, target)
    except BaseException:
        os.unlink(handle.name)
        raise


def write_matches_csv(path: str | os.PathLike[str], matches: Iterable[Match]) -> int:
    """Write ``person_id, entry_id, score, decision, reasons``; returns the number of rows."""
    n = 0
    with _atomic_text_file(path) as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("person_id", "entry_id", "score", "decision", "reasons"))
        for m in matches:
            writer.writerow((m.person_id, m.entry_id, f"{m.score:.1f}", m.decision, m.reasons))
            n += 1
    return n


def write_clusters_csv(path: str | os.PathLike[str], clusters: Iterable[Cluster]) -> int:
    """Write ``id, cluster_id`` for every record; returns the number of rows."""
    n = 0
    with _atomic_text_file(path) as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("id", "cluster_id"))
        for cluster in clusters:
            for member in cluster.member_ids:
                writer.writerow((member, cluster.cluster_id))
                n += 1
    return n
