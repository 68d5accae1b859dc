"""Pages of the registry: the migrant's registration and own record on the portal, and the
officers' list and record pages on the desk. Views parse, call a service or selector, render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hamroh.core.crypto import blind_index
from hamroh.core.models import User
from hamroh.core.roles import Capability
from hamroh.core.services import require
from hamroh.identity.engine.records import BirthDate
from hamroh.registry import selectors, services
from hamroh.registry.contracts import PORTAL_SESSION_KEY, portal_person_id
from hamroh.registry.forms import (
    AccessCodeForm,
    ChangeNameForm,
    CorrectionForm,
    DeskRegistrationForm,
    EditRecordForm,
    ImportUploadForm,
    NameSearchForm,
    PeopleFilterForm,
    RegistrationForm,
    ResolveCorrectionForm,
)
from hamroh.registry.limits import limited
from hamroh.registry.models import (
    CorrectionRequest,
    Person,
    PersonMerge,
    PersonName,
    RegistryImport,
)

NEW_CODE_SESSION_KEY = "registry_new_code"
# The code of a person just registered at an office: {"public_id": ..., "code": ...}, popped by
# the page that shows it, so it is shown exactly once.
DESK_CODE_SESSION_KEY = "registry_desk_new_code"


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "errors/error.html",
        {
            "status": 429,
            "title": _("Too many attempts"),
            "message": _("Please wait a quarter of an hour and try again."),
        },
        status=429,
    )


# --- Portal -------------------------------------------------------------------------------


def register(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        if limited(request, "register"):
            return _too_many(request)
        if form.is_valid():
            names = form.names(
                cyrillic_source=PersonName.Source.SELF, latin_source=PersonName.Source.PASSPORT
            )
            try:
                person, code = services.register_person(
                    actor=None, names=names, **form.person_values()
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                request.session.cycle_key()
                request.session[PORTAL_SESSION_KEY] = person.pk
                request.session[NEW_CODE_SESSION_KEY] = code
                return redirect("registry:welcome")
    return render(
        request,
        "registry/register.html",
        {"form": form, "consent_version": services.CONSENT_VERSION},
    )


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def welcome(request: HttpRequest) -> HttpResponse:
    """Shows the new access code exactly once."""
    code = request.session.pop(NEW_CODE_SESSION_KEY, "")
    if not code or portal_person_id(request) is None:
        return redirect("registry:me")
    return render(request, "registry/welcome.html", {"code": code})


def sign_in(request: HttpRequest) -> HttpResponse:
    form = AccessCodeForm(request.POST or None)
    if request.method == "POST":
        if limited(request, "code"):
            return _too_many(request)
        if form.is_valid():
            person = selectors.find_by_access_code(form.cleaned_data["code"])
            if person is None:
                form.add_error("code", _("This code is not valid. Check it and try again."))
            else:
                request.session.cycle_key()
                request.session[PORTAL_SESSION_KEY] = person.pk
                next_url = request.POST.get("next", "")
                if next_url.startswith("/recruitment/"):
                    return redirect(next_url)
                return redirect("registry:me")
    return render(
        request, "registry/sign_in.html", {"form": form, "next": request.GET.get("next", "")}
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    request.session.pop(PORTAL_SESSION_KEY, None)
    request.session.cycle_key()
    return redirect("core:portal")


def me(request: HttpRequest) -> HttpResponse:
    person_id = portal_person_id(request)
    if person_id is None:
        return redirect("registry:sign_in")
    person = selectors.access_own_record(person_id=person_id)
    accesses = Paginator(selectors.list_accesses_to_person(person), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "registry/me.html",
        {
            "person": person,
            "names": sorted(person.names.all(), key=lambda n: (n.valid_until is not None, n.id)),
            "passport": selectors.passport_of(person),
            "phones": person.phones.all(),
            "accesses": accesses,
            "corrections": person.corrections.all(),
            "form": CorrectionForm(),
        },
    )


@require_POST
def ask_correction(request: HttpRequest) -> HttpResponse:
    person_id = portal_person_id(request)
    if person_id is None:
        return redirect("registry:sign_in")
    if limited(request, "correction"):
        return _too_many(request)
    form = CorrectionForm(request.POST)
    person = get_object_or_404(Person, pk=person_id)
    if form.is_valid():
        try:
            services.request_correction(person=person, text=form.cleaned_data["text"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your request was sent. An officer will answer it."))
    else:
        messages.error(request, _("Write what is wrong and how it should read."))
    return redirect("registry:me")


# --- Desk ---------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def people(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    found = selectors.list_people_for(user)
    form = PeopleFilterForm(request.GET or None)
    if form.is_valid():
        if form.cleaned_data["public_id"]:
            found = found.filter(public_id=form.cleaned_data["public_id"].strip().upper())
        if form.cleaned_data["region"]:
            found = found.filter(region=form.cleaned_data["region"])
    search = NameSearchForm(request.POST or None)
    if request.method == "POST" and search.is_valid():
        key = services.name_key(search.cleaned_data["surname"])
        found = found.filter(Q(names__surname_key=key)).distinct()
    found = found.prefetch_related("names").order_by("-id")
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    open_corrections = CorrectionRequest.objects.filter(
        person__in=selectors.list_people_for(user).values("pk"),
        status=CorrectionRequest.Status.OPEN,
    ).count()
    return render(
        request,
        "registry/people.html",
        {
            "page": page,
            "form": form,
            "search": search,
            "query": query.urlencode(),
            "open_corrections": open_corrections,
        },
    )


@login_required
def person_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    person = selectors.access_person(user=user, public_id=public_id)
    return render(
        request,
        "registry/person.html",
        {
            "person": person,
            "names": sorted(person.names.all(), key=lambda n: (n.valid_until is not None, n.id)),
            "passport": selectors.passport_of(person),
            "phones": person.phones.all(),
            "corrections": person.corrections.all(),
            "resolve_form": ResolveCorrectionForm(),
            "accesses": selectors.list_accesses_to_person(person)[:20],
            "merges": person.merges_kept.select_related("merged", "merged_by"),
        },
    )


@login_required
@require_POST
def resolve_correction(request: HttpRequest, public_id: str, pk: int) -> HttpResponse:
    user = _user(request)
    require(user, Capability.MANAGE_RECRUITMENT)
    person = get_object_or_404(selectors.list_people_for(user), public_id=public_id)
    correction = get_object_or_404(person.corrections, pk=pk)
    form = ResolveCorrectionForm(request.POST)
    if form.is_valid():
        services.resolve_correction(
            actor=user,
            correction=correction,
            status=form.cleaned_data["status"],
            answer=form.cleaned_data["answer"],
        )
        messages.success(request, _("The answer was saved."))
    return redirect("registry:person", public_id=public_id)


@login_required
@require_POST
def reissue_code(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    person = get_object_or_404(selectors.list_people_for(user), public_id=public_id)
    code = services.reissue_access_code(actor=user, person=person)
    return render(request, "registry/new_code.html", {"person": person, "code": code})


@login_required
@require_POST
def merge(request: HttpRequest, public_id: str) -> HttpResponse:
    """Merge the duplicate whose registry number is posted into this record."""
    user = _user(request)
    people = selectors.list_people_for(user)
    kept = get_object_or_404(people, public_id=public_id)
    other = request.POST.get("duplicate", "").strip().upper()
    duplicate = people.filter(public_id=other).first()
    if duplicate is None:
        messages.error(request, _("No record with this registry number."))
        return redirect("registry:person", public_id=public_id)
    try:
        services.merge_people(actor=user, kept=kept, merged=duplicate)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The records were merged. The merge can be undone."))
    return redirect("registry:person", public_id=public_id)


@login_required
@require_POST
def undo_merge(request: HttpRequest, public_id: str, pk: int) -> HttpResponse:
    user = _user(request)
    kept = get_object_or_404(selectors.list_people_for(user), public_id=public_id)
    done = get_object_or_404(PersonMerge, pk=pk, kept=kept)
    try:
        services.undo_merge(actor=user, merge=done)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The merge was undone."))
    return redirect("registry:person", public_id=public_id)


# --- Desk: registering at an office, editing a record ---------------------------------------


@login_required
def register_at_desk(request: HttpRequest) -> HttpResponse:
    """An officer registers a person who came to the office. Likely duplicates found by the
    identity engine are shown first; the officer opens one, or confirms a different person."""
    user = _user(request)
    require(user, Capability.MANAGE_RECRUITMENT)
    form = DeskRegistrationForm(request.POST or None)
    duplicates: list[selectors.LikelyDuplicate] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # At an office the officer copies the Latin name from the passport when one is
        # shown; the Cyrillic one is the office's record.
        names = form.names(
            cyrillic_source=PersonName.Source.OFFICE,
            latin_source=(
                PersonName.Source.PASSPORT if data["passport_number"] else PersonName.Source.OFFICE
            ),
        )
        try:
            services.check_passport_free(data["passport_number"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            duplicates = selectors.find_likely_duplicates(
                user=user,
                names=names,
                birth_date=data["birth_date"],
                sex=data["sex"],
                passport_number=data["passport_number"],
            )
            seen = set(request.POST.get("seen", "").split())
            confirmed = request.POST.get("different_person") == "yes"
            shown = {d.person.public_id for d in duplicates}
            if duplicates and not (confirmed and shown <= seen):
                if confirmed:
                    form.add_error(
                        None,
                        _("The changed details match other records: check them again."),
                    )
            else:
                try:
                    person, code = services.register_person(
                        actor=user,
                        names=names,
                        source=Person.Source.DESK,
                        **form.person_values(),
                    )
                except ValidationError as error:
                    _add_errors(form, error)
                else:
                    request.session[DESK_CODE_SESSION_KEY] = {
                        "public_id": person.public_id,
                        "code": code,
                    }
                    return redirect("registry:registered", public_id=person.public_id)
    return render(
        request,
        "registry/desk_register.html",
        {
            "form": form,
            "consent_version": services.CONSENT_VERSION,
            "duplicates": duplicates,
            "seen": " ".join(d.person.public_id for d in duplicates),
        },
    )


@login_required
def registered(request: HttpRequest, public_id: str) -> HttpResponse:
    """Shows the access code of a person just registered at the office, exactly once."""
    user = _user(request)
    person = get_object_or_404(selectors.list_people_for(user), public_id=public_id)
    new = request.session.get(DESK_CODE_SESSION_KEY) or {}
    if new.get("public_id") != person.public_id:
        return redirect("registry:person", public_id=person.public_id)
    del request.session[DESK_CODE_SESSION_KEY]
    return render(request, "registry/desk_registered.html", {"person": person, "code": new["code"]})


def _edit_initial(person: Person) -> dict[str, Any]:
    passport = selectors.passport_of(person)
    phones = list(person.phones.all())
    return {
        "phone": phones[0].number if phones else "",
        "passport_number": passport.number if passport else "",
        "passport_expiry_date": passport.expiry_date if passport else None,
        "education": person.education,
        "occupation": person.occupation,
        "languages": person.languages,
        "sex": person.sex,
        "birth_date": person.birth_date_text,
        "region": person.region,
        "district": person.district,
    }


def _edit_form(person: Person) -> EditRecordForm:
    had_passport = selectors.passport_of(person) is not None
    return EditRecordForm(initial=_edit_initial(person), had_passport=had_passport)


def _record_changes(person: Person, data: dict[str, Any]) -> dict[str, Any]:
    """What the edit form changes, in ``update_person``'s terms. Phone and passport are passed
    only when they differ, because the service replaces them whenever they are given."""
    changes = {
        field: data[field]
        for field in ("sex", "birth_date", "region", "district", "education", "occupation")
    }
    changes["languages"] = list(data["languages"])
    phone_index = blind_index(data["phone"])
    held = {phone.number_index for phone in person.phones.all()}
    if (phone_index and phone_index not in held) or (not phone_index and held):
        changes["phone"] = data["phone"]
    passport = selectors.passport_of(person)
    if data["passport_number"] and (
        passport is None
        or passport.number_index != blind_index(data["passport_number"])
        or passport.expiry_date != data["passport_expiry_date"]
    ):
        changes["passport_number"] = data["passport_number"]
        changes["passport_expiry_date"] = data["passport_expiry_date"]
    return changes


def _edit_page(
    request: HttpRequest,
    person: Person,
    form: EditRecordForm,
    name_form: ChangeNameForm,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "registry/edit.html",
        {
            "person": person,
            "names": sorted(person.names.all(), key=lambda n: (n.valid_until is not None, n.id)),
            "form": form,
            "name_form": name_form,
        },
        status=status,
    )


@login_required
def edit_person(request: HttpRequest, public_id: str) -> HttpResponse:
    """Change the record's contact details, passport, skills and facts (``update_person``)."""
    user = _user(request)
    person = selectors.access_person(user=user, public_id=public_id)
    had_passport = selectors.passport_of(person) is not None
    if request.method != "POST":
        return _edit_page(request, person, _edit_form(person), ChangeNameForm())
    form = EditRecordForm(request.POST, had_passport=had_passport)
    if form.is_valid():
        try:
            services.update_person(
                actor=user, person=person, **_record_changes(person, form.cleaned_data)
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The record was saved."))
            return redirect("registry:person", public_id=person.public_id)
    return _edit_page(request, person, form, ChangeNameForm())


@login_required
@require_POST
def change_name(request: HttpRequest, public_id: str) -> HttpResponse:
    """A new name in one script; the former one is kept, closed, and still found."""
    user = _user(request)
    person = selectors.access_person(user=user, public_id=public_id)
    name_form = ChangeNameForm(request.POST)
    if name_form.is_valid():
        data = name_form.cleaned_data
        # A new surname alone keeps the given name and patronymic held in that script.
        current = next(
            (n for n in person.current_names() if n.script == data["script"]),
            None,
        )
        if current is not None:
            data["given_name"] = data["given_name"] or current.given_name
            data["patronymic"] = data["patronymic"] or current.patronymic
        if not data["given_name"].strip():
            name_form.add_error("given_name", _("Enter the given name."))
            return _edit_page(request, person, _edit_form(person), name_form)
        try:
            services.change_name(
                actor=user,
                person=person,
                name=services.NameInput(
                    data["surname"],
                    data["given_name"],
                    data["patronymic"],
                    data["script"],
                    data["source"],
                ),
                changed_on=data["changed_on"],
            )
        except ValidationError as error:
            _add_errors(name_form, error)
        else:
            messages.success(request, _("The new name was saved; the former name is kept."))
            return redirect("registry:person", public_id=person.public_id)
    return _edit_page(request, person, _edit_form(person), name_form)


# --- Desk: importing a registry file ----------------------------------------------------------

PROBLEMS_PER_PAGE = 500
DUPLICATE_GROUPS_PER_PAGE = 20


@dataclass(frozen=True)
class DuplicateGroup:
    """One group of the report's likely duplicates after the import: the lines of the file,
    the registered people they were judged to be, and what the officer can do now.

    Since the import keeps the registry number each of these lines became, the records to
    merge are exactly those; the kept record is the registered person, or the first line's
    record when the lines are of the same file. Reports of older imports name no records: the
    identity engine finds the imported ones among the people of the import, as likely
    duplicates of the registered person. Once merged, the merges say it.
    """

    number: int
    lines: list[int]
    registered: list[str]
    kept: Person | None
    imported: list[Person]
    merges: list[PersonMerge]

    @property
    def said_lines(self) -> list[int]:
        """The lines the report speaks of: each may be the same person as ``as_lines``."""
        return self.lines if self.registered else self.lines[1:]

    @property
    def as_lines(self) -> list[int]:
        return [] if self.registered else self.lines[:1]


def _duplicate_sets(record: RegistryImport) -> list[tuple[list[int], list[str]]]:
    """The report's duplicates as groups (each line lists the others of its group)."""
    groups: list[tuple[list[int], list[str]]] = []
    seen: set[frozenset[str]] = set()
    for entry in record.duplicates:
        lines = {entry["line"], *(o["line"] for o in entry["others"] if "line" in o)}
        registered = {o["person"] for o in entry["others"] if "person" in o}
        key = frozenset([*(f"line:{n}" for n in lines), *registered])
        if key not in seen:
            seen.add(key)
            groups.append((sorted(lines), sorted(registered)))
    return sorted(groups, key=lambda group: group[0])


def _identity_of(person: Person) -> dict[str, Any]:
    passport = selectors.passport_of(person)
    return {
        "names": [
            services.NameInput(n.surname, n.given_name, n.patronymic, n.script)
            for n in person.names.all()
        ],
        "birth_date": BirthDate(person.birth_year, person.birth_month, person.birth_day),
        "sex": person.sex,
        "passport_number": passport.number if passport else "",
    }


def _imported_as(record: RegistryImport) -> dict[int, str]:
    """The registry number each line of the report's duplicates became (imports made since
    the import kept them; older reports have none)."""
    stored: dict[int, str] = {}
    for entry in record.duplicates:
        for item in (entry, *entry["others"]):
            if item.get("as"):
                stored[item["line"]] = item["as"]
    return stored


def _duplicate_group(
    user: User, record: RegistryImport, number: int, lines: list[int], registered: list[str]
) -> DuplicateGroup:
    empty = DuplicateGroup(number, lines, registered, None, [], [])
    if record.status != RegistryImport.Status.IMPORTED:
        return empty
    visible = selectors.list_people_for(user)
    stored = _imported_as(record)
    if registered:
        kept = selectors.with_details(visible).filter(public_id__in=registered)
        kept_person = kept.order_by("public_id").first()
        from_lines = [stored[line] for line in lines if line in stored]
    else:
        # Lines of the same file: the first line's record is kept, the others merge into it.
        if lines[0] not in stored:
            return empty
        kept_person = selectors.with_details(visible).filter(public_id=stored[lines[0]]).first()
        from_lines = [stored[line] for line in lines[1:] if line in stored]
    if kept_person is None:
        return empty
    batch = visible.filter(import_batch=record.imported_batch)
    merges = list(
        PersonMerge.objects.filter(
            kept=kept_person, merged__import_batch=record.imported_batch, undone_at__isnull=True
        ).select_related("merged", "kept")
    )
    imported: list[Person] = []
    if not merges:
        if from_lines:
            imported = list(batch.filter(public_id__in=from_lines).order_by("public_id"))
        elif registered:  # an import made before the report kept its registry numbers
            found = selectors.likely_people_in(batch, **_identity_of(kept_person), limit=len(lines))
            imported = [d.person for d in found]
    return DuplicateGroup(number, lines, registered, kept_person, imported, merges)


def _duplicate_groups(request: HttpRequest, record: RegistryImport) -> dict[str, Any]:
    """The page of duplicate groups shown, each linked to the imported people once imported
    (one identity-engine lookup per group shown)."""
    sets = _duplicate_sets(record)
    page = Paginator(range(len(sets)), DUPLICATE_GROUPS_PER_PAGE).get_page(
        request.GET.get("duplicates")
    )
    groups = [_duplicate_group(_user(request), record, n, *sets[n]) for n in page.object_list]
    return {"groups": groups, "groups_page": page}


@login_required
def imports(request: HttpRequest) -> HttpResponse:
    """Upload a CSV or Excel file to import; the agency's earlier uploads below."""
    user = _user(request)
    require(user, Capability.MANAGE_RECRUITMENT)
    form = ImportUploadForm()
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():  # type and size, before the file is read
            upload = form.cleaned_data["file"]
            try:
                record = services.upload_import(
                    actor=user, file_name=upload.name or "registry.csv", data=upload.read()
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return redirect("registry:import", pk=record.pk)
    page = Paginator(selectors.list_imports_for(user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/imports.html",
        {"form": form, "page": page, "max_mb": services.MAX_IMPORT_BYTES // (1024 * 1024)},
    )


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The check's progress, then its report: rows, problems per line and column, likely
    duplicates; then the import's progress. Polled by htmx every second while work runs."""
    user = _user(request)
    record = selectors.access_import(user=user, pk=pk)
    problems = Paginator(selectors.import_problems(record), PROBLEMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    done, total = (
        services.import_progress(record)
        if record.status == RegistryImport.Status.IMPORTING
        else (0, 0)
    )
    context = {
        "record": record,
        "problems": problems,
        "stored_problems": problems.paginator.count,
        "done": done,
        "total": total,
        **(_duplicate_groups(request, record) if record.duplicates else {}),
    }
    template = (
        "registry/_import_status.html"
        if request.headers.get("HX-Request")
        else "registry/import_detail.html"
    )
    return render(request, template, context)


@login_required
@require_POST
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    record = selectors.access_import(user=user, pk=pk)
    try:
        services.commit_import(actor=user, record=record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("registry:import", pk=record.pk)


@login_required
@require_POST
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    record = selectors.access_import(user=user, pk=pk)
    try:
        services.discard_import(actor=user, record=record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("registry:import", pk=record.pk)
    messages.success(request, _("The uploaded file was deleted."))
    return redirect("registry:imports")


@login_required
@require_POST
def import_merge(request: HttpRequest, pk: int, group: int) -> HttpResponse:
    """Merge the people imported from one group of likely duplicates into the registered
    person they were judged to be (``services.merge_people``: audited, can be undone)."""
    user = _user(request)
    record = selectors.access_import(user=user, pk=pk)
    sets = _duplicate_sets(record)
    if not 0 <= group < len(sets):
        raise Http404
    found = _duplicate_group(user, record, group, *sets[group])
    if found.kept is None or not found.imported:
        messages.error(request, _("No imported record was found for these lines."))
    else:
        try:
            with transaction.atomic():
                for person in found.imported:
                    services.merge_people(actor=user, kept=found.kept, merged=person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The records were merged. The merge can be undone."))
    return redirect(_import_anchor(record, group))


@login_required
@require_POST
def import_unmerge(request: HttpRequest, pk: int, group: int) -> HttpResponse:
    """Undo the merges made for one group of the report."""
    user = _user(request)
    record = selectors.access_import(user=user, pk=pk)
    sets = _duplicate_sets(record)
    if not 0 <= group < len(sets):
        raise Http404
    found = _duplicate_group(user, record, group, *sets[group])
    try:
        with transaction.atomic():
            for merge in found.merges:
                services.undo_merge(actor=user, merge=merge)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The merge was undone."))
    return redirect(_import_anchor(record, group))


def _import_anchor(record: RegistryImport, group: int) -> str:
    page = group // DUPLICATE_GROUPS_PER_PAGE + 1
    return f"{reverse('registry:import', args=[record.pk])}?duplicates={page}#duplicates-{group}"
