"""Exports: SDMX-CSV and SDMX-ML that validate and read back, Excel, PDF; audited."""

from __future__ import annotations

import csv
import io
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from pysdmx.errors import Invalid
from pysdmx.io import read_sdmx

from hamroh.core.models import AuditEntry
from hamroh.stats import exports, periods, sdmx
from hamroh.stats.tests.factories import depart

pytestmark = pytest.mark.django_db


@pytest.fixture
def records() -> None:
    depart(sex="M", destination="RUS", origin_region="TJ-SU")
    depart(sex="F", destination="RUS", origin_region="TJ-KT")
    depart(sex="M", destination="KAZ", origin_region="")


def test_observations_hold_totals_for_every_dimension(records: None) -> None:
    rows = {o.key()[:4]: o.value for o in sdmx.observations(periods.year(2023))}
    assert rows[("DEP", "_T", "_T", "_T")] == 3
    assert rows[("DEP", "M", "_T", "_T")] == 2
    assert rows[("DEP", "_T", "RUS", "_T")] == 2
    assert rows[("DEP", "_T", "KAZ", "_U")] == 1
    assert rows[("STK", "_T", "_T", "_T")] == 3


def test_sdmx_csv_names_the_dataflow_and_uses_only_codelist_codes(records: None) -> None:
    text = sdmx.to_sdmx_csv(sdmx.observations(periods.year(2023)))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["STRUCTURE"] == "dataflow"
    assert rows[0]["STRUCTURE_ID"] == "TJ_MLME:DF_LABOUR_MIGRATION(1.0)"
    structure = read_sdmx(sdmx.structure_message(), validate=True)
    codelists = {cl.id: {c.id for c in cl.items} for cl in structure.get_codelists()}
    assert {r["SEX"] for r in rows} <= codelists["CL_SEX"]
    assert {r["AREA"] for r in rows} <= codelists["CL_AREA"]
    assert {r["ORIGIN"] for r in rows} <= codelists["CL_TJ_REGION"]
    total = [
        r
        for r in rows
        if (r["MEASURE"], r["SEX"], r["AREA"], r["ORIGIN"]) == ("DEP", "_T", "_T", "_T")
    ]
    assert total[0]["OBS_VALUE"] == "3" and total[0]["TIME_PERIOD"] == "2023"


def test_sdmx_csv_reads_back_with_pysdmx(records: None) -> None:
    message = read_sdmx(sdmx.to_sdmx_csv(sdmx.observations(periods.year(2023))))
    assert len(message.data[0].data) > 0


def test_the_structure_message_reads_back_with_schema_validation() -> None:
    message = read_sdmx(sdmx.structure_message(), validate=True)
    kinds = sorted(type(s).__name__ for s in message.structures)
    assert kinds.count("Codelist") == 4
    assert "DataStructureDefinition" in kinds and "Dataflow" in kinds


def test_sdmx_ml_validates_against_the_official_schema(records: None) -> None:
    from pysdmx.io.xml.doc_validation import validate_doc

    document = sdmx.to_sdmx_ml(sdmx.observations(periods.year(2023)))
    validate_doc(document)
    assert 'id="AREA" value="RUS"' in document
    with pytest.raises(Invalid):
        validate_doc(
            document.replace(
                "<message:Test>false</message:Test>", "<message:Test>maybe</message:Test>"
            )
        )


def test_a_code_outside_the_codelists_refuses_the_export() -> None:
    bad = [sdmx.Observation("DEP", "X", "RUS", "_T", "2023", 1)]
    with pytest.raises(sdmx.ExportRefused, match="SEX=X"):
        sdmx.to_sdmx_csv(bad)


def test_excel_holds_the_tables_with_totals(records: None) -> None:
    from openpyxl import load_workbook

    file = exports.export_table(actor=None, kind="xlsx", period=periods.year(2023), actor_label="t")
    book = load_workbook(io.BytesIO(file.content))
    sheet = book.worksheets[1]
    last = [cell.value for cell in sheet[sheet.max_row]]
    assert last[0] == "Total" and last[-1] == 3


def test_the_pdf_report_has_charts_and_tables(records: None) -> None:
    file = exports.export_table(actor=None, kind="pdf", period=periods.year(2023), actor_label="t")
    assert file.content.startswith(b"%PDF")
    assert file.file_name.endswith(".pdf")
    assert len(file.content) > 3000


def test_every_export_is_audited_without_personal_data(records: None, people) -> None:
    exports.export_table(actor=people.statistician, kind="sdmx-csv", period=periods.year(2023))
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).get()
    assert entry.object_id == "sdmx-csv:2023"
    assert entry.actor == people.statistician


def test_exports_hold_no_person_references(records: None) -> None:
    text = sdmx.to_sdmx_csv(sdmx.observations(periods.year(2023)))
    assert "p1" not in text.split(",")


@pytest.mark.parametrize("kind", ["sdmx-csv", "sdmx-ml", "xlsx", "pdf"])
def test_the_command_line_writes_each_format(tmp_path: Path, kind: str) -> None:
    depart(departure_date=date(2023, 5, 5))
    out = tmp_path / f"out.{kind}"
    call_command(
        "stats",
        "export",
        "--from",
        "2023-01-01",
        "--to",
        "2023-12-31",
        "--format",
        kind,
        "--out",
        str(out),
        stdout=StringIO(),
    )
    assert out.stat().st_size > 100
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.EXPORT, actor_label="hamroh stats export"
    ).exists()


def test_observations_from_cells_and_from_records_agree(records: None) -> None:
    whole_year = {o.key()[:4]: o.value for o in sdmx.observations(periods.year(2023))}
    # A period that is not whole months is counted from the records.
    odd = periods.Period(date(2023, 1, 1), date(2023, 12, 30))
    from_records = {o.key()[:4]: o.value for o in sdmx.observations(odd)}
    assert whole_year == from_records
