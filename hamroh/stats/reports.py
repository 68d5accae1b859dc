"""Excel workbook and PDF report (with charts) of the official tables for a period."""

from __future__ import annotations

import io
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from hamroh.stats.periods import Period
from hamroh.stats.tables import Table, build_table

# The tables every report carries, in order.
REPORT_TABLES: list[tuple[str, tuple[str, ...]]] = [
    ("departures", ("destination",)),
    ("departures", ("origin_region", "origin_district")),
    ("departures", ("age_group",)),
    ("departures", ("occupation",)),
    ("departures", ("channel",)),
    ("departures", ("month",)),
    ("returns", ("destination",)),
    ("stock", ("destination",)),
]


def report_tables(period: Period) -> list[Table]:
    return [build_table(measure=m, period=period, dimensions=dims) for m, dims in REPORT_TABLES]


def _title(table: Table) -> str:
    return f"{table.measure_label} — {' / '.join(table.dimension_labels)}"


def to_xlsx(period: Period, generated: datetime | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    generated = generated or timezone.now()
    book = Workbook()
    about = book.active
    assert about is not None
    about.title = _("About")[:31]
    about.append([_("Labour-migration statistics")])
    about["A1"].font = Font(bold=True, size=14)
    about.append([_("Period"), period.label])
    about.append([_("Counted from"), _("individual departure records")])
    about.append([_("Generated"), generated.strftime("%Y-%m-%d %H:%M UTC")])
    about.append([_("No personal data: counts of persons only.")])
    bold = Font(bold=True)
    for number, table in enumerate(report_tables(period), start=1):
        sheet = book.create_sheet(f"{number} {table.dimensions[0]}"[:31])
        sheet.append([_title(table)])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append([*table.dimension_labels, _("Men"), _("Women"), _("Total")])
        for cell in sheet[2]:
            cell.font = bold
        for row in table.rows:
            sheet.append([*row.labels, row.men, row.women, row.total])
            if row.is_total:
                for cell in sheet[sheet.max_row]:
                    cell.font = bold
        sheet.column_dimensions["A"].width = 36
        if len(table.dimensions) > 1:
            sheet.column_dimensions["B"].width = 36
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_pdf(period: Period, generated: datetime | None = None) -> bytes:
    from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
    from reportlab.graphics.charts.piecharts import Pie
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as PdfTable

    from hamroh.stats.fonts import register_fonts

    font, bold_font = register_fonts()
    generated = generated or timezone.now()
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        if hasattr(style, "fontName"):
            style.fontName = bold_font if "Heading" in style.name or style.name == "Title" else font
    tables = report_tables(period)
    story: list[object] = [
        Paragraph(
            _("Labour-migration statistics, %(period)s") % {"period": period.label}, styles["Title"]
        ),
        Paragraph(
            _("Counted from individual departure records. Generated %(when)s. No personal data.")
            % {"when": generated.strftime("%Y-%m-%d %H:%M UTC")},
            styles["Normal"],
        ),
        Spacer(1, 12),
    ]
    by_destination, _by_origin, _by_age, _by_occ, _by_channel, by_month = tables[:6]
    total = by_destination.grand_total
    # Sex split (pie).
    pie_drawing = Drawing(460, 170)
    pie_drawing.add(String(0, 155, _("Departures by sex"), fontName=bold_font, fontSize=11))
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = 20, 10, 130, 130
    pie.data = [max(total.men, 0), max(total.women, 0)] if total.total else [1]
    pie.labels = (
        [f"{_('Men')} {total.men:,}", f"{_('Women')} {total.women:,}"] if total.total else ["—"]
    )
    pie.slices.fontName = font
    pie.slices[0].fillColor = colors.HexColor("#1f5f8b")
    if total.total:
        pie.slices[1].fillColor = colors.HexColor("#c0504d")
    pie.sideLabels = True
    pie_drawing.add(pie)
    story += [pie_drawing, Spacer(1, 8)]
    # Destinations (horizontal bars, top 8).
    top = sorted(by_destination.detail_rows(), key=lambda r: -r.total)[:8]
    if top:
        drawing = Drawing(460, 30 + 22 * len(top))
        drawing.add(
            String(
                0,
                15 + 22 * len(top),
                _("Departures by destination"),
                fontName=bold_font,
                fontSize=11,
            )
        )
        chart = HorizontalBarChart()
        chart.x, chart.y, chart.width, chart.height = 150, 0, 280, 22 * len(top)
        chart.data = [[r.total for r in reversed(top)]]
        chart.categoryAxis.categoryNames = [r.labels[0][:24] for r in reversed(top)]
        chart.categoryAxis.labels.fontName = font
        chart.valueAxis.labels.fontName = font
        chart.valueAxis.valueMin = 0
        chart.bars[0].fillColor = colors.HexColor("#1f5f8b")
        drawing.add(chart)
        story += [drawing, Spacer(1, 12)]
    # Months (columns).
    months = by_month.detail_rows()
    if months:
        drawing = Drawing(460, 190)
        drawing.add(String(0, 178, _("Departures by month"), fontName=bold_font, fontSize=11))
        chart = VerticalBarChart()
        chart.x, chart.y, chart.width, chart.height = 40, 20, 400, 140
        chart.data = [[r.total for r in months]]
        chart.categoryAxis.categoryNames = [r.labels[0][-2:] for r in months]
        chart.categoryAxis.labels.fontName = font
        chart.valueAxis.labels.fontName = font
        chart.valueAxis.valueMin = 0
        chart.bars[0].fillColor = colors.HexColor("#1f5f8b")
        drawing.add(chart)
        story += [drawing, Spacer(1, 12)]
    for table in tables:
        story.append(Paragraph(_title(table), styles["Heading3"]))
        data = [[*table.dimension_labels, _("Men"), _("Women"), _("Total")]]
        data += [
            [
                *(label[:40] for label in row.labels),
                f"{row.men:,}",
                f"{row.women:,}",
                f"{row.total:,}",
            ]
            for row in table.rows
        ]
        pdf_table = PdfTable(data, repeatRows=1)
        style = [
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTNAME", (0, 0), (-1, 0), bold_font),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("ALIGN", (len(table.dimensions), 0), (-1, -1), "RIGHT"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
        ]
        for i, row in enumerate(table.rows, start=1):
            if row.is_total:
                style.append(("FONTNAME", (0, i), (-1, i), bold_font))
        pdf_table.setStyle(style)
        story += [pdf_table, Spacer(1, 10)]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=_("Labour-migration statistics")).build(story)
    return out.getvalue()
