"""``manage.py screen`` and ``manage.py dedupe`` (what ``hamroh screen|dedupe`` run)."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

HEADER = "id,surname,given_name,patronymic,full_name,birth_date,sex,nationality,document_number"


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "people.csv").write_text(
        HEADER + "\np1,Джураев,Джамшед,Каримович,,1990-05-17,M,TJK,\n"
        "p2,Назаров,Умед,,,1970-01-01,M,TJK,\n",
        encoding="utf-8",
    )
    (tmp_path / "list.csv").write_text(
        HEADER.replace(",", ";") + "\r\ne1;;;;DZHURAEV DZHAMSHED;1990-05-17;M;TJK;\r\n",
        encoding="utf-8-sig",
    )
    return tmp_path


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_screen_writes_the_matches_file(files: Path) -> None:
    out = StringIO()
    call_command(
        "screen", files / "people.csv", files / "list.csv", out=files / "m.csv", stdout=out
    )
    (row,) = rows(files / "m.csv")
    assert (row["person_id"], row["entry_id"], row["decision"]) == ("p1", "e1", "match")
    assert "surname agrees" in row["reasons"]
    assert str(files / "m.csv") in out.getvalue()


def test_screen_reports_a_bad_file_by_line_and_field_and_writes_nothing(files: Path) -> None:
    (files / "people.csv").write_text(HEADER + "\np1,A,B,,,1990-13-01,,,\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("screen", files / "people.csv", files / "list.csv", out=files / "m.csv")
    assert "line 2" in str(error.value) and "birth_date" in str(error.value)
    assert not (files / "m.csv").exists()


def test_screen_refuses_an_output_folder_that_does_not_exist(files: Path) -> None:
    with pytest.raises(CommandError):
        call_command("screen", files / "people.csv", files / "list.csv", out=files / "no" / "m.csv")


def test_dedupe_writes_one_cluster_per_person(files: Path) -> None:
    (files / "records.csv").write_text(
        HEADER + "\nr1,Ҷӯраев,Ҷамшед,,,1990-05-17,M,,\nr2,,,,DZHURAEV DZHAMSHED,1990-05-17,M,,\n"
        "r3,Ҷӯраев,Фирӯз,,,1990-05-17,M,,\n",
        encoding="utf-8",
    )
    call_command("dedupe", files / "records.csv", out=files / "c.csv", verbosity=0)
    assert {r["id"]: r["cluster_id"] for r in rows(files / "c.csv")} == {
        "r1": "r1",
        "r2": "r1",
        "r3": "r3",
    }


def test_dedupe_reports_a_bad_file_and_writes_nothing(files: Path) -> None:
    (files / "records.csv").write_text("id,surname\nr1,A\nr1,B\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("dedupe", files / "records.csv", out=files / "c.csv")
    assert "line 3" in str(error.value)
    assert not (files / "c.csv").exists()
