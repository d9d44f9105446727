"""Forms of the staff pages: sign-in, TOTP code, counter intake, dossier actions, inbox filters.

Dates are typed dd/mm/yyyy (what people write in Vietnam), never in the browser's date widget
whose format follows the PC's locale.
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.core.text import nfc
from motcua.dossiers.models import IntakeChannel, ReturnMethod
from motcua.dossiers.services.intake import MAX_COPIES, MAX_PAGES

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d%m%Y"]
COUNTER_CHANNELS = [
    (IntakeChannel.COUNTER.value, pgettext_lazy("channel", "At the counter")),
    (IntakeChannel.POST.value, pgettext_lazy("channel", "By post")),
    (IntakeChannel.KIOSK.value, pgettext_lazy("channel", "Kiosk")),
]
RETURN_METHODS = [
    (ReturnMethod.COUNTER.value, pgettext_lazy("return method", "At the counter")),
    (ReturnMethod.POST.value, pgettext_lazy("return method", "By post")),
    (ReturnMethod.ELECTRONIC.value, pgettext_lazy("return method", "Electronically")),
]


def _second_factor_code(raw: str) -> str:
    """A 6-digit code of the app, or a backup code (xxxx-xxxx)."""
    value = re.sub(r"\s", "", raw or "").lower()
    # [0-9], not \d: only ASCII digits (\d would take Arabic-Indic or fullwidth ones)
    if value and not (re.fullmatch(r"[0-9]{6}", value) or re.fullmatch(r"[a-z0-9]{4}-?[a-z0-9]{4}", value)):
        raise forms.ValidationError(_("The code is 6 digits (or a backup code such as abcd-efgh)."))
    return value


class SignInForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    # Only on the locked page: the second factor that lets the account's owner through a lock-out.
    token = forms.CharField(label=_("Verification code"), required=False, max_length=12)

    def clean_token(self) -> str:
        return _second_factor_code(self.cleaned_data.get("token", ""))


class TokenForm(forms.Form):
    token = forms.CharField(label=_("Verification code"), min_length=6, max_length=12)

    def clean_token(self) -> str:
        return _second_factor_code(self.cleaned_data["token"])


class DateInput(forms.DateField):
    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault("error_messages", {"invalid": _("Write the date as dd/mm/yyyy.")})
        kwargs.setdefault("widget", forms.DateInput(format="%d/%m/%Y"))
        super().__init__(**kwargs)


class IntakeForm(forms.Form):
    """The applicant and the channel; components, scans and re-use are read from the request
    by `counter.component_checks` because their number depends on the procedure."""

    p = forms.CharField(widget=forms.HiddenInput)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=120)
    center = forms.IntegerField(widget=forms.HiddenInput)
    applicant_name = forms.CharField(label=_("Full name"), max_length=200)
    id_number = forms.CharField(
        label=pgettext_lazy("applicant field", "ID number"), max_length=20, required=False
    )
    birth_date = DateInput(label=_("Date of birth"), required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=COUNTER_CHANNELS, initial="counter")
    postal_tracking_number = forms.CharField(label=_("Postal tracking number"), max_length=40, required=False)
    result_delivery = forms.ChoiceField(
        label=_("How the result is returned"), choices=RETURN_METHODS, initial="counter"
    )
    handling_center = forms.IntegerField(required=False)
    reason = forms.CharField(label=_("Reason for refusing"), max_length=2000, required=False)
    # Shown only where a fee is counted by page or by copy (certified copies, signatures).
    pages = forms.IntegerField(
        label=_("Pages of the original"), min_value=1, max_value=MAX_PAGES, required=False
    )
    copies = forms.IntegerField(
        label=_("Copies asked for"), min_value=1, max_value=MAX_COPIES, required=False
    )

    def clean_id_number(self) -> str:
        return nfc(self.cleaned_data["id_number"]).replace(" ", "")

    def clean(self):
        data = super().clean()
        if data.get("channel") == IntakeChannel.POST and not nfc(data.get("postal_tracking_number")):
            self.add_error(
                "postal_tracking_number", _("A dossier received by post needs its tracking number.")
            )
        return data


class ActionForm(forms.Form):
    """Everything an action may need; each action's form shows only its own fields."""

    idempotency_key = forms.CharField(required=False, max_length=120)
    reason = forms.CharField(required=False, max_length=4000)
    problems = forms.CharField(required=False, max_length=4000)
    assignee = forms.IntegerField(required=False)
    to_step = forms.IntegerField(required=False)
    new_due = DateInput(required=False)
    agency = forms.CharField(required=False, max_length=300)
    budget_days = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        localize=True,
        error_messages={"invalid": _("Give a number of working days.")},
    )
    method = forms.CharField(required=False, max_length=20)

    def problem_list(self) -> list[str]:
        return [
            line.strip() for line in (self.cleaned_data.get("problems") or "").splitlines() if line.strip()
        ]
