"""The Vietnamese wording of the slips (pure): labels of states, actions and choices, and how dates,
times, limits and secrets are written on paper.

Slips are official Vietnamese documents, so their wording is fixed here rather than taken from the
gettext catalog (whose msgids are English and whose `vi` translation may lag behind).
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from motcua.core.text import nfc

from .. import lifecycle

STATE = {
    "submitted": "Đã nộp trực tuyến, chờ tiếp nhận",
    "received": "Đã tiếp nhận",
    "in_progress": "Đang giải quyết",
    "supplement_requested": "Chờ bổ sung hồ sơ",
    "interagency": "Đang xử lý liên thông",
    "result_ready": "Đã có kết quả",
    "returned": "Đã trả kết quả",
    "refused": "Từ chối giải quyết",
    "withdrawn": "Đã rút hồ sơ",
    "reception_supplement": "Chưa tiếp nhận: cần bổ sung",
    "reception_refused": "Chưa tiếp nhận: từ chối",
}

# What an intake event means depends on its outcome.
INTAKE_OUTCOME = {
    "received": "Tiếp nhận hồ sơ",
    "reception_supplement": "Hướng dẫn bổ sung, chưa tiếp nhận",
    "reception_refused": "Từ chối tiếp nhận hồ sơ",
}

CHANNEL = {
    "counter": "Trực tiếp tại Bộ phận Một cửa",
    "online": "Trực tuyến",
    "post": "Qua dịch vụ bưu chính công ích",
    "kiosk": "Tại ki-ốt tự phục vụ",
}

RETURN_METHOD = {
    "counter": "Tại Bộ phận Tiếp nhận và Trả kết quả",
    "post": "Qua dịch vụ bưu chính công ích",
    "electronic": "Trực tuyến (kết quả điện tử)",
}

OUTCOME = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}

PAPER_FORM = {
    "original": "Bản chính",
    "copy": "Bản sao",
    "certified_copy": "Bản sao chứng thực",
    "original_to_compare": "Bản sao, xuất trình bản chính",
    "electronic": "Dữ liệu điện tử",
}

# Problems recorded by the intake as the (untranslated or translated) word for "missing".
MISSING_WORDS = frozenset({"missing", "thiếu", "còn thiếu", "chưa có"})
MISSING = "Còn thiếu, cần nộp bổ sung"


def tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local(value: datetime) -> datetime:
    return timezone.localtime(value, tz())


def state(value: str) -> str:
    return STATE.get(value, value)


def action(name: str, to_state: str = "") -> str:
    if name == "intake" and to_state in INTAKE_OUTCOME:
        return INTAKE_OUTCOME[to_state]
    return lifecycle.slip_label(name)


def instant(value: datetime | None) -> str:
    """ "09 giờ 05 phút, ngày 02/03/2026", as on the appointment slip."""
    if value is None:
        return "—"
    value = local(value)
    return f"{value:%H} giờ {value:%M} phút, ngày {value:%d/%m/%Y}"


def short(value: datetime | None) -> str:
    """ "02/03/2026 09:05", for tables."""
    return f"{local(value):%d/%m/%Y %H:%M}" if value else "—"


def day(value: datetime | date | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = local(value).date()
    return f"{value:%d/%m/%Y}"


def place_date(place: str, value: datetime | date) -> str:
    """ "Mỹ An Hưng, ngày 02 tháng 3 năm 2026": days below 10 and months 1 and 2 take a leading
    zero (Decree 30/2020 on administrative documents)."""
    if isinstance(value, datetime):
        value = local(value).date()
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"{place}, ngày {value.day:02d} tháng {month} năm {value.year}"


def place_name(commune_name: str, division_type: str) -> str:
    """The place on a document: the commune's name without its kind ("Xã Mỹ An Hưng" -> "Mỹ An
    Hưng"), but a numbered ward keeps it ("Phường 5")."""
    name = nfc(commune_name)
    kind = nfc(division_type)
    for prefix in filter(None, (kind, "xã", "phường", "đặc khu", "thị trấn")):
        if name.lower().startswith(prefix.lower() + " "):
            rest = name[len(prefix) + 1 :].strip()
            return name if rest.isdigit() else rest
    return name


def secret(value: str) -> str:
    """ "ABCDE-FGH23": the lookup secret in two halves, easier to read off paper."""
    value = nfc(value).upper()
    half = (len(value) + 1) // 2
    return f"{value[:half]}-{value[half:]}" if len(value) > 5 else value


def number(value: Decimal | int) -> str:
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f").replace(".", ",")


def limit(kind: str, amount: Decimal, cutoff: time | None) -> str:
    if kind == "same_day":
        if cutoff is None:
            return "Trong ngày"
        clock = f"{cutoff.hour} giờ" if cutoff.minute == 0 else f"{cutoff.hour} giờ {cutoff.minute:02d}"
        return f"Trong ngày (nhận sau {clock}: ngày làm việc tiếp theo)"
    unit = {"working_days": "ngày làm việc", "working_hours": "giờ làm việc", "calendar_days": "ngày"}
    return f"{number(amount)} {unit.get(kind, kind)}"


def problem(item) -> str:
    """One line of a supplement request: a string, or {name, problem} from the intake."""
    if isinstance(item, dict):
        name = nfc(item.get("name"))
        text = nfc(item.get("problem"))
        if item.get("missing") or text.lower() in MISSING_WORDS:
            text = MISSING
        return f"{name}: {text}" if name and text else name or text
    return nfc(item)
