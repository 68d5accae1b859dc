"""Pages of the assistance desk: the public "Get help" portal, the caseworker's desk, the
helpline console and the dashboard. Views parse, call a service or selector, render."""

from __future__ import annotations

import csv
import hmac
import io
import json
import os
from collections.abc import Callable
from typing import Any

import openpyxl
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from hamroh.assistance import case_tasks, knowledge, selectors, services, telegram_bot
from hamroh.assistance.forms import (
    AddInformationForm,
    AttachmentForm,
    FollowUpForm,
    NoteForm,
    OperatorCaseForm,
    OperatorSearchForm,
    ReportForm,
    TextForm,
    UrgencyForm,
)
from hamroh.assistance.models import Case, Referral
from hamroh.assistance.ratelimit import limit, over_limit
from hamroh.core import messaging
from hamroh.core.models import User
from hamroh.core.roles import Capability
from hamroh.core.services import require
from hamroh.registry.contracts import Caller, find_callers

# Per address and hour; the bench raises them (docs/performance.md).
REPORT_LIMIT = limit("HAMROH_REPORT_LIMIT_PER_HOUR", 20)
CODE_LIMIT = limit("HAMROH_FOLLOWUP_LIMIT_PER_HOUR", 10)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def too_many(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "errors/error.html",
        {
            "status": 429,
            "title": _("Too many attempts"),
            "message": _(
                "Please wait an hour and try again. If you are in danger, call the helpline now."
            ),
        },
        status=429,
    )


# --- Public portal ----------------------------------------------------------------------


@never_cache
def report(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if over_limit(request, "report", REPORT_LIMIT):
            return too_many(request)
        if form.is_valid():
            try:
                submitted = services.submit_report(
                    report=form.report(language=translation.get_language() or "tg"),
                    files=form.cleaned_data["attachments"],
                )
            except ValidationError as error:
                form.add_error("attachments", error)
            else:
                # The code is shown once, on this answer only; it is stored hashed.
                return render(
                    request,
                    "assistance/portal/submitted.html",
                    {"case": submitted.case, "code": submitted.followup_code},
                )
    return render(request, "assistance/portal/report.html", {"form": form})


@never_cache
def follow_up(request: HttpRequest) -> HttpResponse:
    """The reporter's own page. The code travels in the POST body, never in the URL."""
    form = FollowUpForm(request.POST or None)
    case = None
    add_form = None
    # The bot's name makes the deep link; without it the page says updates are unavailable.
    telegram_available = bool(settings.HAMROH_TELEGRAM_BOT_USERNAME)
    telegram_link = ""
    if request.method == "POST":
        if over_limit(request, "followup", CODE_LIMIT):
            return too_many(request)
        if form.is_valid():
            code = form.cleaned_data["code"]
            case = selectors.case_for_followup_code(code)
            if case is None:
                form.add_error("code", _("No case has this code. Check it and try again."))
            elif request.POST.get("action") == "add":
                add_form = AddInformationForm(request.POST, request.FILES)
                if add_form.is_valid():
                    try:
                        services.add_reporter_information(
                            case=case,
                            text=add_form.cleaned_data["text"],
                            files=add_form.cleaned_data["attachments"],
                        )
                    except ValidationError as error:
                        add_form.add_error(None, error)
                    else:
                        messages.success(request, _("Thank you. Your information was added."))
                        add_form = None
            elif request.POST.get("action") == "telegram" and telegram_available:
                try:
                    token = services.create_telegram_link(
                        case=case, language=translation.get_language() or "tg"
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    telegram_link = messaging.telegram_start_link(token)
    if case is not None and add_form is None:
        add_form = AddInformationForm(initial={"code": form.cleaned_data["code"]})
    return render(
        request,
        "assistance/portal/follow_up.html",
        {
            "form": form,
            "case": case,
            "add_form": add_form,
            "events": selectors.public_timeline(case) if case else [],
            "replies": knowledge.answers_for_reporter(case) if case else [],
            "telegram_available": telegram_available,
            "telegram_link": telegram_link,
        },
    )


# --- Desk: queues and the case page ---------------------------------------------------


QUEUE_LABELS = {  # lazy: read in the language of each request
    "unassigned": gettext_lazy("Unassigned"),
    "mine": gettext_lazy("Mine"),
    "team": gettext_lazy("My team"),
    "overdue": gettext_lazy("Overdue"),
    "incoming": gettext_lazy("Transfers to us"),
    "escalated": gettext_lazy("Escalated"),
    "approval": gettext_lazy("Awaiting approval"),
}


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    name = request.GET.get("queue", "unassigned")
    if name not in selectors.QUEUES:
        name = "unassigned"
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    page = selectors.queue_page(user, name, number)
    return render(
        request,
        "assistance/desk/queue.html",
        {
            "page": page,
            "queue": name,
            "queues": [(key, QUEUE_LABELS[key]) for key in selectors.QUEUES],
        },
    )


def _case_page(request: HttpRequest, case: Case, **extra: Any) -> HttpResponse:
    from hamroh.assistance.task_views import case_page_context

    user = _user(request)
    tasks = case_page_context(case, user)
    context = {
        "case": case,
        "timers": case.timers(),
        "events": case_tasks.timeline_with_overdue(
            [*selectors.timeline(case), *selectors.messages_to_reporter(case)], tasks["tasks"]
        ),
        "telegram_configured": messaging.configured(messaging.TELEGRAM),
        "articles": knowledge.published_articles(),
        "referrals": selectors.referrals_of(case),
        "attachments": case.attachments.all(),
        "is_owner": user.sees_all_agencies or case.owning_agency_id == user.agency_id,
        "is_receiver": case.transfer_to_id is not None
        and (user.sees_all_agencies or case.transfer_to_id == user.agency_id),
        "can_supervise": user.can(Capability.SUPERVISE_CASES),
        "colleagues": selectors.colleagues_for_assignment(case),
        "representations": selectors.representations().exclude(pk=case.owning_agency_id),
        "partners": selectors.partners(),
        "questions": case.case_type.localised_questions(),
        "answers": _answers_of(case),
        "note_form": NoteForm(),
        "urgency_form": UrgencyForm(initial={"urgency": case.urgency}),
        "attachment_form": AttachmentForm(),
        "text_form": TextForm(),
        **tasks,
    }
    context.update(extra)
    return render(request, "assistance/desk/case.html", context)


def _answers_of(case: Case) -> dict[str, str]:
    return json.loads(case.answers) if case.answers else {}


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.access_case(user=_user(request), pk=pk)
    return _case_page(request, case)


def _case_action(
    action: Callable[[User, Case, HttpRequest], str],
) -> Callable[[HttpRequest, int], HttpResponse]:
    """A POST on the case page: run the service, report the result, go back to the case."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        user = _user(request)
        case = (
            selectors.list_cases_for(user)
            .select_related("case_type", "owning_agency")
            .filter(pk=pk)
            .first()
        )
        if case is None:
            return render(
                request,
                "errors/error.html",
                {
                    "status": 404,
                    "title": _("Not found"),
                    "message": _("There is no such case, or you may not see it."),
                },
                status=404,
            )
        try:
            message = action(user, case, request)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, message)
        if not selectors.list_cases_for(user).filter(pk=pk).exists():
            return redirect("assistance:queue")
        return redirect("assistance:case", pk=pk)

    view.__name__ = action.__name__
    return view


def _text(request: HttpRequest, name: str = "text") -> str:
    return request.POST.get(name, "").strip()[:5000]


@_case_action
def assign(user: User, case: Case, request: HttpRequest) -> str:
    assignee_pk = request.POST.get("assignee") or user.pk
    assignee = selectors.colleagues_for_assignment(case).filter(pk=assignee_pk).first()
    if assignee is None:
        raise ValidationError(_("Choose a colleague."))
    services.assign_case(actor=user, case=case, assignee=assignee)
    return _("The case was assigned to %(name)s.") % {
        "name": assignee.get_full_name() or assignee.username
    }


@_case_action
def note(user: User, case: Case, request: HttpRequest) -> str:
    form = NoteForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Write the note."))
    services.add_note(
        actor=user,
        case=case,
        text=form.cleaned_data["text"],
        contacted=form.cleaned_data["contacted"],
    )
    return _("The note was added.")


@_case_action
def urgency(user: User, case: Case, request: HttpRequest) -> str:
    services.set_urgency(actor=user, case=case, urgency=request.POST.get("urgency", ""))
    return _("The urgency was changed; the targets follow it.")


@_case_action
def answers(user: User, case: Case, request: HttpRequest) -> str:
    codes = [q["code"] for q in case.case_type.questions]
    services.record_answers(
        actor=user, case=case, answers={code: _text(request, f"q_{code}") for code in codes}
    )
    return _("The answers were saved.")


@_case_action
def transfer(user: User, case: Case, request: HttpRequest) -> str:
    target = selectors.representations().filter(pk=request.POST.get("agency") or 0).first()
    if target is None:
        raise ValidationError(_("Choose a representation."))
    services.request_transfer(actor=user, case=case, to_agency=target, reason=_text(request))
    return _("The transfer was requested; %(agency)s will accept or reject it.") % {
        "agency": target.name
    }


@_case_action
def transfer_answer(user: User, case: Case, request: HttpRequest) -> str:
    try:
        if request.POST.get("decision") == "accept":
            services.accept_transfer(actor=user, case=case)
            return _("The case now belongs to your representation.")
        services.reject_transfer(actor=user, case=case, reason=_text(request))
    except PermissionDenied as error:
        raise ValidationError(str(error)) from error
    return _("The transfer was rejected.")


@_case_action
def refer(user: User, case: Case, request: HttpRequest) -> str:
    partner = selectors.partners().filter(pk=request.POST.get("partner") or 0).first()
    if partner is None:
        raise ValidationError(_("Choose a partner organisation."))
    services.refer_case(actor=user, case=case, partner=partner, note=_text(request))
    return _("The case was referred to %(partner)s.") % {"partner": partner.name}


@_case_action
def referral_answer(user: User, case: Case, request: HttpRequest) -> str:
    referral = get_object_or_404(Referral, pk=request.POST.get("referral") or 0, case=case)
    decision = request.POST.get("decision")
    if decision == "complete":
        services.complete_referral(actor=user, referral=referral, note=_text(request))
        return _("The referral was marked completed.")
    services.decide_referral(
        actor=user, referral=referral, accept=decision == "accept", note=_text(request)
    )
    return _("The partner's answer was recorded.")


@_case_action
def attach(user: User, case: Case, request: HttpRequest) -> str:
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        raise ValidationError(_("Choose a file."))
    services.add_attachment(actor=user, case=case, upload=form.cleaned_data["file"])
    return _("The file was attached.")


@_case_action
def reply(user: User, case: Case, request: HttpRequest) -> str:
    text = _text(request)
    article = knowledge.published_articles().filter(pk=request.POST.get("article") or 0).first()
    if article is not None:
        # The page's title and address in the reporter's language, after the caseworker's text.
        link = knowledge.link_text(
            article, language=case.language, absolute=request.build_absolute_uri
        )
        text = f"{text}\n\n{link}" if text else link
    message = services.reply_to_reporter(actor=user, case=case, text=text)
    if message is None:
        return _("The answer is on the reporter's follow-up page.")
    return _("The reply is queued for Telegram.")


@_case_action
def closure(user: User, case: Case, request: HttpRequest) -> str:
    decision = request.POST.get("decision", "request")
    try:
        if decision == "approve":
            services.approve_closure(actor=user, case=case)
            return _("The case is closed.")
        if decision == "reject":
            services.reject_closure(actor=user, case=case, reason=_text(request))
            return _("The case was sent back to the caseworker.")
    except PermissionDenied as error:
        raise ValidationError(str(error)) from error
    services.request_closure(actor=user, case=case, summary=_text(request))
    return _("Closure was requested; a supervisor will approve it.")


@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Files are served only here, after the same check as the case page, and audited."""
    item = selectors.access_attachment(user=_user(request), pk=pk)
    response = HttpResponse(item.content(), content_type=item.content_type)
    response["Content-Disposition"] = f'attachment; filename="{item.case.reference}-{item.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


# --- Helpline console ---------------------------------------------------------------------


@login_required
def console(request: HttpRequest) -> HttpResponse:
    """Find the caller (POST only: phones and names never go into a URL) and open a case."""
    user = _user(request)
    require(user, Capability.HANDLE_CASES)
    search = OperatorSearchForm(request.POST if request.POST.get("action") == "search" else None)
    results = None
    callers: list[tuple[Caller, list[Case]]] | None = None
    if search.is_bound and search.is_valid():
        results = list(selectors.search_cases(user=user, **search.case_criteria()))
        found = find_callers(
            user=user,
            phone=search.cleaned_data["phone"],
            passport=search.cleaned_data["passport"],
            name=search.cleaned_data["name"],
            birth_date=search.cleaned_data["birth_date"],
        )
        their_cases = selectors.cases_of_callers(user=user, callers=found)
        callers = [(caller, their_cases.get(caller.public_id, [])) for caller in found]
    case_form = OperatorCaseForm(request.POST if request.POST.get("action") == "open" else None)
    if case_form.is_bound and case_form.is_valid():
        case_type = case_form.cleaned_data["case_type"]
        answers = {q["code"]: _text(request, f"q_{q['code']}") for q in case_type.questions}
        submitted = services.open_case(
            actor=user,
            report=case_form.report(answers={k: v for k, v in answers.items() if v}, language=""),
        )
        messages.success(
            request,
            _("Case %(reference)s was opened. Give the caller this follow-up code: %(code)s")
            % {"reference": submitted.case.reference, "code": submitted.followup_code},
        )
        return redirect("assistance:case", pk=submitted.case.pk)
    types = list(selectors.case_types())
    chosen = case_form["case_type"].value() or (types[0].pk if types else None)
    return render(
        request,
        "assistance/desk/console.html",
        {
            "search": search,
            "results": results,
            "callers": callers,
            "case_form": case_form,
            "scripts": [(t, t.localised_questions()) for t in types],
            "chosen": str(chosen),
        },
    )


# --- Dashboard --------------------------------------------------------------------------

MAP_BOX = (19.0, 41.0, 88.0, 61.0)  # lon min, lat min, lon max, lat max: Russia west, Kazakhstan


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    data = selectors.dashboard(_user(request))
    lon0, lat0, lon1, lat1 = MAP_BOX
    width, height = 700.0, 300.0
    biggest = max((row["count"] for row in data["by_point"]), default=1)
    for row in data["by_point"]:
        point = row["point"]
        row["x"] = round((float(point.longitude) - lon0) / (lon1 - lon0) * width, 1)
        row["y"] = round((lat1 - float(point.latitude)) / (lat1 - lat0) * height, 1)
        row["r"] = round(4 + 16 * (row["count"] / biggest) ** 0.5, 1)
        row["label_x"] = row["x"] + row["r"] + 2
    return render(
        request,
        "assistance/desk/dashboard.html",
        {"data": data, "width": int(width), "height": int(height)},
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def export_csv(request: HttpRequest) -> HttpResponseBase:
    writer = csv.writer(_Echo())
    rows = selectors.export_rows(_user(request))
    header = next(rows)  # checks permission and writes the EXPORT audit entry before streaming
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in _prepend(header, rows)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="hamroh-cases.csv"'
    return response


@login_required
def export_xlsx(request: HttpRequest) -> HttpResponseBase:
    """The CSV export's rows as an Excel workbook: the same columns, the same audit entry."""
    rows = selectors.export_rows(_user(request))
    header = next(rows)  # checks permission and writes the EXPORT audit entry
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title="cases")
    bold = Font(bold=True)
    titles = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        titles.append(cell)
    sheet.append(titles)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="hamroh-cases.xlsx"'
    return response


def _prepend(first: Any, rest: Any) -> Any:
    yield first
    yield from rest


# --- Telegram webhook -------------------------------------------------------------------


@csrf_exempt
@require_POST
def telegram_webhook(request: HttpRequest, secret: str) -> HttpResponse:
    """Telegram posts updates here. Both the secret path and Telegram's secret-token header
    must match HAMROH_TELEGRAM_WEBHOOK_SECRET; without it the bot is off."""
    expected = os.environ.get("HAMROH_TELEGRAM_WEBHOOK_SECRET", "")
    header = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not expected or not (
        hmac.compare_digest(secret, expected) and hmac.compare_digest(header, expected)
    ):
        return HttpResponse(status=404)
    try:
        payload = json.loads(request.body)
        if not isinstance(payload, dict) or "update_id" not in payload:
            raise ValueError("not an update")
    except ValueError:
        return HttpResponse(status=400)
    telegram_bot.handle_update(payload)
    # Telegram only needs a 200; the answer is queued, not sent in the response.
    return HttpResponse(status=200)
