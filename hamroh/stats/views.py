"""Statistician's desk: tables, dashboard, published figures, checks, mirror statistics,
exports. Views parse, call a selector or service, and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hamroh.core.models import User
from hamroh.core.roles import Capability
from hamroh.core.services import require
from hamroh.stats import charts, exports, selectors, services
from hamroh.stats.figures import read_figures
from hamroh.stats.forms import ChecksForm, ExportForm, FigureImportForm, MirrorForm, TableForm
from hamroh.stats.periods import Period, year
from hamroh.stats.tables import TableError
from hamroh.stats.tabular import FileRefused


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    require(user, Capability.VIEW_STATISTICS)
    return user


def _latest_year(user: User) -> int:
    years = selectors.years_with_data(user)
    return years[0] if years else 2023


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    try:
        chosen: int | None = int(request.GET.get("year", ""))
    except ValueError:
        chosen = None
    board = selectors.dashboard(user=user, chosen=chosen)
    period = year(board.year)
    by_destination, by_region, trend, by_month = (
        board.by_destination,
        board.by_region,
        board.trend,
        board.by_month,
    )
    total = by_destination.grand_total
    top = sorted(by_destination.detail_rows(), key=lambda r: -r.total)[:8]
    context = {
        "year": board.year,
        "years": board.years,
        "total": total,
        "published": selectors.figures_for_period(user, period),
        "charts": [
            charts.columns(
                _("Departures by year (records)"),
                [(r.labels[0], r.total) for r in trend.detail_rows()],
            ),
            charts.split(
                _("Departures by sex"), [(_("Men"), total.men), (_("Women"), total.women)]
            ),
            charts.bars(_("Departures by destination"), [(r.labels[0], r.total) for r in top]),
            charts.bars(
                _("Departures by region of origin"),
                [
                    (r.labels[0], r.total)
                    for r in sorted(by_region.detail_rows(), key=lambda r: -r.total)
                ],
            ),
            charts.columns(
                _("Departures by month"),
                [(r.labels[0][-2:], r.total) for r in by_month.detail_rows()],
            ),
        ],
    }
    return render(request, "stats/dashboard.html", context)


@login_required
@require_GET
def table(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    initial = {
        "measure": "departures",
        "kind": "year",
        "year": _latest_year(user),
        "by": "destination",
    }
    form = TableForm(request.GET or None, initial=initial)
    if not request.GET:
        form = TableForm({**initial, "then": ""})
    result = None
    published: list[Any] = []
    if form.is_valid():
        period = form.period()
        dims = [form.cleaned_data["by"], form.cleaned_data["then"]]
        try:
            result = selectors.official_table(
                user=user,
                measure=form.cleaned_data["measure"],
                period=period,
                dimensions=[d for d in dims if d],
            )
        except TableError as error:
            form.add_error(None, str(error))
        published = selectors.figures_for_period(user, period, form.cleaned_data["measure"])
        exports_start, exports_end = period.start.isoformat(), period.end.isoformat()
    else:
        exports_start = exports_end = ""
    return render(
        request,
        "stats/table.html",
        {
            "form": form,
            "table": result,
            "published": published,
            "export_start": exports_start,
            "export_end": exports_end,
            "formats": [
                ("sdmx-csv", "SDMX-CSV"),
                ("sdmx-ml", "SDMX-ML"),
                ("sdmx-structure", _("SDMX structure")),
                ("xlsx", "Excel"),
                ("pdf", "PDF"),
            ],
        },
    )


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ExportForm(request.GET)
    if not form.is_valid():
        return render(
            request, "stats/export.html", {"form": form}, status=400 if request.GET else 200
        )
    period = Period(form.cleaned_data["start"], form.cleaned_data["end"])
    try:
        file = exports.export_table(actor=user, kind=form.cleaned_data["format"], period=period)
    except exports.ExportRefused as error:
        messages.error(request, str(error))
        return render(request, "stats/export.html", {"form": form}, status=400)
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.file_name}"'
    return response


@login_required
@require_GET
def consistency(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ChecksForm(request.GET or None)
    bound = None
    if form.is_valid() and form.cleaned_data.get("bound"):
        bound = form.cleaned_data["bound"] / 100
    report = selectors.consistency_report(user=user, bound=bound)
    return render(request, "stats/checks.html", {"form": form, "report": report})


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    plan = None
    form = FigureImportForm()
    if request.method == "POST":
        form = FigureImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                parsed, errors = read_figures(data, upload.name)
            except FileRefused as refused:
                parsed, errors = [], refused.errors
            if errors:
                for error in errors[:50]:
                    messages.error(request, error)
            else:
                plan, batch = services.import_figures(
                    figures=parsed,
                    file_name=upload.name,
                    actor=user,
                    dry_run=form.cleaned_data["dry_run"],
                    update=form.cleaned_data["update"],
                )
                if plan.errors:
                    for error in plan.errors[:50]:
                        messages.error(request, error)
                elif batch is not None:
                    messages.success(
                        request,
                        _(
                            "Import %(batch)d: %(new)d figures added, %(changed)d changed, %(unchanged)d unchanged."
                        )
                        % {
                            "batch": batch.pk,
                            "new": batch.created,
                            "changed": batch.updated,
                            "unchanged": batch.unchanged,
                        },
                    )
                    return redirect("stats:figures")
                elif not form.cleaned_data["dry_run"]:
                    messages.success(
                        request,
                        _("Nothing to change: every figure is already stored with the same value."),
                    )
    return render(
        request,
        "stats/figures.html",
        {
            "form": form,
            "plan": plan,
            "figures": selectors.list_figures_for(user)[:500],
            "imports": selectors.list_imports_for(user)[:20],
        },
    )


@login_required
def mirror(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = MirrorForm()
    if request.method == "POST":
        form = MirrorForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            partner = data["partner_figure"]
            ours = data["our_figure"]
            pair = next(
                (
                    p
                    for p in selectors.mirror_pairs(user=user)
                    if p.partner.pk == partner.pk and (p.our_figure == ours)
                ),
                None,
            )
            if pair is None or pair.ours is None:
                form.add_error(
                    "our_figure", _("There is nothing of ours to compare with this figure.")
                )
            else:
                try:
                    services.record_mirror_comparison(
                        actor=user,
                        partner_figure=partner,
                        our_figure=ours,
                        our_value=pair.ours,
                        our_basis=pair.our_basis,
                        explanation=data["explanation"],
                        explanation_text=data["explanation_text"],
                        agreed_value=data["agreed_value"],
                        derivation=data["derivation"],
                    )
                except ValidationError as error:
                    if hasattr(error, "error_dict"):
                        for field, problems in error.message_dict.items():
                            form.add_error(field if field in form.fields else None, problems)
                    else:
                        form.add_error(None, error.messages)
                else:
                    messages.success(request, _("The comparison is recorded."))
                    return redirect("stats:mirror")
    return render(
        request,
        "stats/mirror.html",
        {
            "form": form,
            "pairs": selectors.mirror_pairs(user=user),
            "comparisons": selectors.list_comparisons_for(user)[:50],
        },
    )
