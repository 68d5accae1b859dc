"""``hamroh import departures FILE.csv``: encodings, separators, located errors, all or nothing."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from hamroh.stats.models import Departure, ImportBatch

pytestmark = pytest.mark.django_db

HEADER = (
    "person_id,sex,birth_date,departure_date,destination,destination_region,"
    "origin_region,occupation,channel"
)
ROWS = [
    "a1,M,1990-05-01,2023-02-01,RUS,Москва,TJ-SU,7112,individual",
    "a2,F,1995,2023-03-15,KAZ,,TJ-KT-KULOB,,organised",
    "a3,M,1988-11,2023-07-20,RUS,,TJ-RA,931,individual",
]


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "dep.csv") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def run(path: str, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_departures", path, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_records_and_reports_progress(tmp_path: Path) -> None:
    out, err = run(write(tmp_path, "\n".join([HEADER, *ROWS]) + "\n"))
    assert Departure.objects.count() == 3
    assert "3 added" in out
    assert "stored 3 of 3" in err
    kulob = Departure.objects.get(person_ref="a2")
    assert (kulob.origin_region, kulob.origin_district) == ("TJ-KT", "TJ-KT-KULOB")
    assert kulob.batch == ImportBatch.objects.get()


def test_importing_the_same_file_twice_adds_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "\n".join([HEADER, *ROWS]))
    run(path)
    out, _ = run(path)
    assert Departure.objects.count() == 3
    assert "0 added, 3 already present" in out


def test_it_reads_windows_1251_with_semicolons_crlf_and_blank_lines(tmp_path: Path) -> None:
    text = "\r\n".join([HEADER.replace(",", ";"), "", *(r.replace(",", ";") for r in ROWS), ""])
    run(write(tmp_path, text, encoding="cp1251"))
    assert Departure.objects.get(person_ref="a1").destination_region == "Москва"


def test_it_reads_utf8_with_a_byte_order_mark(tmp_path: Path) -> None:
    run(write(tmp_path, "\ufeff" + "\n".join([HEADER, *ROWS]), encoding="utf-8"))
    assert Departure.objects.count() == 3


def test_one_bad_line_refuses_the_whole_file_naming_file_line_and_field(tmp_path: Path) -> None:
    rows = [
        *ROWS,
        "a4,M,1990,2023-13-01,RUS,,TJ-SU,,individual",
        "a5,M,1990,2023-01-01,ZZZ,,TJ-SU,,individual",
    ]
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: 2 problem"):
        call_command("import_departures", write(tmp_path, "\n".join([HEADER, *rows])), stderr=err)
    assert "dep.csv, line 5, field departure_date" in err.getvalue()
    assert "dep.csv, line 6, field destination" in err.getvalue()
    assert not Departure.objects.exists()
    assert not ImportBatch.objects.exists()


def test_it_names_missing_columns(tmp_path: Path) -> None:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_departures", write(tmp_path, "person_id,sex\na1,M\n"), stderr=err)
    assert "missing columns: birth_date" in err.getvalue()


def test_the_hamroh_import_command_runs_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # run_from_argv closes every database connection when it ends, so run the command the
    # CLI names through call_command rather than in this test's own connection.
    from django.core import management

    from hamroh import cli

    called: list[list[str]] = []
    monkeypatch.setattr(management, "execute_from_command_line", called.append)
    monkeypatch.setattr(cli, "_setup_django", lambda: None)
    path = write(tmp_path, "\n".join([HEADER, *ROWS]))
    cli.main(["import", "departures", path])
    assert called == [["hamroh", "import_departures", path]]
    run(path)
    assert Departure.objects.count() == 3
