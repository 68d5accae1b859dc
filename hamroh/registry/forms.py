from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hamroh.core.models import Occupation, Subdivision
from hamroh.identity.engine.records import BirthDate
from hamroh.registry.models import CorrectionRequest, Education, Language, PersonName, Sex
from hamroh.registry.services import NameInput


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def regions() -> Any:
    return Subdivision.objects.filter(kind=Subdivision.Kind.REGION).order_by("code")


def districts() -> Any:
    return Subdivision.objects.exclude(kind=Subdivision.Kind.REGION).order_by("code")


def occupations() -> Any:
    return Occupation.objects.filter(level=3).order_by("code")


class OccupationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}"


class PersonFactsForm(forms.Form):
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_date: forms.Field = forms.DateField(label=_("Date of birth"), widget=DateInput())
    region = forms.ModelChoiceField(label=_("Home region"), queryset=Subdivision.objects.none())
    district = forms.ModelChoiceField(
        label=_("District or city"), queryset=Subdivision.objects.none(), required=False
    )
    education = forms.ChoiceField(
        label=_("Education"), choices=[("", "—"), *Education.choices], required=False
    )
    occupation = OccupationChoiceField(
        label=_("Occupation (what you can do)"),
        queryset=Occupation.objects.none(),
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions()  # type: ignore[attr-defined]
        self.fields["district"].queryset = districts()  # type: ignore[attr-defined]
        self.fields["occupation"].queryset = occupations()  # type: ignore[attr-defined]

    def clean_birth_date(self) -> BirthDate:
        value: date = self.cleaned_data["birth_date"]
        return BirthDate(value.year, value.month, value.day)


class RegistrationForm(PersonFactsForm):
    surname_cyrillic = forms.CharField(label=_("Surname (Cyrillic)"), max_length=80)
    given_name_cyrillic = forms.CharField(label=_("Given name (Cyrillic)"), max_length=80)
    patronymic_cyrillic = forms.CharField(
        label=_("Patronymic (Cyrillic)"), max_length=80, required=False
    )
    surname_latin = forms.CharField(label=_("Surname (Latin, as in the passport)"), max_length=80)
    given_name_latin = forms.CharField(
        label=_("Given name (Latin, as in the passport)"), max_length=80
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=30, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    passport_number = forms.CharField(label=_("Passport number"), max_length=20, required=False)
    passport_expiry_date = forms.DateField(
        label=_("Passport valid until"), widget=DateInput(), required=False
    )
    consent = forms.BooleanField(
        label=_("I agree that my data is used as described above."), required=True
    )

    NAME_FIELDS = (
        "surname_cyrillic",
        "given_name_cyrillic",
        "patronymic_cyrillic",
        "surname_latin",
        "given_name_latin",
    )
    # What register_person takes besides the names.
    PERSON_FIELDS = (
        "sex",
        "birth_date",
        "region",
        "district",
        "phone",
        "passport_number",
        "passport_expiry_date",
        "education",
        "occupation",
        "languages",
        "consent",
    )
    field_order = [*NAME_FIELDS, *PERSON_FIELDS]

    def names(self, *, cyrillic_source: str, latin_source: str) -> list[NameInput]:
        """The Cyrillic name (written in Tajik) and the Latin one, with where each came from."""
        data = self.cleaned_data
        return [
            NameInput(
                data["surname_cyrillic"],
                data["given_name_cyrillic"],
                data["patronymic_cyrillic"],
                PersonName.Script.TAJIK,
                cyrillic_source,
            ),
            NameInput(
                data["surname_latin"],
                data["given_name_latin"],
                "",
                PersonName.Script.LATIN,
                latin_source,
            ),
        ]

    def person_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.PERSON_FIELDS}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("passport_number") and not data.get("passport_expiry_date"):
            self.add_error("passport_expiry_date", _("Enter the date the passport expires."))
        return data


# --- Desk: registering a person at an office, editing a record -----------------------------

_DOTTED_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_DOTTED_MONTH = re.compile(r"^(\d{1,2})\.(\d{4})$")


class PartialDateField(forms.Field):
    """A birth date as old papers know it: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``,
    ``MM.YYYY`` or ``DD.MM.YYYY``; an unknown month or day stays unknown."""

    default_error_messages = {
        "invalid": _(
            "Enter the date of birth as YYYY-MM-DD or DD.MM.YYYY; if only the year or the "
            "month is known, as YYYY or YYYY-MM."
        ),
    }

    widget = forms.TextInput(attrs={"maxlength": "10", "autocomplete": "off"})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text", _("For example 1994-03-15, 15.03.1994, or only 1994 or 1994-03.")
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        dotted = _DOTTED_DATE.match(text)
        if dotted:
            text = f"{dotted.group(3)}-{int(dotted.group(2)):02d}-{int(dotted.group(1)):02d}"
        month = _DOTTED_MONTH.match(text)
        if month:
            text = f"{month.group(2)}-{int(month.group(1)):02d}"
        try:
            return BirthDate.parse(text)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class DeskFactsMixin(forms.Form):
    """What differs at an office: a partial birth date is allowed, the phone may be missing."""

    birth_date: forms.Field = PartialDateField(label=_("Date of birth"))
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    def clean_birth_date(self) -> BirthDate:
        value: BirthDate = self.cleaned_data["birth_date"]
        return value


class DeskRegistrationForm(DeskFactsMixin, RegistrationForm):
    """The portal's registration form, filled in by an officer with the person present."""

    consent = forms.BooleanField(
        label=_(
            "The person read or heard the text above and gave their consent in person, "
            "at this office."
        ),
        required=True,
        error_messages={
            "required": _("Registration needs the person's consent to the use of their data.")
        },
    )

    field_order = RegistrationForm.field_order


class EditRecordForm(DeskFactsMixin, PersonFactsForm):
    """Facts of a record an officer may change (``update_person``); names change separately."""

    passport_number = forms.CharField(label=_("Passport number"), max_length=20, required=False)
    passport_expiry_date = forms.DateField(
        label=_("Passport valid until"), widget=DateInput(), required=False
    )

    field_order = [
        "phone",
        "passport_number",
        "passport_expiry_date",
        "education",
        "occupation",
        "languages",
        "sex",
        "birth_date",
        "region",
        "district",
    ]

    def __init__(self, *args: Any, had_passport: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.had_passport = had_passport

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.had_passport and not data.get("passport_number") and "passport_number" in data:
            self.add_error(
                "passport_number",
                _("A passport cannot be removed from a record, only replaced by a new one."),
            )
        if data.get("passport_number") and not data.get("passport_expiry_date"):
            self.add_error("passport_expiry_date", _("Enter the date the passport expires."))
        return data


class ChangeNameForm(forms.Form):
    """A new name in one script; the name held until now is kept as a former name."""

    script = forms.ChoiceField(label=_("Script"), choices=PersonName.Script.choices)
    surname = forms.CharField(label=_("New surname"), max_length=80)
    given_name = forms.CharField(
        label=_("Given name"),
        max_length=80,
        required=False,
        help_text=_("If left empty, the current one in this script is kept."),
    )
    patronymic = forms.CharField(
        label=_("Patronymic"),
        max_length=80,
        required=False,
        help_text=_("If left empty, the current one in this script is kept."),
    )
    source = forms.ChoiceField(
        label=_("Written in"),
        choices=[
            (PersonName.Source.PASSPORT, PersonName.Source.PASSPORT.label),
            (PersonName.Source.OFFICE, PersonName.Source.OFFICE.label),
            (PersonName.Source.SELF, PersonName.Source.SELF.label),
        ],
    )
    changed_on = forms.DateField(
        label=_("Changed on"),
        widget=DateInput(),
        required=False,
        help_text=_("The day the former name stopped being used (today if empty)."),
    )

    def clean_changed_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("changed_on")
        if value is not None and value > date.today():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class AccessCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Personal access code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("What is wrong, and how should it read?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResolveCorrectionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (CorrectionRequest.Status.DONE, CorrectionRequest.Status.DONE.label),
            (CorrectionRequest.Status.REJECTED, CorrectionRequest.Status.REJECTED.label),
        ],
    )
    answer = forms.CharField(label=_("Answer to the person"), max_length=500, required=False)


class PeopleFilterForm(forms.Form):
    public_id = forms.CharField(label=_("Registry number"), max_length=16, required=False)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Subdivision.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions()  # type: ignore[attr-defined]


class NameSearchForm(forms.Form):
    """Sent by POST: a name never goes into a URL or a log."""

    surname = forms.CharField(label=_("Surname (any script)"), max_length=80)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Registry file (CSV or Excel)"),
        help_text=_(
            "One person per line, with a header row. Up to 50 MB. Nothing is imported before "
            "you have seen the check of every line."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def clean_file(self) -> Any:
        from django.core.exceptions import ValidationError

        from hamroh.registry.services import check_import_upload

        upload = self.cleaned_data["file"]
        try:
            check_import_upload(upload.name or "", upload.size or 0)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return upload
