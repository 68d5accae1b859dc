from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hamroh.stats import periods
from hamroh.stats.models import Figure, MirrorComparison
from hamroh.stats.tables import DIMENSIONS, MEASURES

MAX_UPLOAD = 5 * 1024 * 1024


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Period"),
        choices=[("year", _("Year")), ("quarter", _("Quarter")), ("month", _("Month"))],
        initial="year",
    )
    year = forms.IntegerField(label=_("Year"), min_value=1991, max_value=2100)
    quarter = forms.IntegerField(label=_("Quarter"), min_value=1, max_value=4, required=False)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == "quarter" and not data.get("quarter"):
            self.add_error("quarter", _("Choose the quarter."))
        if kind == "month" and not data.get("month"):
            self.add_error("month", _("Choose the month."))
        return data

    def period(self) -> periods.Period:
        data = self.cleaned_data
        if data["kind"] == "quarter":
            return periods.quarter(data["year"], data["quarter"])
        if data["kind"] == "month":
            return periods.month(data["year"], data["month"])
        return periods.year(data["year"])


class TableForm(PeriodForm):
    measure = forms.ChoiceField(label=_("Measure"), choices=list(MEASURES.items()))
    by = forms.ChoiceField(
        label=_("Break down by"), choices=list(DIMENSIONS.items()), initial="destination"
    )
    then = forms.ChoiceField(
        label=_("Then by (with sub-totals)"),
        choices=[("", "—"), *DIMENSIONS.items()],
        required=False,
    )

    field_order = ["measure", "kind", "year", "quarter", "month", "by", "then"]


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("sdmx-csv", "SDMX-CSV 2.0"),
            ("sdmx-ml", "SDMX-ML 2.1"),
            ("sdmx-structure", _("SDMX-ML 2.1 structure (DSD, codelists, dataflow)")),
            ("xlsx", "Excel"),
            ("pdf", _("PDF report with charts")),
        ],
    )
    start = forms.DateField(label=_("From"))
    end = forms.DateField(label=_("To"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period ends before it starts."))
        return data


class ChecksForm(forms.Form):
    bound = forms.IntegerField(
        label=_("Year-on-year bound (%)"), min_value=1, max_value=1000, required=False
    )


class FigureImportForm(forms.Form):
    file = forms.FileField(
        label=_("Figures file (CSV)"),
        help_text=_(
            "Columns: source, reporter, measure, period, sex, area, origin_region, value "
            "(optional: reporter_country, note). UTF-8 or Windows-1251, “,” or “;”."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: only show what would change"), required=False, initial=True
    )
    update = forms.BooleanField(
        label=_("Replace changed figures (otherwise a changed figure is refused)"),
        required=False,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Upload a CSV file."))
        return upload


class MirrorForm(forms.Form):
    partner_figure = forms.ModelChoiceField(
        label=_("Partner figure"), queryset=Figure.objects.filter(reporter=Figure.Reporter.PARTNER)
    )
    our_figure = forms.ModelChoiceField(
        label=_("Our published figure"),
        queryset=Figure.objects.filter(
            reporter=Figure.Reporter.NATIONAL, measure=Figure.Measure.DEPARTURES
        ),
        required=False,
        help_text=_("Leave empty to compare with the count from the departure records."),
    )
    explanation = forms.ChoiceField(
        label=_("Main explanation of the gap"), choices=MirrorComparison.Explanation.choices
    )
    explanation_text = forms.CharField(
        label=_("Explanation in detail"), widget=forms.Textarea(attrs={"rows": 3})
    )
    agreed_value = forms.IntegerField(label=_("Agreed figure"), min_value=0, required=False)
    derivation = forms.CharField(
        label=_("How the agreed figure was derived"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


def default_year() -> int:
    return date.today().year - 1
