"""Dossier codes and lookup secrets (pure).

Code: `<receiving agency code>-<YYMMDD>-<NNNN>`, e.g. `H15.50.05.13-261008-0975`: the agency's
identifier under the national agency coding standard, the receipt date, and a 4-digit sequence
per agency and day.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import date

AGENCY_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9.]{0,38}[A-Z0-9]$|^[A-Z0-9]$")
CODE_RE = re.compile(r"^(?P<agency>[A-Z0-9][A-Z0-9.]*)-(?P<date>\d{6})-(?P<seq>\d{4})$")
MAX_SEQUENCE = 9999

# No 0/O, 1/I/L: the secret is read off paper and typed on phones.
SECRET_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SECRET_LENGTH = 10


class CodeError(ValueError):
    pass


@dataclass(frozen=True)
class DossierCode:
    agency_code: str
    day: date
    sequence: int

    def __str__(self) -> str:
        return format_code(self.agency_code, self.day, self.sequence)


def format_code(agency_code: str, day: date, sequence: int) -> str:
    if not AGENCY_CODE_RE.match(agency_code):
        raise CodeError(f"Invalid agency code {agency_code!r}.")
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise CodeError(f"Sequence {sequence} is outside 1-{MAX_SEQUENCE}.")
    return f"{agency_code}-{day:%y%m%d}-{sequence:04d}"


def parse_code(text: str) -> DossierCode:
    match = CODE_RE.match(text.strip().upper())
    if not match:
        raise CodeError(f"{text!r} is not a dossier code (AGENCY-YYMMDD-NNNN).")
    raw = match["date"]
    try:
        day = date(2000 + int(raw[:2]), int(raw[2:4]), int(raw[4:]))
    except ValueError as exc:
        raise CodeError(f"{text!r} has an impossible date.") from exc
    sequence = int(match["seq"])
    if sequence < 1:
        raise CodeError(f"{text!r} has sequence 0000.")
    return DossierCode(match["agency"], day, sequence)


def new_secret() -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


def normalize_secret(text: str) -> str:
    return re.sub(r"[\s-]", "", text or "").upper()
