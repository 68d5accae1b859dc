"""Pages of the public portal and the staff desk. Views parse, call a service or
selector, and render; permission checks and audit live in those functions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hamroh.core import audit, selectors, services
from hamroh.core.forms import AgencyForm, AuditFilterForm, LoginForm, SetPasswordForm, UserForm
from hamroh.core.models import AuditEntry, User
from hamroh.core.navigation import MenuItem, desk_menu
from hamroh.core.roles import Capability, capabilities_of

# --- Public portal ----------------------------------------------------------------------


def portal(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language and remember it (cookie, and the account if signed in)."""
    code = request.POST.get("language", "")
    if code not in dict(settings.LANGUAGES):
        return render(
            request,
            "errors/error.html",
            {
                "status": 400,
                "title": _("Unknown language"),
                "message": _("Hamroh is available in Tajik, Russian and English."),
            },
            status=400,
        )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    if request.user.is_authenticated:
        services.set_own_language(user=_user(request), language=code)
    translation.activate(code)
    return response


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy", whatever its kind
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# --- Signing in and out ---------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "desk/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # A session cookie that no longer opens a session means the session ran out.
        context["session_expired"] = (
            self.request.method == "GET"
            and settings.SESSION_COOKIE_NAME in self.request.COOKIES
            and not self.request.user.is_authenticated
        )
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        services.record_audit(actor=user, action=AuditEntry.Action.LOGIN)
        if user.language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
            )
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        # The attempted name is not kept: people type passwords into it.
        known = User.objects.filter(username=form.data.get("username", "")).first()
        services.record_audit(
            actor=known,
            action=AuditEntry.Action.LOGIN_FAILED,
            actor_label="" if known else "unknown",
        )
        return super().form_invalid(form)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.record_audit(actor=_user(request), action=AuditEntry.Action.LOGOUT)
    response = auth_views.LogoutView.as_view()(request)
    assert isinstance(response, HttpResponse)
    return response


def login_locked_out(
    request: HttpRequest, credentials: Any, *args: Any, **kwargs: Any
) -> HttpResponse:
    """Shown by django-axes once an account is locked for too many failures."""
    return render(
        request,
        "errors/error.html",
        {
            "status": 429,
            "title": _("Too many failed sign-in attempts"),
            "message": _(
                "Signing in to this account is paused for 15 minutes. "
                "If you have forgotten your password, ask your administrator."
            ),
        },
        status=429,
    )


# --- Desk -------------------------------------------------------------------------------

DESK_LINKS = {
    Capability.MANAGE_AGENCIES: "core:agency_list",
    Capability.MANAGE_USERS: "core:user_list",
    Capability.VIEW_DIRECTORY: "core:user_list",
    Capability.VIEW_AUDIT: "core:audit",
    Capability.USE_API: "api_docs",
}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    granted = capabilities_of(user.role)
    tiles = [
        MenuItem(url=reverse(url_name), label=str(capability.label))
        for capability, url_name in DESK_LINKS.items()
        if capability in granted
    ]
    tiles += desk_menu(set(granted))
    return render(request, "desk/home.html", {"tiles": tiles})


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = selectors.list_agencies_for(_user(request))
    return render(request, "desk/agency_list.html", {"agencies": agencies})


@login_required
def agency_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _user(request)
    agency = selectors.access_agency(user=user, pk=pk) if pk else None
    if agency is None:
        services.require(user, Capability.MANAGE_AGENCIES)
        if not user.sees_all_agencies:
            return render(
                request,
                "errors/error.html",
                {
                    "status": 403,
                    "title": _("Not allowed"),
                    "message": _("Only the platform operator's administrators add agencies."),
                },
                status=403,
            )
    form = AgencyForm(request.POST or None, instance=agency, operator=user.sees_all_agencies)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.fields}
        try:
            if agency is None:
                agency = services.create_agency(actor=user, **values)
            else:
                services.update_agency(actor=user, agency=agency, **values)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The agency was saved."))
            return redirect("core:agency_list")
    return render(request, "desk/agency_form.html", {"form": form, "agency": agency})


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    users = selectors.list_users_for(actor)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "desk/user_list.html",
        {"page": page, "can_manage": actor.can(Capability.MANAGE_USERS)},
    )


@login_required
def user_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = _user(request)
    services.require(actor, Capability.MANAGE_USERS)
    target = selectors.access_user(actor=actor, pk=pk) if pk else None
    agencies = selectors.list_agencies_for(actor)
    form = UserForm(request.POST or None, instance=target, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if target is None:
                target = services.create_user(
                    actor=actor,
                    username=data["username"],
                    password=data["password"],
                    agency=data["agency"],
                    role=data["role"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    language=data["language"],
                    is_active=data["is_active"],
                )
            else:
                changes = {name: data[name] for name in services.USER_FIELDS}
                services.update_user(actor=actor, user=target, **changes)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The user was saved."))
            return redirect("core:user_list")
    password_form = SetPasswordForm() if target is not None else None
    return render(
        request,
        "desk/user_form.html",
        {"form": form, "target": target, "password_form": password_form},
    )


@login_required
@require_POST
def user_set_password(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _user(request)
    target = selectors.access_user(actor=actor, pk=pk)
    form = SetPasswordForm(request.POST)
    if form.is_valid():
        try:
            services.set_user_password(
                actor=actor, user=target, password=form.cleaned_data["password"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The password was changed."))
    else:
        messages.error(request, _("Enter a new password."))
    return redirect("core:user_edit", pk=pk)


@login_required
def audit_trail(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = AuditFilterForm(request.GET or None)
    filters = selectors.AuditFilter(**form.cleaned_data) if form.is_valid() else None
    entries = selectors.list_audit_for(user, filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "desk/audit.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@login_required
@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    services.require(user, Capability.VIEW_AUDIT)
    report = audit.verify()
    return render(request, "desk/audit_verify.html", {"report": report})


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_user_password(
                actor=user, user=user, password=form.cleaned_data["password"]
            )
        except ValidationError as error:
            form.add_error("password", error)
        else:
            messages.success(request, _("Your password was changed. Sign in again."))
            return redirect(reverse("core:login"))
    accesses = Paginator(selectors.list_accesses_to_own_record(user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "desk/account.html", {"form": form, "accesses": accesses})


# --- Errors ---------------------------------------------------------------------------


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": title, "message": message},
        status=status,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, _("Bad request"), _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    return _error(
        request, 403, _("Not allowed"), message or _("You do not have permission to see this page.")
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, _("Not found"), _("There is nothing here, or you may not see it."))


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        _("Something went wrong"),
        _(
            "The error was recorded. Please try again later; if it happens again, give your administrator the request number below."
        ),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        _("The form expired"),
        _(
            "For your safety this form can be sent only once and only from this site. Reload the page and try again."
        ),
    )
