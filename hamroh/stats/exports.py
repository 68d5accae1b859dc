"""One entry point for every export (desk, API and command line), so each is audited."""

from __future__ import annotations

from dataclasses import dataclass

from hamroh.core.models import User
from hamroh.stats import reports, sdmx, services
from hamroh.stats.periods import Period
from hamroh.stats.sdmx import ExportRefused

__all__ = ["FORMATS", "ExportRefused", "ExportedFile", "export_table"]

FORMATS = {
    "sdmx-csv": ("text/csv; charset=utf-8", "csv"),
    "sdmx-ml": ("application/vnd.sdmx.genericdata+xml; version=2.1", "xml"),
    "sdmx-structure": ("application/vnd.sdmx.structure+xml; version=2.1", "xml"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("application/pdf", "pdf"),
}


@dataclass(frozen=True)
class ExportedFile:
    content: bytes
    content_type: str
    file_name: str


def export_table(
    *, actor: User | None, kind: str, period: Period, actor_label: str = ""
) -> ExportedFile:
    """Build the export for the period; refuses codes outside the codelists."""
    if kind not in FORMATS:
        raise ExportRefused(kind)
    services.record_export(
        actor=actor, kind=kind, period_label=period.label, actor_label=actor_label
    )
    content: bytes
    if kind == "sdmx-csv":
        content = sdmx.to_sdmx_csv(sdmx.observations(period)).encode()
    elif kind == "sdmx-ml":
        content = sdmx.to_sdmx_ml(sdmx.observations(period)).encode()
    elif kind == "sdmx-structure":
        content = sdmx.structure_message().encode()
    elif kind == "xlsx":
        content = reports.to_xlsx(period)
    else:
        content = reports.to_pdf(period)
    content_type, extension = FORMATS[kind]
    stem = "structure" if kind == "sdmx-structure" else period.label.replace("/", "_")
    return ExportedFile(content, content_type, f"hamroh-labour-migration-{stem}.{extension}")
