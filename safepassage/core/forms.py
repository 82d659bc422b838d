"""Forms check shape; services enforce the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from safepassage.core.models import Location, LocationKind, User
from safepassage.core.roles import ROLE_DESCRIPTIONS, Role


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}
        ),
        error_messages={"required": _("Enter your username")},
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password")},
    )
    error_messages = {
        "invalid_login": _(
            "The username or password is not right. After 5 wrong attempts the account is "
            "locked for 30 minutes."
        ),
        "inactive": _("This account has been deactivated. Ask an administrator."),
    }


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Security code"),
        help_text=_("The 6-digit code shown in your authenticator app"),
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-5",
            }
        ),
        error_messages={"required": _("Enter the 6-digit code from your authenticator app")},
    )


class NewPasswordForm(SetPasswordForm):
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        help_text=_("At least 12 characters. A few unrelated words make a strong password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Enter a new password")},
    )
    new_password2 = forms.CharField(
        label=_("Confirm new password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Enter the new password again")},
    )


def _role_choices() -> list[tuple[str, Any]]:
    return [(role.value, role.label) for role in Role]


class RoleCheckboxes(forms.CheckboxSelectMultiple):
    """Role checkboxes that carry each role's description as its hint."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hint"] = ROLE_DESCRIPTIONS.get(value, "")
        return option


class UserDetailsForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Enter the person's full name")},
    )
    email = forms.EmailField(
        label=_("Work email address"),
        help_text=_("We will send a link to set a password to this address"),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter an email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=_role_choices,
        widget=RoleCheckboxes,
        error_messages={"required": _("Choose at least one role")},
    )
    locations = forms.ModelMultipleChoiceField(
        label=_("Locations"),
        queryset=Location.objects.filter(is_active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one location")},
    )


class UserCreateForm(UserDetailsForm):
    username = forms.CharField(
        label=_("Username"),
        help_text=_("Lower-case letters, numbers, dots and hyphens, for example a.yusuf"),
        max_length=60,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}
        ),
        error_messages={"required": _("Enter a username")},
    )
    field_order = ["full_name", "username", "email", "roles", "locations"]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("This is kept in the audit log"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason")},
    )


class UserFilterForm(forms.Form):
    search = forms.CharField(label=_("Name, username or email"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("Any role")), *_role_choices()]
    )
    location = forms.ModelChoiceField(
        label=_("Location"),
        required=False,
        queryset=Location.objects.order_by("name"),
        empty_label=_("Any location"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("active", _("Active")),
            ("deactivated", _("Deactivated")),
            ("all", _("All")),
        ],
    )


class LocationDetailsForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=120, error_messages={"required": _("Enter the location's name")}
    )
    kind = forms.ChoiceField(
        label=_("Type of location"),
        choices=LocationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the type of location")},
    )
    region = forms.CharField(label=_("Region (optional)"), max_length=80, required=False)


class LocationCreateForm(LocationDetailsForm):
    code = forms.SlugField(
        label=_("Code"),
        help_text=_("A short, permanent identifier used by other systems, for example manston"),
        max_length=40,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
        error_messages={
            "required": _("Enter a code"),
            "invalid": _("Code must be lower-case letters, numbers and hyphens"),
        },
    )
    field_order = ["name", "code", "kind", "region"]


class ApiTokenForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Account the token acts as"),
        queryset=User.objects.filter(is_active=True).order_by("full_name"),
        error_messages={"required": _("Choose the account the token acts as")},
    )
    name = forms.CharField(
        label=_("Name"),
        help_text=_("What the token is for, for example 'Refugee Action case system'"),
        max_length=80,
        error_messages={"required": _("Enter a name that says what the token is for")},
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=366,
        initial=90,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={
            "required": _("Enter how many days the token is valid for"),
            "invalid": _("Enter a whole number of days"),
            "min_value": _("A token must last between 1 and 366 days"),
            "max_value": _("A token must last between 1 and 366 days"),
        },
    )
