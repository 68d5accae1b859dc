from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from hamroh.core.models import AuditEntry
from hamroh.registry.models import Person
from hamroh.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db

HEADER = "id;surname;given_name;patronymic;birth_date;sex;nationality;document_number;phone;region;occupation"
GOOD = [
    "A1;Каримов;Баҳром;Саидович;1990-05-17;M;TJK;400777001;+992 90 000 1111;TJ-SU;711",
    "A2;NAZAROVA;MADINA;;12.03.1996;F;TJK;400777002;;TJ-KT-BOKHTAR;921",
]


def _write(tmp_path, lines, encoding="utf-8", name="people.csv", newline="\r\n"):
    path = tmp_path / name
    path.write_bytes(newline.join(lines).encode(encoding) + newline.encode())
    return path


def _import(path, *extra):
    out, err = StringIO(), StringIO()
    call_command("import_registry", str(path), "--agency", "aoe", *extra, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_semicolon_file_with_crlf_and_blank_lines_is_imported(tmp_path):
    path = _write(tmp_path, [HEADER, GOOD[0], "", GOOD[1]])
    out, _ = _import(path)
    assert "2 people imported" in out
    person = Person.objects.get(source_ref="A2")
    assert person.region_id == "TJ-KT" and person.district_id == "TJ-KT-BOKHTAR"
    assert (person.birth_year, person.birth_month, person.birth_day) == (1996, 3, 12)
    assert person.names.get().script == "latin" and person.agency.code == "aoe"
    assert Person.objects.get(source_ref="A1").names.get().script == "tg-cyrl"
    assert AuditEntry.objects.filter(object_type="registry.import").exists()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1251"])
def test_byte_order_marks_and_windows_1251_are_read(tmp_path, encoding):
    lines = [HEADER.replace(";", ","), "B1,Назаров,Фарид,,1988,M,TJK,400777010,,TJ-DU,711"]
    path = _write(tmp_path, lines, encoding=encoding)
    _import(path)
    assert Person.objects.get(source_ref="B1").names.get().surname == "Назаров"


def test_any_bad_line_stores_nothing_and_each_error_is_located(tmp_path):
    bad = [
        "C1;Саидов;Умед;;1991-13-01;M;TJK;400777020;;TJ-SU;711",
        "C2;Саидов;Умед;;1991-01-01;X;TJK;400777021;;TJ-ZZ;9999",
    ]
    path = _write(tmp_path, [HEADER, GOOD[0], *bad])
    before = Person.objects.count()
    with pytest.raises(CommandError):
        _import(path)
    assert Person.objects.count() == before
    err_out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_registry", str(path), "--agency", "aoe", stderr=err_out)
    text = err_out.getvalue()
    assert "line 3, column birth_date" in text
    assert "line 4, column sex" in text and "line 4, column region" in text
    assert "line 4, column occupation" in text


def test_a_repeated_passport_is_reported_even_on_a_line_with_other_problems(tmp_path):
    """One round of corrections is enough: the officer sees every problem of a line."""
    repeated = GOOD[0].replace("A1;", "D1;").replace(";711", ";9999")
    path = _write(tmp_path, [HEADER, GOOD[0], repeated])
    err_out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_registry", str(path), "--agency", "aoe", stderr=err_out)
    text = err_out.getvalue()
    assert "line 3, column occupation" in text
    assert "line 3, column document_number: The same passport number is on line 2." in text


def test_a_passport_already_registered_is_refused_with_its_line(tmp_path):
    person, _ = make_person(passport_number="400777001")
    path = _write(tmp_path, [HEADER, GOOD[0]])
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_registry", str(path), "--agency", "aoe", stderr=err)
    assert (
        f"line 2, column document_number: This passport number is already registered to person {person.public_id}"
        in err.getvalue()
    )


def test_the_same_person_twice_in_a_file_is_reported_as_a_merge_candidate(tmp_path):
    twin = "A9;KARIMOV;BAHROM;;1990-05-17;M;TJK;;;TJ-SU;711"
    path = _write(tmp_path, [HEADER, GOOD[0], twin])
    out, _ = _import(path, "--dry-run")
    assert "line 3: may be the same person as line 2" in out
    assert not Person.objects.filter(source_ref="A9").exists()


def test_an_excel_sheet_with_merged_header_cells_is_read(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ФИО", None, None, "Дата рождения", "Пол", "Регион"])
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("D1:D2")
    sheet.merge_cells("E1:E2")
    sheet.merge_cells("F1:F2")
    sheet.append(["Фамилия", "Имя", "Отчество"])
    sheet.append(["Ҷӯраев", "Далер", "Наимович", "1993-02-02", "М", "TJ-RA"])
    path = tmp_path / "people.xlsx"
    workbook.save(path)
    out, _ = _import(path)
    assert "1 people imported" in out
    name = Person.objects.get(import_batch__gt="", region="TJ-RA").names.get()
    assert (name.surname, name.given_name, name.patronymic) == ("Ҷӯраев", "Далер", "Наимович")


def test_a_file_without_a_header_is_refused(tmp_path):
    path = _write(tmp_path, ["1;2;3", "4;5;6"])
    with pytest.raises(CommandError, match="No header row"):
        _import(path)
