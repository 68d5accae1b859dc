from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hamroh.core.models import Occupation, Subdivision
from hamroh.recruitment.models import Employer, JobOrder, RosterEntry, Step
from hamroh.recruitment.services import EMPLOYER_FIELDS, JOB_ORDER_FIELDS
from hamroh.registry.forms import DateInput, OccupationChoiceField, occupations, regions
from hamroh.registry.models import Sex


class EmployerForm(forms.ModelForm):
    class Meta:
        model = Employer
        fields = list(EMPLOYER_FIELDS)


class EmployerStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Employer.Status.choices)
    note = forms.CharField(label=_("Reason"), max_length=300, required=False)


class JobOrderForm(forms.ModelForm):
    occupation = OccupationChoiceField(label=_("Occupation"), queryset=Occupation.objects.none())

    class Meta:
        model = JobOrder
        fields = list(JOB_ORDER_FIELDS)
        widgets = {
            "valid_from": DateInput(),
            "valid_until": DateInput(),
            "requirements": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, employers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occupation"].queryset = occupations()  # type: ignore[attr-defined]
        if employers is not None:
            self.fields["employer"].queryset = employers  # type: ignore[attr-defined]


class RosterFilterForm(forms.Form):
    occupation = OccupationChoiceField(
        label=_("Occupation"), queryset=Occupation.objects.none(), required=False
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Subdivision.objects.none(), required=False
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    min_score = forms.IntegerField(
        label=_("Test score at least"), min_value=0, max_value=100, required=False
    )
    readiness = forms.TypedChoiceField(
        label=_("Readiness at least"),
        choices=[("", "—"), *RosterEntry.Readiness.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    include_expired = forms.BooleanField(label=_("Include expired entries"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occupation"].queryset = occupations()  # type: ignore[attr-defined]
        self.fields["region"].queryset = regions()  # type: ignore[attr-defined]


SCAN_LABEL = _("Scan of the signed contract (PDF, JPEG or PNG, up to 5 MB)")
SCAN_ACCEPT = {"accept": ".pdf,.jpg,.jpeg,.png"}


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Step"), choices=Step.Kind.choices)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    result = forms.ChoiceField(label=_("Result"), choices=Step.Result.choices, initial="done")
    score = forms.IntegerField(label=_("Score (0-100)"), min_value=0, max_value=100, required=False)
    certificate = forms.CharField(label=_("Certificate number"), max_length=60, required=False)
    crossing_point = forms.CharField(
        label=_("Border crossing or airport"), max_length=100, required=False
    )
    destination_region = forms.CharField(
        label=_("Destination region"), max_length=100, required=False
    )
    travel_date = forms.DateField(
        label=_("Date of travel (ticket)"), widget=DateInput(), required=False
    )
    carrier = forms.CharField(
        label=_("Carrier and flight or train number"), max_length=60, required=False
    )
    travel_from = forms.CharField(label=_("From"), max_length=100, required=False)
    travel_to = forms.CharField(label=_("To"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    scan = forms.FileField(
        label=SCAN_LABEL,
        required=False,
        widget=forms.ClearableFileInput(attrs=SCAN_ACCEPT),
    )


class ContractScanForm(forms.Form):
    """The scan of a signed contract, attached after the step was recorded."""

    scan = forms.FileField(label=SCAN_LABEL, widget=forms.FileInput(attrs=SCAN_ACCEPT))


class SendShortlistForm(forms.Form):
    note = forms.CharField(label=_("Note to the employer"), max_length=300, required=False)
