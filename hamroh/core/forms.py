from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from hamroh.core.models import Agency, AuditEntry, Country, User
from hamroh.core.roles import Role


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The user name or password is not correct."),
        "inactive": _("This account is disabled. Ask your administrator."),
    }


class AgencyForm(forms.ModelForm):
    country = forms.ModelChoiceField(queryset=Country.objects.all(), label=_("Country"))

    class Meta:
        model = Agency
        fields = [
            "code",
            "kind",
            "country",
            "parent",
            "name_tg",
            "name_ru",
            "name_en",
            "email",
            "phone",
            "is_operator",
            "is_active",
        ]

    def __init__(self, *args: Any, operator: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not operator:
            # An agency's own administrator edits its names and contacts only.
            for name in ("code", "kind", "country", "parent", "is_operator", "is_active"):
                self.fields[name].disabled = True


class UserForm(forms.ModelForm):
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )

    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "agency",
            "role",
            "language",
            "is_active",
        ]

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        role = self.fields["role"]
        assert isinstance(agency, forms.ModelChoiceField)
        assert isinstance(role, forms.ChoiceField)
        agency.queryset = agencies
        agency.required = True
        role.required = True
        role.choices = Role.choices
        if self.instance.pk:
            del self.fields["password"]
            self.fields["username"].disabled = True


class SetPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("any")), *AuditEntry.Action.choices]
    )
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=60)
    object_id = forms.CharField(label=_("Object"), required=False, max_length=64)
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
