"""Text rules shared by every app: NFC normalization, control characters, ASCII digits, the length
limits of free texts, and accent-insensitive search keys."""

import re
import unicodedata

from unidecode import unidecode

# C0/C1 control characters except tab, line feed and carriage return; lone surrogates (which JSON
# can carry as "\ud800" but no database can store); the two Unicode non-characters U+FFFE/U+FFFF.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# Limits of free texts whose column has none (TextField, JSON lists): long enough for any honest
# reason or complaint, short enough that a page, a slip or a history line can still show it.
REASON_MAX = 2000  # a reason for refusing, returning, withdrawing, a problem found in a paper
LONG_TEXT_MAX = 4000  # a complaint, an answer, a comment
LIST_MAX = 50  # items of a list of short texts (problems of a supplement request)


def strip_controls(value: str) -> str:
    """`value` without control characters (NUL included) or lone surrogates."""
    return _CONTROLS.sub("", value)


def has_controls(value: str) -> bool:
    return _CONTROLS.search(value) is not None


def clean(value):
    """What every text input goes through: NFC, without control characters. Keeps spaces and
    line breaks (trimming is the business of each field); other values pass unchanged, lists and
    dicts (a JSON body) are cleaned all the way down, keys included."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", strip_controls(value))
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items()}
    return value


def nfc(value: str | None) -> str:
    """Normalize user text to NFC and trim it; Vietnamese typed on some keyboards arrives as NFD."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", strip_controls(str(value))).strip()


def is_ascii_digits(value: str) -> bool:
    """Only 0-9: `str.isdigit()` is also true for "³", "②" and the Arabic-Indic "٣" (which `int()`
    even reads as 3), none of which is a number anyone means in a code or an id."""
    return value.isascii() and value.isdigit()


def search_key(value: str | None) -> str:
    """Lower-case ASCII folding for accent-insensitive search ("Đăng ký" -> "dang ky")."""
    return " ".join(unidecode(nfc(value)).lower().split())


def ascii_int(value) -> int:
    """`int(value)` for a text of ASCII digits (optionally signed) only; ValueError otherwise —
    `int()` alone also reads "٣", " 3 " and "1_000"."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value)
    if not is_ascii_digits(text.removeprefix("-")):
        raise ValueError(f"not a whole number: {text!r}")
    return int(text)
