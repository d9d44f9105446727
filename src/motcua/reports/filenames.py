"""Names of exported files: Vietnamese words without diacritics, as people save and mail them
(`xep-hang-tinh-82-20260101.csv`, `ho-so-qua-han-trung-tam-5-20260101.xlsx`)."""

from __future__ import annotations

from datetime import date

from django.utils.text import slugify

from motcua.core.text import search_key

KIND_WORDS = {"province": "tinh", "commune": "xa", "center": "trung-tam"}

MEASURE_WORDS = {
    "received": "da-tiep-nhan",
    "received_online": "tiep-nhan-truc-tuyen",
    "reception_supplement": "bo-sung-khi-tiep-nhan",
    "reception_refused": "tu-choi-tiep-nhan",
    "handled": "da-giai-quyet",
    "early": "truoc-han",
    "on_time": "dung-han",
    "late": "qua-han",
    "index_late": "qua-han-theo-bo-chi-so",
    "multi_supplement": "bo-sung-nhieu-lan",
    "refused": "tu-choi-giai-quyet",
    "withdrawn": "rut-ho-so",
    "withdrawn_pending": "rut-truoc-khi-giai-quyet",
    "supplement_requests": "yeu-cau-bo-sung",
    "returned": "da-tra-ket-qua",
    "returned_electronic": "tra-ket-qua-dien-tu",
    "digitized": "da-so-hoa",
    "reused_dossiers": "tai-su-dung-giay-to",
    "in_progress": "dang-giai-quyet",
    "overdue": "dang-qua-han",
}


def word(text: str) -> str:
    """ASCII slug of Vietnamese text ("Quá hạn" -> "qua-han")."""
    return slugify(search_key(text))


def export_name(name: str, kind: str, key, start: date, ext: str) -> str:
    """`<table>-<unit kind>-<unit key>-<period start>.<ext>`, all ASCII."""
    parts = [word(name), KIND_WORDS.get(kind, word(kind)), word(str(key)), f"{start:%Y%m%d}"]
    return "-".join(p for p in parts if p) + f".{ext}"


def measure_word(measure: str) -> str:
    return MEASURE_WORDS.get(measure, word(measure))
