"""Forms of the citizen pages: the applicant of an online filing, and the ID-card QR helper."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.text import nfc
from motcua.dossiers.models import ReturnMethod
from motcua.identity.cccd import CCCDError, CitizenCard, parse_cccd_qr

ID_NUMBER_RE = re.compile(r"^(?:\d{9}|\d{12})$")
PHONE_RE = re.compile(r"^(?:0|\+84|84)\d{9,10}$")
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]

APPLICANT_KEYS = ("name", "id_number", "birth_date", "phone", "email", "address", "result_delivery")
REQUIRED_KEYS = ("name", "id_number", "phone", "address")


def result_choices() -> list[tuple[str, str]]:
    return [
        (ReturnMethod.ELECTRONIC, _("Electronically (download or e-mail)")),
        (ReturnMethod.COUNTER, _("At the center's counter")),
        (ReturnMethod.POST, _("By public postal service, to my address")),
    ]


class ApplicantForm(forms.Form):
    """Who files and where. With `complete=False` (saving a draft) nothing is required, but what
    is typed must still be valid: a draft never keeps a wrong value."""

    center = forms.TypedChoiceField(label=_("Service center that receives the dossier"), coerce=int)
    name = forms.CharField(label=_("Full name"), max_length=200)
    id_number = forms.CharField(
        label=_("Citizen ID number"),
        max_length=20,
        help_text=_("12 digits on the chip ID card (or an old 9-digit ID)."),
    )
    birth_date = forms.DateField(
        label=_("Date of birth"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y"),
        help_text=_("dd/mm/yyyy"),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        help_text=_("The center calls or texts this number about the dossier."),
    )
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        max_length=254,
        help_text=_("We send the link to this draft, then the dossier code and lookup secret."),
    )
    address = forms.CharField(label=_("Permanent address"), max_length=300)
    result_delivery = forms.ChoiceField(
        label=_("How do you want to receive the result?"),
        widget=forms.RadioSelect,
        initial=ReturnMethod.ELECTRONIC,
    )

    def __init__(self, *args, center_ids: list[int], complete: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.complete = complete
        self.fields["center"].choices = [("", "—")] + [(pk, str(pk)) for pk in center_ids]
        self.fields["center"].error_messages["invalid_choice"] = _("Choose a center from the list.")
        self.fields["result_delivery"].choices = result_choices()
        attrs = {
            "name": {"autocomplete": "name"},
            "id_number": {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"},
            "birth_date": {"inputmode": "numeric", "autocomplete": "bday", "placeholder": "dd/mm/yyyy"},
            "phone": {"autocomplete": "tel", "inputmode": "tel"},
            "email": {"autocomplete": "email", "spellcheck": "false"},
            "address": {"autocomplete": "street-address"},
        }
        for name, extra in attrs.items():
            self.fields[name].widget.attrs.update(extra)
        self.fields["phone"].widget.input_type = "tel"
        if not complete:
            for field in self.fields.values():
                field.required = False
        else:
            self.fields["center"].error_messages["required"] = _(
                "Choose the center that receives your dossier."
            )
            self.fields["name"].error_messages["required"] = _("Enter the applicant's full name.")
            self.fields["id_number"].error_messages["required"] = _("Enter the citizen ID number.")
            self.fields["phone"].error_messages["required"] = _("Enter a phone number the center can call.")
            self.fields["address"].error_messages["required"] = _("Enter the permanent address.")

    # Each value is normalized to NFC (some phone keyboards type decomposed Vietnamese).
    def clean_name(self) -> str:
        return " ".join(nfc(self.cleaned_data.get("name")).split())

    def clean_address(self) -> str:
        return " ".join(nfc(self.cleaned_data.get("address")).split())

    def clean_id_number(self) -> str:
        value = re.sub(r"[\s.\-]", "", nfc(self.cleaned_data.get("id_number")))
        if value and not ID_NUMBER_RE.match(value):
            raise forms.ValidationError(_("The ID number has 12 digits (or 9 for an old ID card)."))
        return value

    def clean_phone(self) -> str:
        value = re.sub(r"[\s.\-()]", "", nfc(self.cleaned_data.get("phone")))
        if value and not PHONE_RE.match(value):
            raise forms.ValidationError(_("Enter a Vietnamese phone number, e.g. 0909 123 456."))
        return value

    def clean_email(self) -> str:
        return nfc(self.cleaned_data.get("email")).lower()

    def clean_birth_date(self) -> date | None:
        value = self.cleaned_data.get("birth_date")
        if value and (value > timezone.localdate() or value.year < 1900):
            raise forms.ValidationError(_("The date of birth is not plausible."))
        return value

    def clean_result_delivery(self) -> str:
        return self.cleaned_data.get("result_delivery") or ReturnMethod.ELECTRONIC

    def valid_values(self) -> dict:
        """The applicant values that passed validation, ready for the draft's JSON; invalid ones
        are left out so the draft keeps what it had."""
        values = {}
        for key in APPLICANT_KEYS:
            if key in self.cleaned_data:
                value = self.cleaned_data[key]
                values[key] = value.isoformat() if isinstance(value, date) else (value or "")
        return values


def applicant_initial(applicant: dict) -> dict:
    """Form initial values from a draft's JSON."""
    initial = {key: applicant.get(key, "") for key in APPLICANT_KEYS}
    if initial.get("birth_date"):
        try:
            initial["birth_date"] = date.fromisoformat(initial["birth_date"])
        except ValueError:
            initial["birth_date"] = ""
    initial["result_delivery"] = initial.get("result_delivery") or ReturnMethod.ELECTRONIC
    return initial


def card_values(card: CitizenCard) -> dict:
    """The applicant values a chip ID card gives (the rest is typed)."""
    return {
        "name": card.full_name,
        "id_number": card.id_number,
        "birth_date": card.birth_date.isoformat(),
        "address": card.address,
    }


def read_card(text: str) -> CitizenCard | None:
    try:
        return parse_cccd_qr(text)
    except CCCDError:
        return None


CARD_ERROR = _("This is not the QR code of a chip citizen ID card: it has 7 parts separated by “|”.")
