"""Text rules shared by every app: NFC normalization and accent-insensitive search keys."""

import unicodedata

from unidecode import unidecode


def nfc(value: str | None) -> str:
    """Normalize user text to NFC and trim it; Vietnamese typed on some keyboards arrives as NFD."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()


def search_key(value: str | None) -> str:
    """Lower-case ASCII folding for accent-insensitive search ("Đăng ký" -> "dang ky")."""
    return " ".join(unidecode(nfc(value)).lower().split())
