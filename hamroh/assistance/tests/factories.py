"""Small builders for assistance tests: a case made the way the portal makes it."""

from __future__ import annotations

from typing import Any

from hamroh.assistance import services
from hamroh.assistance.models import BorderPoint, CaseType

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n"


def report(**values: Any) -> services.Report:
    values.setdefault("case_type", CaseType.objects.get(code="held_at_border"))
    if "border_point" not in values:
        values["border_point"] = BorderPoint.objects.get(code="dme")
    values.setdefault("reporter_name", "Ҷӯраев Ҷамшед")
    values.setdefault("reporter_phone", "+7 916 123-45-67")
    values.setdefault("narrative", "Held at passport control since 6 a.m.")
    return services.Report(**values)


def submit(**values: Any) -> services.Submitted:
    return services.submit_report(report=report(**values))
