"""Reading the CSV files people actually send: UTF-8 with or without BOM, Windows-1251,
``;`` or ``,`` separators, CRLF line ends and blank lines."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

# Encodings a Tajik or Russian office is likely to produce besides UTF-8.
CYRILLIC_ENCODINGS = ["cp1251", "koi8_r", "cp866", "mac_cyrillic"]


class FileRefused(ValueError):
    """The file cannot be read at all (encoding, header); nothing was imported."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def located(file_name: str, line: int, field: str, message: str) -> str:
    if field:
        return _("%(file)s, line %(line)d, field %(field)s: %(message)s") % {
            "file": file_name,
            "line": line,
            "field": field,
            "message": message,
        }
    return _("%(file)s, line %(line)d: %(message)s") % {
        "file": file_name,
        "line": line,
        "message": message,
    }


def decode(data: bytes, file_name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000], cp_isolation=CYRILLIC_ENCODINGS).best()
    if best is None or best.encoding is None:
        raise FileRefused(
            [_("%(file)s: the text encoding is not UTF-8 or Windows-1251.") % {"file": file_name}]
        )
    return data.decode(best.encoding, errors="replace")


@dataclass
class Table:
    file_name: str
    columns: list[str]
    text: str
    delimiter: str
    line_offset: int = 0

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line number, cells) for every non-blank data row, cells in ``columns`` order."""
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)
        header = next(reader, None)
        if header is None:
            return
        positions = [_normalise(h) for h in header]
        index = [positions.index(c) for c in self.columns]
        width = max(index) + 1 if index else 0
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            yield reader.line_num + self.line_offset, [cells[i] for i in index]


def _normalise(name: str) -> str:
    return name.strip().strip("\ufeff").strip().lower().replace(" ", "_")


def open_table(
    data: bytes, file_name: str, required: list[str], optional: tuple[str, ...] = ()
) -> Table:
    """Decode, detect the separator and check the header; raise ``FileRefused`` if unusable."""
    text = decode(data, file_name)
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        raise FileRefused([_("%(file)s: the file is empty.") % {"file": file_name}])
    delimiter = ";" if first.count(";") > first.count(",") else ","
    header = [_normalise(h) for h in next(csv.reader([first], delimiter=delimiter))]
    missing = [c for c in required if c not in header]
    if missing:
        raise FileRefused(
            [
                located(
                    file_name,
                    1,
                    "",
                    _("missing columns: %(columns)s") % {"columns": ", ".join(missing)},
                )
            ]
        )
    # Blank lines before the header are skipped: find the header's own offset.
    start = text.find(first)
    columns = required + [c for c in optional if c in header]
    return Table(file_name, columns, text[start:], delimiter, text[:start].count("\n"))
