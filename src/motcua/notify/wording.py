"""The wording of citizen messages: the shipped Vietnamese templates, the province's own
(`MessageTemplate`), rendering with placeholders, and the checks an edited template must pass."""

from __future__ import annotations

import string

from django.db.models import Q
from django.utils.translation import gettext as _

from . import rules
from .models import MessageTemplate

PLACEHOLDERS = ("code", "name", "procedure", "due", "center", "reason", "url", "ticket", "counter", "ahead")

# Shipped defaults (kind -> channel -> text). SMS are written without diacritics on purpose.
DEFAULTS = {
    "received": {
        "sms": "Ho so {code} da duoc tiep nhan. Hen tra {due}. Tra cuu: {url}",
        "email": (
            "Hồ sơ {code} đã được tiếp nhận",
            "Kính gửi {name},\n\nHồ sơ “{procedure}” của Ông/Bà đã được {center} tiếp nhận.\n"
            "Mã hồ sơ: {code}\nNgày hẹn trả kết quả: {due}\n\nTheo dõi tiến độ: {url}\n",
        ),
    },
    "supplement_requested": {
        "sms": "Ho so {code} can bo sung giay to. Vui long xem chi tiet: {url}",
        "email": (
            "Hồ sơ {code} cần bổ sung",
            "Kính gửi {name},\n\nHồ sơ “{procedure}” cần bổ sung: {reason}\n\n"
            "Ông/Bà vui lòng bổ sung tại {center} hoặc xem chi tiết: {url}\n",
        ),
    },
    "reappointed": {
        "sms": "Xin loi vi ho so {code} cham tre. Ngay hen moi: {due}. Tra cuu: {url}",
        "email": (
            "Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {code}",
            "Kính gửi {name},\n\n{center} thành thật xin lỗi Ông/Bà vì hồ sơ “{procedure}” "
            "chưa có kết quả đúng hẹn. Lý do: {reason}\nNgày hẹn trả mới: {due}\n\n"
            "Theo dõi tiến độ: {url}\n",
        ),
    },
    "result_ready": {
        "sms": "Ho so {code} da co ket qua. Moi Ong/Ba den nhan tai {center}. Tra cuu: {url}",
        "email": (
            "Hồ sơ {code} đã có kết quả",
            "Kính gửi {name},\n\nHồ sơ “{procedure}” đã có kết quả. "
            "Mời Ông/Bà đến nhận tại {center}.\n\nTra cứu: {url}\n",
        ),
    },
    "queue_turn_near": {
        "sms": "So {ticket} sap den luot tai {center} (con {ahead} nguoi truoc). Moi Ong/Ba chuan bi.",
        "email": (
            "Sắp đến lượt số {ticket}",
            "Số thứ tự {ticket} sắp đến lượt tại {center} (còn {ahead} người trước). Mời Ông/Bà chuẩn bị.\n",
        ),
    },
}

# ZNS template parameters and their types (for Zalo's length limits).
ZNS_PARAMS = {
    "ten": ("name", "name"),
    "ma_ho_so": ("code", "code"),
    "thu_tuc": ("procedure", "text"),
    "ngay_hen": ("due", "date"),
    "noi_nhan": ("center", "address"),
    "so_thu_tu": ("ticket", "code"),
}

SAMPLE = {
    "code": "H82.29242-261008-0975",
    "name": "Nguyễn Thị Ánh Nguyệt",
    "procedure": "Đăng ký thường trú",
    "due": "15/10/2026 17:00",
    "center": "Trung tâm PVHCC xã Mỹ An Hưng",
    "reason": "thiếu bản sao giấy khai sinh",
    "url": "https://dvc.example.vn/tra-cuu/H82.29242-261008-0975",
    "ticket": "A015",
    "counter": "2",
    "ahead": "3",
}


class _Blank(dict):
    def __missing__(self, key):
        return ""


def render(text: str, context: dict) -> str:
    return string.Formatter().vformat(text, (), _Blank(context))


def templates_for(province_id: str | None, kind: str) -> dict[str, MessageTemplate]:
    """The templates in force for one event kind, by channel: the province's own where it has
    one, the shared one (no province) otherwise. One query for every channel."""
    rows = MessageTemplate.objects.filter(kind=kind).filter(
        Q(province__isnull=True) | Q(province_id=province_id) if province_id else Q(province__isnull=True)
    )
    chosen: dict[str, MessageTemplate] = {}
    for row in rows:
        if row.channel not in chosen or row.province_id is not None:
            chosen[row.channel] = row
    return chosen


def texts(province_id: str | None, kind: str) -> dict:
    """{"sms": text, "email": (subject, body), "zns": template id} for one event kind."""
    shipped = DEFAULTS[kind]
    found = templates_for(province_id, kind)
    sms, email, zns = found.get("sms"), found.get("email"), found.get("zns")
    return {
        "sms": sms.body if sms else shipped["sms"],
        "email": (email.subject, email.body) if email else shipped["email"],
        "zns": zns.zns_template_id if zns else "",
    }


def zns_data(context: dict) -> dict:
    return {param: rules.zns_param(context.get(key, ""), kind) for param, (key, kind) in ZNS_PARAMS.items()}


def problems(*, channel: str, body: str, subject: str = "", zns_template_id: str = "") -> list[str]:
    """What is wrong with an edited template (empty list: fine)."""
    found = []
    try:
        names = {name for _lit, name, _f, _c in string.Formatter().parse(body + subject) if name}
    except ValueError:
        return [_("The text has an unmatched brace { or }.")]
    unknown = sorted(names - set(PLACEHOLDERS))
    if unknown:
        found.append(_("Unknown placeholders: %(names)s.") % {"names": ", ".join(unknown)})
        return found
    if channel == "sms":
        text = rules.sms_text(render(body, SAMPLE))
        if len(text) > rules.SMS_SEGMENT:
            found.append(
                _("The SMS is %(length)d characters with the sample data; one SMS holds %(max)d.")
                % {"length": len(text), "max": rules.SMS_SEGMENT}
            )
    if channel == "email" and not subject.strip():
        found.append(_("An e-mail needs a subject."))
    if channel == "zns" and not zns_template_id.strip():
        found.append(_("A Zalo message needs the id of its approved ZNS template."))
    return found


def preview(*, channel: str, body: str, subject: str = "") -> str:
    """The text as a citizen would get it, with the sample data."""
    if channel == "sms":
        text = rules.sms_text(render(body, SAMPLE))
        return f"{text}\n({len(text)}/{rules.SMS_SEGMENT}, {rules.sms_segments(text)} SMS)"
    if channel == "zns":
        return "\n".join(f"{k}: {v}" for k, v in zns_data(SAMPLE).items())
    return f"{render(subject, SAMPLE)}\n\n{render(body, SAMPLE)}"
