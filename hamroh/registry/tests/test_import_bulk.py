"""Bulk mode of the registry import: the secondary indexes (and, on PostgreSQL, the foreign
keys among the import's tables) dropped while loading and re-created before commit. What is
stored, and the schema afterwards, must be exactly what a normal import leaves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError, connection

from hamroh.core.models import AuditEntry
from hamroh.registry import importing
from hamroh.registry.models import Document, Person, PersonName, Phone
from hamroh.registry.tests.factories import make_person
from hamroh.registry.tests.test_import_store import _import, _refused, _write

pytestmark = pytest.mark.django_db

TABLES = [m._meta.db_table for m in (Person, PersonName, Document, Phone)]
LINES = [
    "B1;Ҷӯраев;Далер;Наимович;1993-02-02;M;400 777-001;2031-06-30;+992 90 777 0001;TJ-SU;711",
    "B2;Иванова;Ольга;;1990;F;400777002;;;TJ-KT-BOKHTAR;",
    "B3;NAZAROV;FARID;;1988-07;M;;;+992 91 777 0003;TJ-DU;921",
    "B4;Раҳимова;Нигина;Алиевна;1999-12-31;F;400777004;2030-01-01;+992 92 777 0004;TJ-RA;",
]


def catalog() -> list[tuple[Any, ...]]:
    """Every index and constraint of the import's tables as the database defines them,
    read here independently of the import's own catalog queries."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT 'index', tablename, indexname, indexdef FROM pg_indexes "
                "WHERE tablename = ANY(%s) "
                "UNION ALL "
                "SELECT 'constraint', conrelid::regclass::text, conname, "
                "pg_get_constraintdef(oid) || ' deferrable=' || condeferrable::text "
                "|| ' deferred=' || condeferred::text || ' valid=' || convalidated::text "
                "FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) "
                "ORDER BY 1, 2, 3",
                [TABLES, TABLES],
            )
        else:
            marks = ", ".join(["%s"] * len(TABLES))
            cursor.execute(
                f"SELECT type, tbl_name, name, sql FROM sqlite_master "
                f"WHERE tbl_name IN ({marks}) ORDER BY 1, 2, 3",
                TABLES,
            )
        return cursor.fetchall()


def _stored(batch_refs: list[str]) -> list[tuple[Any, ...]]:
    """What the import stored for these lines, without ids, registry numbers and times."""
    found = []
    for person in Person.objects.filter(source_ref__in=batch_refs).order_by("source_ref"):
        name = person.names.get()
        found.append(
            (
                person.source_ref,
                person.sex,
                person.birth_date_text,
                person.region_id,
                person.district_id,
                person.occupation_id,
                person.import_batch,
                person.source,
                person.consent_version,
                (name.surname, name.given_name, name.patronymic, name.script),
                (name.surname_key, name.given_key, name.source),
                sorted(
                    (d.kind, d.number, d.number_index, d.expiry_date)
                    for d in person.documents.all()
                ),
                sorted((p.number, p.number_index) for p in person.phones.all()),
            )
        )
    return found


def _watch_loading(monkeypatch: pytest.MonkeyPatch) -> list[list[tuple[Any, ...]]]:
    """The catalog as it is while the rows are written (once per call of ``_insert``)."""
    seen: list[list[tuple[Any, ...]]] = []
    insert = importing._insert

    def watching(table: str, columns: list[str], rows: list[Any]) -> None:
        seen.append(catalog())
        insert(table, columns, rows)

    monkeypatch.setattr(importing, "_insert", watching)
    return seen


def test_bulk_mode_stores_the_same_and_leaves_the_same_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_person(passport_number="400111001")  # the registry is not empty
    before = catalog()
    path = _write(tmp_path, LINES)
    refs = [line.split(";")[0] for line in LINES]

    _import(path, "--no-bulk")
    normal = _stored(refs)
    assert len(normal) == 4
    Person.objects.filter(source_ref__in=refs).delete()
    AuditEntry.objects.filter(object_type="registry.import").delete()

    seen = _watch_loading(monkeypatch)
    _import(path, "--bulk")
    assert _stored(refs) == normal
    # The indexes really were gone while loading, and are all back, as defined before.
    assert seen and all(during != before for during in seen)
    loading = {row[2] for row in seen[0]}
    assert "registry_phone_number" not in loading
    assert "registry_one_person_per_passport" not in loading
    assert catalog() == before
    assert AuditEntry.objects.filter(object_type="registry.import").count() == 1


def test_a_failure_in_bulk_mode_leaves_the_registry_and_its_schema_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_person(passport_number="400111001")
    before = catalog()
    counts = [m.objects.count() for m in (Person, PersonName, Document, Phone)]
    monkeypatch.setattr(importing, "_BATCH", 1)
    written: list[str] = []
    insert = importing._insert

    def failing_insert(table: str, columns: list[str], rows: list[Any]) -> None:
        insert(table, columns, rows)
        written.append(table)
        if len(written) == 6:  # in the second batch
            raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "_insert", failing_insert)
    with pytest.raises(RuntimeError, match="disk full"):
        _import(_write(tmp_path, LINES), "--bulk")
    assert [m.objects.count() for m in (Person, PersonName, Document, Phone)] == counts
    assert catalog() == before
    assert not AuditEntry.objects.filter(object_type="registry.import").exists()


def test_a_registered_passport_is_refused_with_its_line_in_bulk_mode(tmp_path: Path) -> None:
    first, _ = make_person(passport_number="400777004")
    before = catalog()
    assert (
        f"people.csv, line 5, column document_number: This passport number is already "
        f"registered to person {first.public_id}." in _refused(_write(tmp_path, LINES), "--bulk")
    )
    assert not Person.objects.filter(source_ref__startswith="B").exists()
    assert catalog() == before


def test_a_passport_twice_in_the_file_is_found_by_the_checks(tmp_path: Path) -> None:
    twice = [*LINES, "B5;Каримов;Азиз;;1980;M;400-777-002;;;TJ-SU;"]
    report = importing.check_file(_write(tmp_path, twice), find_duplicates=False)
    assert [(p.line, p.column) for p in report.problems] == [(6, "document_number")]


def test_the_rebuilt_unique_index_is_the_backstop_when_the_checks_miss_a_passport(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Were a registered passport to slip past the checks, building the unique index again
    fails, and the import with it: nothing stored, the schema as before."""
    make_person(passport_number="400777002")
    before = catalog()
    counts = [m.objects.count() for m in (Person, PersonName, Document, Phone)]
    monkeypatch.setattr(importing, "_check_registered_passports", lambda *args, **kw: None)
    with pytest.raises(IntegrityError):
        _import(_write(tmp_path, LINES), "--bulk")
    assert [m.objects.count() for m in (Person, PersonName, Document, Phone)] == counts
    assert catalog() == before


def test_bulk_mode_is_taken_for_a_file_at_least_as_large_as_the_registry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "BULK_FROM", 3)
    assert not importing.bulk_by_default(2)  # too small a file
    assert importing.bulk_by_default(3)
    for n in range(4):
        make_person(passport_number=f"40011100{n}")
    assert not importing.bulk_by_default(3)  # smaller than the registry
    assert importing.bulk_by_default(4)

    modes: list[bool] = []
    real = importing._bulk_loading
    monkeypatch.setattr(importing, "_bulk_loading", lambda bulk: modes.append(bulk) or real(bulk))
    _import(_write(tmp_path, LINES))  # 4 lines, 4 people stored
    _import(_write(tmp_path, [line.replace("777", "778") for line in LINES[:3]], "more.csv"))
    assert modes == [True, False]
