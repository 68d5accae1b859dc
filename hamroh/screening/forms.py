from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from hamroh.core.models import Country
from hamroh.screening.models import RestrictionList

MAX_LIST_BYTES = 50 * 1024 * 1024  # larger lists go through `hamroh import list`
MAX_COHORT_BYTES = 20 * 1024 * 1024
ALLOWED_SUFFIXES = (".csv", ".txt", ".xlsx")


def checked_upload(upload: UploadedFile, limit: int) -> bytes:
    """The bytes of an uploaded CSV or Excel file, after checking its type and size."""
    name = (upload.name or "").lower()
    if not name.endswith(ALLOWED_SUFFIXES):
        raise forms.ValidationError(_("Upload a CSV or Excel (.xlsx) file."))
    if upload.size is not None and upload.size > limit:
        raise forms.ValidationError(
            _("The file is larger than %(mb)d MB; use the command line for large files.")
            % {"mb": limit // (1024 * 1024)}
        )
    data = upload.read()
    if name.endswith(".xlsx"):
        if not data.startswith(b"PK\x03\x04"):
            raise forms.ValidationError(_("This is not an Excel workbook."))
    elif b"\x00" in data[:65536]:
        raise forms.ValidationError(_("This is not a text (CSV) file."))
    return data


class RestrictionListForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=RestrictionList.Kind.choices)
    country = forms.ModelChoiceField(
        label=_("Country that imposes it"), queryset=Country.objects.all(), initial="RUS"
    )
    visibility = forms.ChoiceField(
        label=_("Who may see it"), choices=RestrictionList.Visibility.choices
    )
    in_self_check = forms.BooleanField(
        label=_("Answer migrants' self-checks against this list"), required=False, initial=True
    )
    appeal_route = forms.CharField(
        label=_("How to appeal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Shown to a person found on the list."),
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("List file (CSV or Excel)"),
        help_text=_(
            "The whole list: the person columns, list_kind, reason, legal_basis, valid_from, "
            "valid_until, source_reference. It replaces the version in force."
        ),
    )

    def clean_file(self) -> bytes:
        return checked_upload(self.cleaned_data["file"], MAX_LIST_BYTES)


class CohortForm(forms.Form):
    file = forms.FileField(
        label=_("People to screen (CSV or Excel)"),
        help_text=_(
            "Columns id, surname, given_name, patronymic, full_name, birth_date, sex, "
            "nationality, document_number; optional consent, contact, language."
        ),
    )

    def clean_file(self) -> bytes:
        return checked_upload(self.cleaned_data["file"], MAX_COHORT_BYTES)


class PersonForm(forms.Form):
    surname = forms.CharField(label=_("Surname"), max_length=100, required=False)
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    birth_date = forms.CharField(
        label=_("Birth date"),
        max_length=10,
        required=False,
        help_text=_("YYYY, YYYY-MM or YYYY-MM-DD"),
    )
    sex = forms.ChoiceField(
        label=_("Sex"), choices=[("", "—"), ("M", _("male")), ("F", _("female"))], required=False
    )
    document_number = forms.CharField(label=_("Passport number"), max_length=40, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("surname") or data.get("given_name")):
            raise forms.ValidationError(_("Enter the person's name."))
        from hamroh.identity.engine import BirthDate

        try:
            BirthDate.parse(data.get("birth_date", ""))
        except ValueError:
            self.add_error("birth_date", _("Use YYYY, YYYY-MM or YYYY-MM-DD."))
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("confirm", _("Same person: confirm")),
            ("reject", _("Not the same person: reject")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class SelfCheckForm(forms.Form):
    """Every field optional on the server: too little detail gets the "no record" answer."""

    full_name = forms.CharField(
        label=_("Your name as in your passport"),
        max_length=200,
        required=False,
        help_text=_("In any script: Тоҷикӣ, Русский or Latin."),
        widget=forms.TextInput(attrs={"autocomplete": "name", "required": True}),
    )
    birth_date = forms.CharField(
        label=_("Birth date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "required": True}),
    )
    document_number = forms.CharField(
        label=_("Passport number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "required": True}),
    )
    document_issue_date = forms.CharField(
        label=_("Passport issue date (if you know it)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
