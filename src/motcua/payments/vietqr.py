"""VietQR (NAPAS, EMVCo merchant-presented mode) payloads for fee transfers: pure, no database.

Tags as NAPAS publishes them (IBFT to an account):
00 = "01"; 01 = "11" static / "12" dynamic (an amount makes it a one-time QR);
38 = {00 "A000000727", 01 = {00 bank BIN, 01 account}, 02 "QRIBFTTA"}; 53 = "704";
54 = amount in whole VND; 58 = "VN"; 62 = {08 purpose}; 63 = CRC-16/CCITT-FALSE over everything
before it including "6304", four upper-case hex digits.

The purpose is what the citizen's bank shows the receiving bank: plain ASCII (Vietnamese written
without diacritics), at most 25 characters. The bank's webhook gives it back, which is how a transfer
is matched to its dossier.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _
from unidecode import unidecode

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
PURPOSE_MAX = 25
ACCOUNT_MAX = 19
AMOUNT_MAX_DIGITS = 13  # tag 54 holds at most 13 characters

_BIN = re.compile(r"[0-9]{6}")
_ACCOUNT = re.compile(rf"[0-9A-Za-z]{{1,{ACCOUNT_MAX}}}")


class VietQRError(ValueError):
    """Bad input for a VietQR payload; `field` names which input."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final xor."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def tlv(tag: str, value: str) -> str:
    """One EMVCo data object: two-digit tag, two-digit length, value (at most 99 characters)."""
    if len(value) > 99:
        raise VietQRError(tag, _("Tag %(tag)s value is longer than 99 characters.") % {"tag": tag})
    return f"{tag}{len(value):02d}{value}"


def ascii_purpose(text: str) -> str:
    """The purpose as a bank accepts it: ASCII without diacritics, printable, at most 25 characters."""
    plain = unidecode(unicodedata.normalize("NFC", text or ""))
    plain = "".join(ch for ch in plain if " " <= ch <= "~")
    return plain.strip()[:PURPOSE_MAX]


def purpose_key(text: str) -> str:
    """A purpose's letters and digits, upper case: what banks keep of it (many drop the dots and
    dashes of a dossier code), and what the webhook's matcher compares."""
    return re.sub(r"[^0-9A-Z]", "", unidecode(text or "").upper())


def with_crc(body: str) -> str:
    """Append tag 63 with the CRC over the body and the tag's own header."""
    head = body + "6304"
    return f"{head}{crc16_ccitt_false(head.encode('ascii')):04X}"


@dataclass(frozen=True)
class VietQR:
    """What a VietQR says: bank BIN, account, optional amount (VND) and purpose."""

    bin: str
    account: str
    amount: int | None = None
    purpose: str = ""


def validate(bin: str, account: str, amount: int | None) -> None:
    """Raise VietQRError on the first bad input."""
    if not isinstance(bin, str) or not _BIN.fullmatch(bin):
        raise VietQRError("bin", _("The bank BIN must be exactly 6 digits."))
    if not isinstance(account, str) or not _ACCOUNT.fullmatch(account):
        raise VietQRError(
            "account", _("The account number must be 1 to %(max)d letters or digits.") % {"max": ACCOUNT_MAX}
        )
    if amount is not None:
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise VietQRError("amount", _("The amount must be a positive whole number of VND."))
        if len(str(amount)) > AMOUNT_MAX_DIGITS:
            raise VietQRError("amount", _("The amount is too large for a VietQR."))


def vietqr_payload(*, bin: str, account: str, amount: int | None = None, purpose: str = "") -> str:
    """The VietQR text for a transfer to `account` at bank `bin`; dynamic ("12") when an amount is set."""
    validate(bin, account, amount)
    beneficiary = tlv("00", bin) + tlv("01", account)
    merchant = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", SERVICE_TO_ACCOUNT)
    parts = [
        tlv("00", "01"),
        tlv("01", "12" if amount is not None else "11"),
        tlv("38", merchant),
        tlv("53", CURRENCY_VND),
    ]
    if amount is not None:
        parts.append(tlv("54", str(amount)))
    parts.append(tlv("58", COUNTRY_VN))
    text = ascii_purpose(purpose)
    if text:
        parts.append(tlv("62", tlv("08", text)))
    return with_crc("".join(parts))


def parse_tlv(text: str) -> dict[str, str]:
    """Split one level of EMVCo data objects into {tag: value}; raises VietQRError if malformed."""
    out: dict[str, str] = {}
    i = 0
    while i < len(text):
        if i + 4 > len(text) or not text[i : i + 4].isdigit():
            raise VietQRError("payload", _("Malformed data object header."))
        tag, length = text[i : i + 2], int(text[i + 2 : i + 4])
        value = text[i + 4 : i + 4 + length]
        if len(value) != length:
            raise VietQRError("payload", _("A data object is shorter than its length."))
        out[tag] = value
        i += 4 + length
    return out


def vietqr_parse(payload: str) -> VietQR:
    """Read a VietQR back (checking its CRC); the inverse of `vietqr_payload` for its own output."""
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise VietQRError("payload", _("No CRC at the end."))
    if with_crc(payload[:-8]) != payload:
        raise VietQRError("payload", _("Wrong CRC."))
    top = parse_tlv(payload[:-8])
    merchant = parse_tlv(top["38"])
    beneficiary = parse_tlv(merchant["01"])
    extra = parse_tlv(top.get("62", ""))
    return VietQR(
        bin=beneficiary["00"],
        account=beneficiary["01"],
        amount=int(top["54"]) if "54" in top else None,
        purpose=extra.get("08", ""),
    )
