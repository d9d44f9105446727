"""Amounts in Vietnamese words, as receipts and invoices write them: pure, no database.

"Hai mươi nghìn đồng", "Một trăm linh năm nghìn đồng", "Một triệu không trăm linh năm nghìn đồng".
Accounting style (Decree 123/2020 receipts): every group after the first is read in full, with
"không trăm" and "linh"; groups of three zeros are skipped; 1 after a tens digit from 20 is "mốt",
5 after any tens digit is "lăm".
"""

from __future__ import annotations

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
SCALES = ["", "nghìn", "triệu", "tỷ"]


def _tens_and_ones(tens: int, ones: int) -> list[str]:
    words: list[str] = []
    if tens == 0:
        return [DIGITS[ones]] if ones else []
    words.append("mười" if tens == 1 else f"{DIGITS[tens]} mươi")
    if ones == 1 and tens >= 2:
        words.append("mốt")
    elif ones == 5:
        words.append("lăm")
    elif ones:
        words.append(DIGITS[ones])
    return words


def _group(value: int, *, full: bool) -> list[str]:
    """Three digits; `full` reads a leading zero hundred ("không trăm") as inside a number."""
    hundreds, rest = divmod(value, 100)
    tens, ones = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
        if tens == 0 and ones:
            words.append("linh")
    words += _tens_and_ones(tens, ones)
    return words


def _number(value: int) -> list[str]:
    if value == 0:
        return [DIGITS[0]]
    billions, below = divmod(value, 10**9)
    words: list[str] = []
    if billions:
        words += _number(billions) + ["tỷ"]
    groups = [(below // 10**6) % 1000, (below // 1000) % 1000, below % 1000]
    for group, scale in zip(groups, ["triệu", "nghìn", ""], strict=True):
        if group == 0:
            continue
        words += _group(group, full=bool(words))
        if scale:
            words.append(scale)
    return words


def number_words(value: int) -> str:
    """A whole number in Vietnamese words, lower case."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("A non-negative whole number is required.")
    return " ".join(_number(value))


def amount_in_words(amount: int) -> str:
    """A VND amount as written on a receipt: capitalized, ending in "đồng"."""
    text = f"{number_words(amount)} đồng"
    return text[0].upper() + text[1:]
