from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hamroh.assistance import selectors
from hamroh.assistance.models import BorderPoint, CaseType, Urgency
from hamroh.assistance.services import Report
from hamroh.identity.engine.records import BirthDate


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


YES_NO = [("", _("Not sure")), ("yes", _("Yes")), ("no", _("No"))]


class ReportForm(forms.Form):
    """The public "Get help" form: short enough to finish in two minutes on a phone."""

    case_type = forms.ModelChoiceField(
        label=_("What happened?"), queryset=CaseType.objects.none(), empty_label=None
    )
    border_point = forms.ModelChoiceField(
        label=_("Where? Border crossing or airport"),
        queryset=BorderPoint.objects.none(),
        required=False,
        empty_label=_("Not at a border"),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=[("RUS", _("Russia")), ("KAZ", _("Kazakhstan")), ("", _("Other or not sure"))],
        required=False,
    )
    city = forms.CharField(label=_("Or city"), max_length=100, required=False)
    latitude = forms.DecimalField(
        max_digits=8, decimal_places=5, required=False, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        max_digits=8, decimal_places=5, required=False, widget=forms.HiddenInput
    )
    occurred_at = forms.DateTimeField(
        label=_("When?"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    hours_held = forms.IntegerField(
        label=_("How many hours were you held?"), min_value=0, max_value=24 * 365, required=False
    )
    documents_taken = forms.ChoiceField(
        label=_("Were your documents taken?"), choices=YES_NO, required=False
    )
    narrative = forms.CharField(
        label=_("Tell us briefly what happened"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachments = MultipleFileField(
        label=_("Photo or document (JPEG, PNG or PDF, up to 5 MB)"), required=False
    )
    anonymous = forms.BooleanField(
        label=_("I do not want to leave any contact (anonymous report)"), required=False
    )
    reporter_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    reporter_phone = forms.CharField(
        label=_("Phone or WhatsApp"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    reporter_contact = forms.CharField(
        label=_("Telegram or e-mail"), max_length=200, required=False
    )
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # a trap for robots

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_type"].queryset = selectors.case_types()  # type: ignore[attr-defined]
        self.fields["border_point"].queryset = selectors.border_points()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError(_("The form could not be sent."))
        return data

    def report(self, *, language: str) -> Report:
        data = self.cleaned_data
        documents = {"yes": True, "no": False}.get(data.get("documents_taken") or "")
        return Report(
            case_type=data["case_type"],
            urgency=Urgency.HIGH if data["case_type"].asks_hours_held else Urgency.NORMAL,
            border_point=data.get("border_point"),
            country_code=data.get("country") or "",
            city=data.get("city") or "",
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            occurred_at=data.get("occurred_at"),
            hours_held=data.get("hours_held"),
            documents_taken=documents,
            anonymous=bool(data.get("anonymous")),
            reporter_name=data.get("reporter_name") or "",
            reporter_phone=data.get("reporter_phone") or "",
            reporter_contact=data.get("reporter_contact") or "",
            narrative=data.get("narrative") or "",
            language=language,
        )


class FollowUpForm(forms.Form):
    code = forms.CharField(
        label=_("Your private follow-up code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class AddInformationForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=40)
    text = forms.CharField(
        label=_("Add information"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachments = MultipleFileField(
        label=_("Photo or document (JPEG, PNG or PDF, up to 5 MB)"), required=False
    )


# --- Desk ---------------------------------------------------------------------------------


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    contacted = forms.BooleanField(label=_("I spoke with the reporter"), required=False)


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Photo or document (JPEG, PNG or PDF, up to 5 MB)"))


class UrgencyForm(forms.Form):
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)


class OperatorSearchForm(forms.Form):
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    reference = forms.CharField(label=_("Case reference"), max_length=20, required=False)
    name = forms.CharField(label=_("Name (any script)"), max_length=200, required=False)
    birth_date = forms.CharField(
        label=_("Date of birth (year, year-month or full date)"), max_length=10, required=False
    )
    passport = forms.CharField(label=_("Passport number"), max_length=20, required=False)

    def clean_birth_date(self) -> BirthDate | None:
        text = (self.cleaned_data.get("birth_date") or "").strip()
        if not text:
            return None
        try:
            return BirthDate.parse(text)
        except ValueError:
            raise forms.ValidationError(
                _("Write the date as 1990, 1990-05 or 1990-05-17.")
            ) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any((data.get(k) or "").strip() for k in ("phone", "reference", "name", "passport")):
            raise forms.ValidationError(
                _("Enter a phone, a case reference, a name or a passport number.")
            )
        return data

    def case_criteria(self) -> dict[str, str]:
        """What the case search takes (cases know the reporter's phone and name only)."""
        return {k: self.cleaned_data[k] for k in ("phone", "reference", "name")}


class OperatorCaseForm(forms.Form):
    case_type = forms.ModelChoiceField(
        label=_("Case type"), queryset=CaseType.objects.none(), empty_label=None
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    border_point = forms.ModelChoiceField(
        label=_("Border crossing or airport"), queryset=BorderPoint.objects.none(), required=False
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    hours_held = forms.IntegerField(label=_("Hours held"), min_value=0, required=False)
    documents_taken = forms.ChoiceField(label=_("Documents taken"), choices=YES_NO, required=False)
    reporter_name = forms.CharField(label=_("Caller's name"), max_length=200, required=False)
    reporter_phone = forms.CharField(label=_("Caller's phone"), max_length=40, required=False)
    narrative = forms.CharField(
        label=_("What happened"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_type"].queryset = selectors.case_types()  # type: ignore[attr-defined]
        self.fields["border_point"].queryset = selectors.border_points()  # type: ignore[attr-defined]

    def report(self, *, answers: dict[str, str], language: str) -> Report:
        data = self.cleaned_data
        return Report(
            case_type=data["case_type"],
            urgency=data["urgency"],
            border_point=data.get("border_point"),
            city=data.get("city") or "",
            hours_held=data.get("hours_held"),
            documents_taken={"yes": True, "no": False}.get(data.get("documents_taken") or ""),
            reporter_name=data.get("reporter_name") or "",
            reporter_phone=data.get("reporter_phone") or "",
            narrative=data.get("narrative") or "",
            answers=answers,
            language=language,
        )
