from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hamroh.core.models import Occupation, Subdivision
from hamroh.identity.engine.records import BirthDate
from hamroh.registry.models import CorrectionRequest, Education, Language, Sex


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
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput())
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

    field_order = [
        "surname_cyrillic",
        "given_name_cyrillic",
        "patronymic_cyrillic",
        "surname_latin",
        "given_name_latin",
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
    ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("passport_number") and not data.get("passport_expiry_date"):
            self.add_error("passport_expiry_date", _("Enter the date the passport expires."))
        return data


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
