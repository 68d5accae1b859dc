"""The person CSV contract: messy office files are read, bad ones are refused precisely,
and results appear whole or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hamroh.identity.engine import (
    BirthDate,
    Match,
    PersonFileError,
    read_person_csv,
    write_matches_csv,
)

HEADER = "id,surname,given_name,patronymic,full_name,birth_date,sex,nationality,document_number"


def write(tmp_path: Path, text: str, name: str = "people.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_it_reads_every_field(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "\np1,Ҷӯраев,Ҷамшед,Каримович,,1990-05,m,tjk,A123\n")
    (record,) = read_person_csv(path)
    assert record.surname == "Ҷӯраев" and record.patronymic == "Каримович"
    assert record.birth_date == BirthDate(1990, 5)
    assert (record.sex, record.nationality, record.document_number) == ("M", "TJK", "A123")


def test_a_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "\np1,Juraev,Jamshed,,,1990,,,\n", encoding="utf-8-sig")
    assert read_person_csv(path)[0].id == "p1"


def test_semicolons_windows_line_ends_and_blank_lines_are_accepted(tmp_path: Path) -> None:
    text = HEADER.replace(",", ";") + "\r\n\r\np1;Juraev;Jamshed;;;1990;;;\r\n\r\np2;;;;X Y;;;;\r\n"
    assert [r.id for r in read_person_csv(write(tmp_path, text))] == ["p1", "p2"]


def test_extra_columns_are_ignored_and_missing_ones_are_empty(tmp_path: Path) -> None:
    path = write(tmp_path, "note,id,full_name,region\nhi,p1,Jamshed Juraev,TJ-SU\n")
    (record,) = read_person_csv(path)
    assert (record.full_name, record.surname, record.birth_date) == ("Jamshed Juraev", "", None)


def test_a_bad_birth_date_names_the_line_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "\np1,A,B,,,1990,,,\n\np2,A,B,,,17.05.1990,,,\n")
    with pytest.raises(PersonFileError) as error:
        read_person_csv(path)
    assert (error.value.line, error.value.field) == (4, "birth_date")
    assert str(path) in str(error.value) and "line 4" in str(error.value)


def test_an_unknown_sex_code_names_the_line_and_field(tmp_path: Path) -> None:
    with pytest.raises(PersonFileError) as error:
        read_person_csv(write(tmp_path, HEADER + "\np1,A,B,,,,X,,\n"))
    assert (error.value.line, error.value.field) == (2, "sex")


def test_a_bad_nationality_code_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PersonFileError) as error:
        read_person_csv(write(tmp_path, HEADER + "\np1,A,B,,,,,Tajik,\n"))
    assert error.value.field == "nationality"


def test_a_repeated_id_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PersonFileError) as error:
        read_person_csv(write(tmp_path, HEADER + "\np1,A,B,,,,,,\np1,C,D,,,,,,\n"))
    assert (error.value.line, error.value.field) == (3, "id")


def test_a_missing_id_column_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PersonFileError) as error:
        read_person_csv(write(tmp_path, "surname,given_name\nA,B\n"))
    assert error.value.field == "id"


def test_a_row_longer_than_the_header_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PersonFileError) as error:
        read_person_csv(write(tmp_path, "id,surname\np1,A,oops\n"))
    assert error.value.line == 2


def test_text_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(PersonFileError) as error:
        read_person_csv(write(tmp_path, HEADER + "\np1,Джураев,,,,,,,\n", encoding="cp1251"))
    assert error.value.line == 2


def test_a_missing_file_is_a_file_error(tmp_path: Path) -> None:
    with pytest.raises(PersonFileError):
        read_person_csv(tmp_path / "nope.csv")


def test_nothing_is_written_when_producing_results_fails(tmp_path: Path) -> None:
    out = tmp_path / "matches.csv"

    def broken() -> Iterator[Match]:
        yield Match("p1", "e1", 9.0, "match", "birth date equal")
        raise RuntimeError("disk full, say")

    with pytest.raises(RuntimeError):
        write_matches_csv(out, broken())
    assert list(tmp_path.iterdir()) == []


def test_results_are_written_with_the_contract_header(tmp_path: Path) -> None:
    out = tmp_path / "matches.csv"
    write_matches_csv(out, [Match("p1", "e1", 9.04, "match", "birth date equal")])
    assert out.read_text().splitlines() == [
        "person_id,entry_id,score,decision,reasons",
        "p1,e1,9.0,match,birth date equal",
    ]
