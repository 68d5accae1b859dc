"""Pages of the screening app: parse, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from hamroh.core.middleware import client_ip
from hamroh.core.models import User
from hamroh.core.roles import Capability
from hamroh.core.services import require
from hamroh.screening import selectors, services
from hamroh.screening.forms import (
    CohortForm,
    DecisionForm,
    PersonForm,
    RestrictionListForm,
    SelfCheckForm,
    UploadForm,
)
from hamroh.screening.list_file import ListFileError
from hamroh.screening.models import ListDiff, PossibleMatch, SelfCheck
from hamroh.screening.self_check import NotReady, RateLimited, self_check


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


# --- Lists ---------------------------------------------------------------------------------


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    lists = selectors.list_lists_for(user)
    runs = selectors.list_runs_for(user)[:10]
    pending = selectors.list_matches_for(user).count()
    return render(
        request,
        "screening/overview.html",
        {"lists": lists, "runs": runs, "pending": pending},
    )


@login_required
def list_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require(user, Capability.REVIEW_MATCHES)
    form = RestrictionListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            restriction_list = services.create_list(
                actor=user,
                name=data["name"],
                kind=data["kind"],
                country_code=data["country"].pk,
                visibility=data["visibility"],
                in_self_check=data["in_self_check"],
                appeal_route=data["appeal_route"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The list was created. Now load its first version."))
            return redirect("screening:list_detail", pk=restriction_list.pk)
    return render(request, "screening/list_form.html", {"form": form})


@login_required
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    restriction_list = selectors.access_list(user=user, pk=pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.files["file"]
        assert isinstance(upload, UploadedFile)
        try:
            version = services.load_list(
                actor=user,
                restriction_list=restriction_list,
                file_name=upload.name or "list.csv",
                data=form.cleaned_data["file"],
            )
        except ListFileError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                _(
                    "Version %(number)d is now in force: %(added)d added, %(removed)d removed, %(changed)d changed."
                )
                % {
                    "number": version.number,
                    "added": version.added,
                    "removed": version.removed,
                    "changed": version.changed,
                },
            )
            return redirect("screening:version_detail", pk=version.pk)
    return render(
        request,
        "screening/list_detail.html",
        {
            "restriction_list": restriction_list,
            "versions": selectors.versions_of(restriction_list),
            "form": form,
            "problems": problems,
        },
    )


@login_required
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.access_version(user=_user(request), pk=pk)
    change = request.GET.get("change", "")
    diffs = selectors.diff_of(version)
    if change in ListDiff.Change.values:
        diffs = diffs.filter(change=change)
    page = Paginator(diffs, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/version_detail.html",
        {
            "version": version,
            "page": page,
            "change": change,
            "changes": ListDiff.Change.choices,
            "query": f"change={change}" if change else "",
        },
    )


# --- Screening runs ------------------------------------------------------------------------


@login_required
def screen(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require(user, Capability.REVIEW_MATCHES)
    cohort_form = CohortForm(prefix="cohort")
    person_form = PersonForm(prefix="person")
    problems: list[str] = []
    if request.method == "POST":
        what = request.POST.get("what")
        try:
            if what == "cohort":
                cohort_form = CohortForm(request.POST, request.FILES, prefix="cohort")
                if cohort_form.is_valid():
                    upload = request.FILES["cohort-file"]
                    assert isinstance(upload, UploadedFile)
                    run = services.screen_cohort(
                        actor=user,
                        file_name=upload.name or "cohort.csv",
                        data=cohort_form.cleaned_data["file"],
                    )
                    return redirect("screening:run_detail", pk=run.pk)
            elif what == "person":
                person_form = PersonForm(request.POST, prefix="person")
                if person_form.is_valid():
                    run = services.screen_person(actor=user, person=person_form.cleaned_data)
                    return redirect("screening:run_detail", pk=run.pk)
            elif what == "registry":
                run = services.screen_registry(actor=user)
                return redirect("screening:run_detail", pk=run.pk)
        except ListFileError as error:
            problems = error.messages
        except ValidationError as error:
            problems = error.messages
    return render(
        request,
        "screening/screen.html",
        {
            "cohort_form": cohort_form,
            "person_form": person_form,
            "problems": problems,
            "registry": services.registry_available(),
        },
    )


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    runs = selectors.list_runs_for(_user(request))
    page = Paginator(runs, 50).get_page(request.GET.get("page"))
    return render(request, "screening/run_list.html", {"page": page})


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.access_run(user=_user(request), pk=pk)
    template = (
        "screening/_run_progress.html"
        if request.headers.get("HX-Request")
        else "screening/run_detail.html"
    )
    return render(request, template, {"run": run})


# --- Reviewer queue ------------------------------------------------------------------------


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    status = request.GET.get("status", PossibleMatch.Review.PENDING)
    if status not in PossibleMatch.Review.values:
        status = PossibleMatch.Review.PENDING
    matches = selectors.list_matches_for(user, status=status)
    page = Paginator(matches, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/queue.html",
        {
            "page": page,
            "status": status,
            "statuses": PossibleMatch.Review.choices,
            "query": f"status={status}",
        },
    )


@login_required
def match_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    match = selectors.access_match(user=user, pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decide = (
            services.confirm_match
            if form.cleaned_data["decision"] == "confirm"
            else services.reject_match
        )
        try:
            decide(actor=user, match=match, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your decision was recorded."))
            following = selectors.list_matches_for(user).exclude(pk=match.pk).first()
            if following is not None:
                return redirect("screening:match_detail", pk=following.pk)
            return redirect("screening:queue")
    entry = match.entry
    rows = [
        (_("Surname"), "surname"),
        (_("Given name"), "given_name"),
        (_("Patronymic"), "patronymic"),
        (_("Full name"), "full_name"),
        (_("Birth date"), "birth_date"),
        (_("Sex"), "sex"),
        (_("Nationality"), "nationality"),
        (_("Passport number"), "document_number"),
        (_("Passport issue date"), "document_issue_date"),
    ]
    subject, listed = match.person_values, entry.person_values
    comparison = [
        {"label": label, "subject": subject.get(key, ""), "entry": listed.get(key, "")}
        for label, key in rows
        if subject.get(key) or listed.get(key)
    ]
    return render(
        request,
        "screening/match_detail.html",
        {"match": match, "entry": entry, "comparison": comparison, "form": form},
    )


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(request, "screening/figures.html", {"figures": selectors.screening_figures(user)})


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    items = selectors.list_notifications_for(_user(request))
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(request, "screening/notifications.html", {"page": page})


@login_required
def notification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    notification = selectors.access_notification(user=user, pk=pk)
    if request.method == "POST":
        services.mark_notification_read(actor=user, notification=notification)
        return redirect("screening:notifications")
    person = selectors.notification_subject(user=user, notification=notification)
    return render(
        request,
        "screening/notification_detail.html",
        {"notification": notification, "person": person},
    )


# --- Public self-check ---------------------------------------------------------------------


@never_cache
def self_check_page(request: HttpRequest) -> HttpResponse:
    """GET shows the form; POST answers. Nothing typed here appears in a URL or a log."""
    form = SelfCheckForm(request.POST or None)
    answer = None
    status = 200
    if request.method == "POST":
        values = {key: request.POST.get(key, "") for key in form.fields}
        try:
            answer = self_check(
                values=values, ip=client_ip(request), channel=SelfCheck.Channel.PORTAL
            )
        except RateLimited:
            status = 429
        except NotReady:
            status = 503
        form = SelfCheckForm()  # never echo the typed details back into the page
    return render(
        request,
        "screening/self_check.html",
        {
            "form": form,
            "answer": answer,
            "limited": status == 429,
            "unavailable": status == 503,
        },
        status=status,
    )
