"""The QR code on a Vietnamese chip citizen ID card (CCCD), as a keyboard-wedge scanner types it.

Seven fields separated by `|`: 12-digit ID number | old 9-digit ID or empty | full name |
date of birth ddMMyyyy | sex (Nam/Nữ) | permanent address | issue date ddMMyyyy. Scanners end
the string with Enter and some keyboards send it decomposed (NFD), so the text is normalized.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _


class CCCDError(ValueError):
    """The scanned text is not a citizen ID card QR; the message is in the user's language."""


@dataclass(frozen=True)
class CitizenCard:
    id_number: str
    old_id_number: str
    full_name: str
    birth_date: date
    sex: str  # "Nam" or "Nữ"
    address: str
    issue_date: date


def _date(value: str, label: str) -> date:
    if not re.fullmatch(r"\d{8}", value):
        raise CCCDError(
            _("The %(label)s must be 8 digits ddMMyyyy, not “%(value)s”.") % {"label": label, "value": value}
        )
    try:
        return date(int(value[4:]), int(value[2:4]), int(value[:2]))
    except ValueError as exc:
        raise CCCDError(
            _("The %(label)s %(value)s is not a real date.") % {"label": label, "value": value}
        ) from exc


def parse_cccd_qr(text: str) -> CitizenCard:
    raw = unicodedata.normalize("NFC", (text or "").strip().strip("\r\n"))
    parts = [p.strip() for p in raw.split("|")]
    if len(parts) != 7:
        raise CCCDError(
            _("A citizen ID QR code has 7 fields separated by “|”; this one has %(n)d.") % {"n": len(parts)}
        )
    id_number, old_id, name, birth, sex, address, issued = parts
    if not re.fullmatch(r"\d{12}", id_number):
        raise CCCDError(_("The ID number must be 12 digits."))
    if old_id and not re.fullmatch(r"\d{9}", old_id):
        raise CCCDError(_("The old ID number must be 9 digits or empty."))
    if not name:
        raise CCCDError(_("The full name is empty."))
    sex_key = sex.casefold()
    if sex_key not in ("nam", "nữ", "nu"):
        raise CCCDError(_("Sex must be Nam or Nữ, not “%(value)s”.") % {"value": sex})
    birth_date, issue_date = _date(birth, _("date of birth")), _date(issued, _("issue date"))
    if issue_date < birth_date:
        raise CCCDError(_("The issue date is before the date of birth."))
    return CitizenCard(
        id_number=id_number,
        old_id_number=old_id,
        full_name=" ".join(name.split()),
        birth_date=birth_date,
        sex="Nam" if sex_key == "nam" else "Nữ",
        address=" ".join(address.split()),
        issue_date=issue_date,
    )
