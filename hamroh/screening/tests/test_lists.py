"""Loading restriction lists: versions, differences, bad files, who may load what."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from hamroh.core.models import AuditEntry
from hamroh.screening import services
from hamroh.screening.list_file import ListFileError
from hamroh.screening.models import ListDiff, ListEntry, ListVersion, RestrictionList
from hamroh.screening.selectors import lists_visible_to

from .conftest import ENTRIES, HEADER, list_csv


def active(restriction_list: RestrictionList) -> ListVersion:
    return ListVersion.objects.get(restriction_list=restriction_list, is_active=True)


def test_a_loaded_list_becomes_the_active_version_with_encrypted_entries(entry_bans):
    version = active(entry_bans)
    assert (version.number, version.entry_count, version.added) == (1, 3, 3)
    assert version.has_issue_dates
    entry = ListEntry.objects.get(version=version, entry_id="EB-1")
    assert entry.person_values["surname"] == "Джураев"
    assert entry.valid_from.isoformat() == "2024-01-10"
    raw = ListEntry.objects.filter(pk=entry.pk).values_list("person", flat=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT person FROM screening_listentry WHERE id = %s", [entry.pk])
        stored = cursor.fetchone()[0]
    assert "Джураев" not in stored and "400123456" not in stored
    assert raw  # the ORM decrypts transparently


def test_a_new_version_records_what_was_added_removed_and_changed(people, entry_bans):
    changed = ENTRIES[1].replace("2028-06-01", "2030-06-01")
    added = (
        "EB-4,Саидов,Умед,,1999-09-09,M,TJK,400999000,,entry_ban,overstay,114-FZ,2025-01-01,,MVD/4"
    )
    version = services.load_list(
        actor=people.reviewer,
        restriction_list=entry_bans,
        file_name="bans-2.csv",
        data=list_csv(ENTRIES[0], changed, added),
    )
    assert (version.number, version.added, version.removed, version.changed) == (2, 1, 1, 1)
    diffs = set(ListDiff.objects.filter(version=version).values_list("entry_id", "change"))
    assert diffs == {("EB-4", "added"), ("EB-3", "removed"), ("EB-2", "changed")}
    assert active(entry_bans) == version
    assert ListVersion.objects.filter(restriction_list=entry_bans).count() == 2


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (ENTRIES[0].replace("1990-05-17", "1990-02-30"), "birth_date", "not a possible birth date"),
        (ENTRIES[0].replace("2024-01-10", "2024-13-01"), "valid_from", "not a real date"),
        (ENTRIES[1], "id", "repeats line 2"),
        (ENTRIES[0].replace(",M,", ",X,"), "sex", "sex must be"),
        (ENTRIES[0].replace("2029-01-10", "2020-01-10"), "valid_until", "ends before it starts"),
    ],
)
def test_a_bad_file_names_line_and_column_and_keeps_the_previous_version(
    people, entry_bans, row, column, words
):
    before = active(entry_bans)
    with pytest.raises(ListFileError) as caught:
        services.load_list(
            actor=people.reviewer,
            restriction_list=entry_bans,
            file_name="bad.csv",
            data=list_csv(ENTRIES[1], ENTRIES[2], row),
        )
    message = caught.value.messages[0]
    assert message.startswith("bad.csv, line 4")
    assert f"column “{column}”" in message and words in message
    assert active(entry_bans) == before
    assert ListVersion.objects.filter(restriction_list=entry_bans).count() == 1
    assert ListEntry.objects.filter(version=before).count() == 3


def test_an_unknown_column_is_refused_before_anything_is_read(people, entry_bans):
    with pytest.raises(ListFileError) as caught:
        services.load_list(
            actor=people.reviewer,
            restriction_list=entry_bans,
            file_name="extra.csv",
            data=list_csv(ENTRIES[0] + ",x", header=HEADER + ",remarks"),
        )
    assert caught.value.messages == [
        "extra.csv, line 1, column “remarks”: unknown column; expected the list's columns"
    ]


def test_a_windows_1251_semicolon_file_with_crlf_and_blank_lines_loads(people, entry_bans):
    text = "\r\n".join(
        [
            HEADER.replace(",", ";"),
            "",
            ENTRIES[0].replace(",", ";"),
            "",
            ENTRIES[2].replace(",", ";"),
            "",
        ]
    )
    version = services.load_list(
        actor=people.reviewer,
        restriction_list=entry_bans,
        file_name="bans-1251.csv",
        data=text.encode("cp1251"),
    )
    assert version.entry_count == 2
    assert (
        ListEntry.objects.get(version=version, entry_id="EB-3").person_values["surname"]
        == "Назарова"
    )


def test_a_file_mixing_encodings_is_refused_with_its_line(people, entry_bans):
    data = list_csv(ENTRIES[0]) + ENTRIES[2].encode("cp1251") + b"\n"
    with pytest.raises(ListFileError) as caught:
        services.load_list(
            actor=people.reviewer, restriction_list=entry_bans, file_name="mixed.csv", data=data
        )
    assert (
        "line 3" in caught.value.messages[0]
        and "mixes two text encodings" in caught.value.messages[0]
    )


def test_an_excel_workbook_loads(people, entry_bans):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for row in ENTRIES:
        sheet.append(row.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    version = services.load_list(
        actor=people.reviewer,
        restriction_list=entry_bans,
        file_name="bans.xlsx",
        data=buffer.getvalue(),
    )
    assert (version.entry_count, version.changed, version.added) == (3, 0, 0)


def test_only_the_owner_agency_loads_a_list(aoe_reviewer, entry_bans):
    with pytest.raises(PermissionDenied):
        services.load_list(
            actor=aoe_reviewer,
            restriction_list=entry_bans,
            file_name="bans.csv",
            data=list_csv(*ENTRIES),
        )


def test_a_caseworker_cannot_load_lists(people, entry_bans):
    with pytest.raises(PermissionDenied):
        services.create_list(
            actor=people.caseworker, name="Mine", kind="entry_ban", country_code="RUS"
        )


def test_a_list_for_the_owner_only_is_hidden_from_other_agencies(people, entry_bans):
    entry_bans.visibility = RestrictionList.Visibility.OWNER
    entry_bans.save()
    assert entry_bans in lists_visible_to(people.reviewer)
    assert entry_bans not in lists_visible_to(people.recruiter)  # another Tajik agency
    entry_bans.visibility = RestrictionList.Visibility.NATIONAL
    entry_bans.save()
    assert entry_bans in lists_visible_to(people.recruiter)
    assert entry_bans not in lists_visible_to(people.caseworker_ala)  # abroad (KAZ), not owner


def test_loading_is_audited_by_field_name(people, entry_bans):
    entry = AuditEntry.objects.filter(object_type="screening.listversion").first()
    assert entry is not None and entry.actor == people.reviewer
    assert "document_number" in entry.fields
    assert "400123456" not in str(entry.fields)


def test_the_desk_shows_located_problems_and_loads_a_good_file(people, client_for, entry_bans):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(people.reviewer)
    url = f"/desk/screening/lists/{entry_bans.pk}/"
    bad = SimpleUploadedFile("bad.csv", list_csv(ENTRIES[0], ENTRIES[0]), "text/csv")
    response = client.post(url, {"file": bad})
    assert response.status_code == 200
    assert "bad.csv, line 3, column “id”: entry EB-1 repeats line 2" in response.content.decode()
    good = SimpleUploadedFile("good.csv", list_csv(ENTRIES[0]), "text/csv")
    response = client.post(url, {"file": good})
    version = active(entry_bans)
    assert response.status_code == 302 and response["Location"].endswith(
        f"/desk/screening/versions/{version.pk}/"
    )
    page = client.get(response["Location"]).content.decode()
    assert "EB-2" in page and "removed" in page


def test_an_upload_that_is_not_csv_or_excel_is_refused(people, client_for, entry_bans):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(people.reviewer)
    response = client.post(
        f"/desk/screening/lists/{entry_bans.pk}/",
        {"file": SimpleUploadedFile("bans.pdf", b"%PDF-1.4", "application/pdf")},
    )
    assert "Upload a CSV or Excel (.xlsx) file." in response.content.decode()
    assert ListVersion.objects.filter(restriction_list=entry_bans).count() == 1


def _stored(version: ListVersion) -> list[tuple[object, ...]]:
    return [
        (e.entry_id, e.person_values, e.document_index, e.content_hash, e.valid_from, e.reason)
        for e in ListEntry.objects.filter(version=version).order_by("entry_id")
    ]


def test_worker_processes_store_a_large_list_as_one_process_does(people, entry_bans, monkeypatch):
    monkeypatch.setattr(services, "PARALLEL_FROM", 1)
    monkeypatch.setattr(services, "BATCH", 2)  # several batches, from more than one worker
    monkeypatch.setattr(services, "CHUNK", 2)
    other = services.create_list(
        actor=people.reviewer, name="Entry bans (copy)", kind="entry_ban", country_code="RUS"
    )
    progress: list[tuple[int, int]] = []
    version = services.load_list(
        actor=people.reviewer,
        restriction_list=other,
        file_name="bans.csv",
        data=list_csv(*ENTRIES),
        progress=lambda done, total: progress.append((done, total)),
    )
    assert _stored(version) == _stored(active(entry_bans))
    assert progress == [(2, 3), (3, 3)]


def test_the_content_hash_stays_the_keyed_hash_of_the_entry_as_json(entry_bans):
    # Stored by earlier releases too: a new way of computing it must give the same hash, or
    # the next load of every list would report every entry as changed.
    import hashlib
    import hmac
    import json

    entry = ListEntry.objects.get(version=active(entry_bans), entry_id="EB-1")
    document = (
        '{"surname":"Джураев","given_name":"Джамшед","birth_date":"1990-05-17","sex":"M",'
        '"nationality":"TJK","document_number":"400123456","document_issue_date":"2019-03-01"}'
    )
    assert entry.person == document
    canonical = json.dumps(
        [document, "entry_ban", "overstay", "114-FZ", "2024-01-10", "2029-01-10", "MVD/1"]
    )
    key = services._content_key()
    assert entry.content_hash == hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def test_a_load_failing_while_writing_leaves_the_previous_version_intact(
    people, entry_bans, monkeypatch
):
    before = active(entry_bans)
    stored = _stored(before)
    calls = 0
    encrypt = services.encrypt

    def failing_encrypt(value: str) -> str:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("disk full")
        return encrypt(value)

    monkeypatch.setattr(services, "BATCH", 2)  # the first batch is written before the failure
    monkeypatch.setattr(services, "encrypt", failing_encrypt)
    with pytest.raises(RuntimeError):
        services.load_list(
            actor=people.reviewer,
            restriction_list=entry_bans,
            file_name="bans-2.csv",
            data=list_csv(*ENTRIES),
        )
    assert active(entry_bans) == before
    assert ListVersion.objects.filter(restriction_list=entry_bans).count() == 1
    assert _stored(before) == stored


def _many_entries(count: int) -> list[str]:
    return [ENTRIES[k % 3].replace(f"EB-{k % 3 + 1},", f"EB-{k + 1},", 1) for k in range(count)]


@pytest.mark.parametrize(
    ("line", "change", "expected"),
    [
        # A bad date in the last chunk: found by a worker, reported as one process would.
        (
            9,
            ("1985-11-02", "1985-02-31"),
            "big.csv, line 9, column “birth_date”: “1985-02-31” is not a possible birth date",
        ),
        # An entry id first seen in another worker's chunk.
        (8, ("EB-7,", "EB-2,"), "big.csv, line 8, column “id”: entry EB-2 repeats line 3"),
    ],
)
def test_a_bad_line_late_in_a_file_read_by_workers_fails_with_its_line_and_leaves_nothing(
    people, entry_bans, monkeypatch, line, change, expected
):
    monkeypatch.setattr(services, "PARALLEL_FROM", 1)
    monkeypatch.setattr(services, "BATCH", 2)  # the first chunks are written before the failure
    monkeypatch.setattr(services, "CHUNK", 2)
    before = active(entry_bans)
    stored = _stored(before)
    rows = _many_entries(8)
    rows[line - 2] = rows[line - 2].replace(*change, 1)
    with pytest.raises(ListFileError) as caught:
        services.load_list(
            actor=people.reviewer,
            restriction_list=entry_bans,
            file_name="big.csv",
            data=list_csv(*rows),
        )
    assert caught.value.messages[0].startswith(expected)
    assert len(caught.value.messages) == 1
    assert active(entry_bans) == before
    assert ListVersion.objects.filter(restriction_list=entry_bans).count() == 1
    assert _stored(before) == stored
    assert ListEntry.objects.count() == 3


def _shaped(rows: list[str], shape: str) -> bytes:
    """A list file of ``rows`` as partners send them."""
    if shape == "crlf, blank lines":
        return ("\r\n\r\n" + "\r\n".join([HEADER, *rows[:4], "", " ", *rows[4:]])).encode()
    if shape == "header after many blank lines":
        return (",,\n" * 40_000 + "\n".join([HEADER, *rows])).encode()
    if shape == "semicolons, quoted line break":
        rows = [*rows[:4], rows[4].replace(",overstay,", ',"over\nstay",', 1), *rows[5:]]
        return "\n".join([HEADER, *rows, ""]).replace(",", ";").encode("cp1251")
    if shape == "bare carriage returns":
        return "\r".join([HEADER, *rows]).encode()
    return list_csv(*rows)


SHAPES = [
    "plain",
    "crlf, blank lines",
    "header after many blank lines",
    "semicolons, quoted line break",
    "bare carriage returns",
]


@pytest.mark.parametrize("shape", SHAPES)
def test_a_list_file_split_into_parts_gives_its_rows(shape):
    from hamroh.screening.list_file import Part, open_list_file, split_list_file

    data = _shaped(_many_entries(9), shape)
    layout, rows = open_list_file(data, "big.csv")
    expected = list(rows)
    for lines in (1, 2, 4, 100):
        split_layout, parts = split_list_file(data, "big.csv", lines)
        parts = list(parts)
        assert split_layout == layout
        assert [row for part in parts for row in part] == expected
        # Only files whose rows are their lines are cut as text, not split into cells here.
        assert all(isinstance(part, Part) for part in parts) == (shape in SHAPES[:3])


def _loaded_alone_and_by_workers(people, entry_bans, monkeypatch, data, *, chunk):
    """``data`` loaded into ``entry_bans`` by this process, then into a new list by forked
    workers taking ``chunk`` rows each: the two versions."""
    one = services.load_list(
        actor=people.reviewer, restriction_list=entry_bans, file_name="big.csv", data=data
    )
    monkeypatch.setattr(services, "PARALLEL_FROM", 1)
    monkeypatch.setattr(services, "CHUNK", chunk)
    other = services.create_list(
        actor=people.reviewer, name="Entry bans (copy)", kind="entry_ban", country_code="RUS"
    )
    many = services.load_list(
        actor=people.reviewer, restriction_list=other, file_name="big.csv", data=data
    )
    return one, many


@pytest.mark.parametrize("shape", SHAPES)
def test_workers_load_every_shape_of_file_as_one_process_does(
    people, entry_bans, monkeypatch, shape
):
    rows = _many_entries(9)
    one, many = _loaded_alone_and_by_workers(
        people, entry_bans, monkeypatch, _shaped(rows, shape), chunk=2
    )
    other = many.restriction_list
    assert _stored(many) == _stored(one)
    rows[7] = rows[7].replace("1985-11-02", "1985-02-31", 1)
    with pytest.raises(ListFileError) as in_one:
        services.read_list_file(_shaped(rows, shape), "big.csv")
    with pytest.raises(ListFileError) as by_workers:
        services.load_list(
            actor=people.reviewer,
            restriction_list=other,
            file_name="big.csv",
            data=_shaped(rows, shape),
        )
    assert by_workers.value.messages == in_one.value.messages


def test_workers_store_a_file_in_many_chunks_as_one_process_does(people, entry_bans, monkeypatch):
    rows = _many_entries(11)
    one, many = _loaded_alone_and_by_workers(
        people, entry_bans, monkeypatch, list_csv(*rows), chunk=3
    )
    assert _stored(many) == _stored(one)
    assert (many.entry_count, many.added, many.has_issue_dates) == (11, 11, True)
    # Stored in file order, as one process writes them (the index is built in that order).
    order = list(
        ListEntry.objects.filter(version=many).order_by("pk").values_list("entry_id", flat=True)
    )
    assert order == [f"EB-{k + 1}" for k in range(11)]


@pytest.mark.parametrize(
    "values",
    [
        {"surname": "Джураев", "given_name": "Джамшед", "birth_date": "1990-05-17"},
        {"surname": 'O"Brien \\ x', "full_name": "a\tb\nc\x01", "sex": "", "nationality": "TJK"},
        {"surname": "𝔘nicode ✓", "document_number": "AB 123-456", "document_issue_date": "x"},
    ],
)
def test_the_fast_json_document_is_the_models_document(values):
    from hamroh.screening.models import PersonDocument

    assert services._pack(values) == PersonDocument.pack(values)


@pytest.mark.parametrize(
    "text",
    [
        "1990-05-17",
        "1800-01-01",
        "2200-12-31",
        "1799-12-31",
        "2201-01-01",
        "2000-02-29",
        "2001-02-29",  # not a real day, but a birth date the engine accepts
        "2001-02-30",
        "1990-13-01",
        "1990-00-10",
        "1990-05",
        "1990",
        "17.05.1990",
        "1990-05-17\n",
        "١٩٩٠-٠٥-١٧",  # digits of another script
        "1990/05/17",
    ],
)
def test_a_birth_date_reads_as_the_engine_reads_it(text):
    from hamroh.identity.engine import BirthDate
    from hamroh.screening import list_file

    try:
        expected = str(BirthDate.parse(list_file._date(text)))
    except ValueError:
        expected = "refused"
    list_file._birth_date.cache_clear()
    try:
        found = list_file._birth_date(text)
    except ValueError:
        found = "refused"
    assert found == expected


def test_the_index_built_by_workers_is_the_index_built_in_one_process(
    people, entry_bans, monkeypatch
):
    import numpy as np

    from hamroh.identity.engine import PersonRecord, build_index, screen
    from hamroh.screening import indexes

    rows = _many_entries(11)
    rows[4] = rows[4].replace("KARIMOV,FARRUKH,,", ",,Karimov Farrukh,")  # one-field name
    version = services.load_list(
        actor=people.reviewer,
        restriction_list=entry_bans,
        file_name="big.csv",
        data=list_csv(*rows, header=HEADER.replace("patronymic,", "full_name,")),
    )
    one = build_index(indexes._entries(version.pk))
    monkeypatch.setattr(indexes, "PARALLEL_FROM", 1)
    monkeypatch.setattr(indexes, "CHUNK", 3)  # four workers' chunks, two at a time
    many = indexes.index_for(version)
    assert many is indexes.index_for(version)  # built once, then kept

    def compiled(index):
        fields = ("text", "folded", "latin", "key", "root", "base", "ending")
        return [
            (
                (f.id, f.year, f.month, f.day, f.sex, f.nationality, f.document),
                [
                    tuple(getattr(n, name) for name in fields)
                    for n in (f.surname, f.given, f.patronymic, *(f.reading or ()))
                ],
            )
            for f in index.features
        ]

    assert compiled(many) == compiled(one) and len(one) == 11
    assert np.array_equal(many.keys, one.keys) and np.array_equal(many.rows, one.rows)
    assert many.frequencies.prior == one.frequencies.prior
    probes = [
        PersonRecord(id="p1", surname="Ҷӯраев", given_name="Ҷамшед", document_number="400123456"),
        PersonRecord(id="p2", full_name="Фаррух Каримов", birth_date=None),
        PersonRecord(id="p3", surname="Каримов", given_name="Фаррух"),
    ]
    found = list(screen(probes, many, workers=1))
    assert found == list(screen(probes, one, workers=1)) and found


def test_a_worker_failing_while_indexing_raises_and_keeps_nothing(people, entry_bans, monkeypatch):
    from hamroh.screening import indexes

    monkeypatch.setattr(indexes, "PARALLEL_FROM", 1)
    monkeypatch.setattr(indexes, "CHUNK", 1)

    def broken(entry_id, person):
        raise ValueError("a stored value cannot be decrypted with the configured keys")

    monkeypatch.setattr(indexes, "_person", broken)
    with pytest.raises(RuntimeError, match="cannot be decrypted") as caught:
        indexes.index_for(active(entry_bans))
    assert entry_bans.pk not in indexes._indexes
    if connection.vendor == "postgresql":
        # The rows' server-side cursor is closed by the failed build itself, while the error
        # (and the frames that read the rows) still lives: left to the garbage collector, it
        # would be closed later inside another transaction, and abort that one.
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_cursors")
            assert cursor.fetchone()[0] == 0, caught
