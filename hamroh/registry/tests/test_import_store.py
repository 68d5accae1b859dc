"""What the fast path of a registry import writes: encrypted fields, blind indexes and
phonetic keys as the registry's own services make them, all or nothing, and lines read as
the header names them."""

from __future__ import annotations

import time
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from hamroh.core.crypto import blind_index
from hamroh.core.models import Agency, AuditEntry
from hamroh.registry import importing
from hamroh.registry.models import Document, Person, PersonName, Phone
from hamroh.registry.services import name_key
from hamroh.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db

HEADER = "id;surname;given_name;patronymic;birth_date;sex;document_number;passport_expiry;phone;region;occupation"
LINES = [
    "S1;Ҷӯраев;Далер;Наимович;1993-02-02;M;400 555-001;2031-06-30;+992 90 555 0001;TJ-SU;711",
    "S2;Иванова;Ольга;;1990;F;400555002;;;TJ-KT-BOKHTAR;",
    "S3;NAZAROV;FARID;;1988-07;M;;;+992 91 555 0003;TJ-DU;921",
]


def _write(tmp_path: Path, lines: list[str], name: str = "people.csv") -> Path:
    path = tmp_path / name
    path.write_text("\r\n".join([HEADER, *lines]) + "\r\n", encoding="utf-8")
    return path


def _import(path: Path, *flags: str) -> str:
    """``hamroh import registry --skip-duplicate-check`` of ``path``; what it printed."""
    out = StringIO()
    call_command(
        "import_registry",
        str(path),
        "--agency",
        "aoe",
        "--skip-duplicate-check",
        *flags,
        stdout=out,
    )
    return out.getvalue()


def _refused(path: Path, *flags: str) -> str:
    """The same import, refused as a whole; the problems it reported."""
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command(
            "import_registry",
            str(path),
            "--agency",
            "aoe",
            "--skip-duplicate-check",
            *flags,
            stdout=StringIO(),
            stderr=err,
        )
    return err.getvalue()


def _cache_size() -> Any:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return cursor.fetchone()[0]


def test_fields_are_encrypted_indexed_and_keyed_as_the_registry_does(tmp_path: Path) -> None:
    _import(_write(tmp_path, LINES))

    daler = Person.objects.get(source_ref="S1")
    name = daler.names.get()
    assert (name.surname, name.given_name, name.patronymic) == ("Ҷӯраев", "Далер", "Наимович")
    assert (name.surname_key, name.given_key) == (name_key("Ҷӯраев"), name_key("Далер"))
    assert name.script == PersonName.Script.TAJIK and name.source == PersonName.Source.IMPORT
    passport = daler.documents.get()
    assert passport.number == "400 555-001"
    assert passport.number_index == blind_index("400555001")
    assert passport.expiry_date == date(2031, 6, 30)
    # Times are stored as the instant of the import, whatever form they travel in.
    assert abs((timezone.now() - daler.created_at).total_seconds()) < 120
    assert daler.created_at == daler.updated_at == daler.consent_at == name.created_at
    assert passport.created_at == daler.created_at
    assert Document.objects.get(person__source_ref="S2").expiry_date is None
    phone = daler.phones.get()
    assert phone.number == "+992 90 555 0001" and phone.number_index == blind_index("992905550001")
    assert (daler.birth_year, daler.birth_month, daler.birth_day) == (1993, 2, 2)

    olga = Person.objects.get(source_ref="S2")
    assert olga.names.get().script == PersonName.Script.RUSSIAN
    assert (olga.region_id, olga.district_id, olga.occupation_id) == (
        "TJ-KT",
        "TJ-KT-BOKHTAR",
        None,
    )
    assert not olga.phones.exists() and olga.birth_month is None

    farid = Person.objects.get(source_ref="S3")
    assert farid.names.get().script == PersonName.Script.LATIN and not farid.documents.exists()
    assert (farid.birth_year, farid.birth_month, farid.birth_day) == (1988, 7, None)

    # Nothing readable in the tables themselves.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT surname, given_name FROM {PersonName._meta.db_table}")
        stored = " ".join(" ".join(row) for row in cursor.fetchall())
        cursor.execute(f"SELECT number FROM {Document._meta.db_table}")
        stored += " ".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"SELECT number FROM {Phone._meta.db_table}")
        stored += " ".join(row[0] for row in cursor.fetchall())
    for plain in ("Ҷӯраев", "Ольга", "NAZAROV", "400555", "555 0003"):
        assert plain not in stored
    # The people of one file get distinct ids from the registry's pattern.
    ids = list(Person.objects.values_list("public_id", flat=True))
    assert len(set(ids)) == 3 and all(len(i) == 12 and i[0] == "P" for i in ids)


def test_a_failure_while_storing_leaves_nothing_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batches written before the failure go with it; the page cache is set back."""
    before = (Person.objects.count(), PersonName.objects.count(), Document.objects.count())
    cache = _cache_size() if connection.vendor == "sqlite" else None
    monkeypatch.setattr(importing, "_BATCH", 1)
    written = []
    insert = importing._insert

    def failing_insert(table: str, columns: list[str], rows: list[Any]) -> None:
        insert(table, columns, rows)
        written.append(table)
        if len(written) == 6:  # in the second batch, after its people and names went in
            raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "_insert", failing_insert)
    with pytest.raises(RuntimeError, match="disk full"):
        _import(_write(tmp_path, LINES))
    assert (Person.objects.count(), PersonName.objects.count(), Document.objects.count()) == before
    assert not AuditEntry.objects.filter(object_type="registry.import").exists()
    if cache is not None:
        assert _cache_size() == cache


def test_registered_passports_are_found_in_every_lookup_chunk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = make_person(passport_number="400555001")
    last, _ = make_person(passport_number="400555002")
    monkeypatch.setattr(importing, "_LOOKUP_CHUNK", 1)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_registry", str(_write(tmp_path, LINES)), "--agency", "aoe", stderr=err)
    text = err.getvalue()
    assert (
        f"line 2, column document_number: This passport number is already registered to person {first.public_id}"
        in text
    )
    assert (
        f"line 3, column document_number: This passport number is already registered to person {last.public_id}"
        in text
    )


def test_the_same_bad_date_is_reported_on_every_line_and_short_lines_are_read(
    tmp_path: Path,
) -> None:
    lines = [
        "B1;Саидов;Умед;;31.02.1991;M;400555011;;;TJ-SU;711",
        "B2;Саидов;Умед;;31.02.1991;M;400555012;;;TJ-SU;711",
        "B3;Саидов;Умед;;1991-01-01;M;400555013;2030-02",  # ends before phone and region
    ]
    report = importing.check_file(_write(tmp_path, lines), find_duplicates=False)
    located = {(p.line, p.column) for p in report.problems}
    assert located == {(2, "birth_date"), (3, "birth_date"), (4, "passport_expiry"), (4, "region")}
    assert not report.rows


def test_a_column_named_twice_takes_the_later_cell_where_the_line_reaches_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "twice.csv"
    path.write_text(
        "surname;given_name;birth_date;sex;region;Регион\n"
        "Каримов;Баҳром;1990;M;TJ-XX;TJ-SU\n"
        "Каримов;Баҳром;1990;M;TJ-KT\n",
        encoding="utf-8",
    )
    report = importing.check_file(path, find_duplicates=False)
    assert report.ok
    assert [(row.line, row.region) for row in report.rows] == [(2, "TJ-SU"), (3, "TJ-KT")]


@pytest.mark.parametrize("at_once", [True, False], ids=["checked-and-stored", "stored"])
def test_the_worker_process_stores_the_same_as_the_import_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at_once: bool
) -> None:
    """Large files are encrypted in a forked worker beside the writing; forced here for a
    small file, over several batches, both when each batch is written as soon as it is
    checked (the command without the duplicate search) and after the whole file is."""
    monkeypatch.setattr(importing, "_WORKER_FROM", 0)
    monkeypatch.setattr(importing, "_BATCH", 2)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    real = importing._serve_secrets
    served = tmp_path / "served"

    def serving(inbox: Any, outbox: Any) -> None:
        served.touch()  # in the forked process
        real(inbox, outbox)

    monkeypatch.setattr(importing, "_serve_secrets", serving)
    if at_once:
        _import(_write(tmp_path, LINES))
    else:
        report = importing.check_file(_write(tmp_path, LINES), find_duplicates=False)
        importing.store(report, agency=Agency.objects.get(code="aoe"), actor=None, actor_label="")
    assert served.exists()
    names = {p.source_ref: p.names.get() for p in Person.objects.filter(source_ref__startswith="S")}
    assert (names["S1"].surname, names["S3"].given_name) == ("Ҷӯраев", "FARID")
    assert names["S2"].surname_key == name_key("Иванова")
    assert Person.objects.get(source_ref="S3").phones.get().number == "+992 91 555 0003"
    assert Document.objects.get(person__source_ref="S2").number_index == blind_index("400555002")


@pytest.mark.parametrize("at_once", [True, False], ids=["checked-and-stored", "stored"])
def test_a_worker_that_dies_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at_once: bool
) -> None:
    monkeypatch.setattr(importing, "_WORKER_FROM", 0)
    monkeypatch.setattr(importing, "_BATCH", 1)
    monkeypatch.setattr("os.cpu_count", lambda: 2)

    def dying(inbox: Any, outbox: Any) -> None:
        outbox.send("\n".join(importing._batch_secrets(inbox.recv(), {})))
        raise SystemExit(1)  # before the second batch

    monkeypatch.setattr(importing, "_serve_secrets", dying)
    before = Person.objects.count()
    with pytest.raises(RuntimeError, match="worker process ended early"):
        if at_once:
            _import(_write(tmp_path, LINES))
        else:
            report = importing.check_file(_write(tmp_path, LINES), find_duplicates=False)
            importing.store(
                report, agency=Agency.objects.get(code="aoe"), actor=None, actor_label=""
            )
    assert Person.objects.count() == before


def test_the_cycle_collector_is_paused_while_importing_and_set_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    during: list[bool] = []
    insert = importing._insert

    def watching(table: str, columns: list[str], rows: list[Any]) -> None:
        during.append(gc.isenabled())
        insert(table, columns, rows)

    monkeypatch.setattr(importing, "_insert", watching)
    assert gc.isenabled()
    _import(_write(tmp_path, LINES))
    assert during and not any(during)
    assert gc.isenabled()
    monkeypatch.setattr(importing, "_insert", lambda *args: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        _import(_write(tmp_path, [line.replace("555", "556") for line in LINES]))
    assert gc.isenabled()


@pytest.mark.parametrize("bulk", ["--bulk", "--no-bulk"])
def test_a_bad_line_after_batches_were_written_leaves_nothing_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bulk: str
) -> None:
    """Without the duplicate search each batch is written as soon as it is checked: a wrong
    line further down still leaves nothing, and every problem is reported as before."""
    monkeypatch.setattr(importing, "_BATCH", 1)
    written: list[str] = []
    insert = importing._insert

    def counting(table: str, columns: list[str], rows: list[Any]) -> None:
        written.append(table)
        insert(table, columns, rows)

    monkeypatch.setattr(importing, "_insert", counting)
    check = importing._Checker.check

    def checking_after_a_write(self: Any, line: int, *args: Any) -> Any:
        # The writing runs in its own thread: the bad line is read once a batch is in.
        if line == 5:
            for _ in range(1000):
                if written:
                    break
                time.sleep(0.01)
        return check(self, line, *args)

    monkeypatch.setattr(importing._Checker, "check", checking_after_a_write)
    before = [m.objects.count() for m in (Person, PersonName, Document, Phone)]
    bad = "S9;Каримов;;;1990-13-45;X;;;;TJ-XX;"
    problems = _refused(_write(tmp_path, [*LINES, bad]), bulk)
    assert written  # batches went in before line 5 was read
    assert [m.objects.count() for m in (Person, PersonName, Document, Phone)] == before
    assert not AuditEntry.objects.filter(object_type="registry.import").exists()
    located = [line for line in problems.splitlines() if ", line 5, " in line]
    assert [line.split("column ")[1].split(":")[0] for line in located] == [
        "given_name",
        "birth_date",
        "sex",
        "region",
    ]


@pytest.mark.parametrize("bulk", ["--bulk", "--no-bulk"])
def test_a_registered_passport_in_a_later_batch_is_refused_with_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bulk: str
) -> None:
    monkeypatch.setattr(importing, "_BATCH", 1)
    first, _ = make_person(passport_number="400555002")
    before = Person.objects.count()
    assert _refused(_write(tmp_path, LINES), bulk).splitlines() == [
        f"{tmp_path / 'people.csv'}, line 3, column document_number: This passport number is "
        f"already registered to person {first.public_id}."
    ]
    assert Person.objects.count() == before


def test_checking_and_storing_at_once_stores_and_says_what_checking_then_storing_does(
    tmp_path: Path,
) -> None:
    def stored() -> list[tuple[Any, ...]]:
        return sorted(
            (
                p.source_ref,
                p.sex,
                p.birth_date_text,
                p.region_id,
                p.district_id,
                p.occupation_id,
                p.import_batch,
                tuple(
                    (n.surname, n.given_name, n.patronymic, n.surname_key) for n in p.names.all()
                ),
                tuple((d.number, d.number_index, d.expiry_date) for d in p.documents.all()),
                tuple((f.number, f.number_index) for f in p.phones.all()),
            )
            for p in Person.objects.filter(source_ref__startswith="S")
        )

    path = _write(tmp_path, LINES)
    at_once = _import(path)
    first = stored()
    assert len(first) == 3
    Person.objects.filter(source_ref__startswith="S").delete()
    report = importing.check_file(path, find_duplicates=False)
    importing.store(report, agency=Agency.objects.get(code="aoe"), actor=None, actor_label="")
    assert stored() == first
    assert at_once.splitlines()[:4] == [
        "3 lines checked, 0 problems; columns: id, surname, given_name, patronymic, birth_date, "
        "sex, document_number, passport_expiry, phone, region, occupation",
        "  line 2: M 1993-02-02 TJ-SU 711",
        "  line 3: F 1990 TJ-KT -",
        "  line 4: M 1988-07 TJ-DU 921",
    ]
    assert at_once.splitlines()[4].startswith("3 people imported in ")
