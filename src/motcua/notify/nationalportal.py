"""The national public service portal: what we push of a dossier and of each progress step, with
the portal's field names, and the state codes through the administrator's mapping table.

Dates are `yyyyMMddHHmmss` in Vietnam time. The portal's codes are not published with these
names; the defaults below are a starting point that `PortalStateCode` rows override.
"""

from __future__ import annotations

from django.utils import translation

from motcua.dossiers.lifecycle import event_label

from .models import PortalStateCode
from .rules import portal_date

DEFAULT_STATE_CODES = {
    "submitted": "1",
    "received": "2",
    "in_progress": "3",
    "interagency": "4",
    "supplement_requested": "5",
    "reception_supplement": "5",
    "refused": "6",
    "reception_refused": "6",
    "withdrawn": "7",
    "result_ready": "9",
    "returned": "10",
}
CHANNEL_CODES = {"counter": "1", "online": "2", "post": "3", "kiosk": "4"}
ROLE_TITLES = {
    "desk_officer": "Cán bộ một cửa",
    "specialist": "Chuyên viên",
    "leader": "Lãnh đạo",
}


def state_code(state: str) -> str:
    row = PortalStateCode.objects.filter(state=state).values_list("code", flat=True).first()
    return row or DEFAULT_STATE_CODES.get(state, "")


def dossier_fields(dossier) -> dict:
    """The dossier as the portal names its fields (MaHoSo, MaTTHC, …)."""
    version = dossier.procedure_version
    return {
        "MaHoSo": dossier.code or "",
        "MaTTHC": version.procedure.national_code,
        "TenTTHC": version.name,
        "MaLinhVuc": dossier.field.code,
        "ChuHoSo": dossier.applicant_name,
        "LoaiDoiTuong": "2" if dossier.applicant_kind == "organization" else "1",
        "Email": dossier.applicant_email,
        "SoDienThoai": dossier.applicant_phone,
        "TrichYeuHoSo": version.name,
        "NgayTiepNhan": portal_date(dossier.received_at or dossier.submitted_at),
        "NgayHenTra": portal_date(dossier.due_at),
        "TrangThaiHoSo": state_code(dossier.state),
        "NgayTra": portal_date(dossier.returned_at),
        "HinhThuc": CHANNEL_CODES.get(dossier.channel, "1"),
        "DonViXuLy": dossier.center.agency_code,
        "TaiLieuNop": [
            {"TenTepDinhKem": d.original_name, "MaThanhPhan": d.component_id or ""}
            for d in dossier.documents.all()
        ],
        "DanhSachLePhi": [],
        "DanhSachHoSoBoSung": [],
        "DanhSachGiayToKetQua": [],
    }


def progress_fields(event, dossier) -> dict:
    """One progress step (NguoiXuLy, ChucDanh, …) from a dossier event."""
    with translation.override("vi"):  # the portal is read in Vietnamese, whoever acted
        label = event_label(event.action)
    content = f"{label}: {event.reason}" if event.reason else label
    return {
        "MaHoSo": dossier.code or "",
        "NguoiXuLy": event.actor_name or "",
        "ChucDanh": ROLE_TITLES.get((event.payload or {}).get("role", ""), ""),
        "ThoiDiemXuLy": portal_date(event.at),
        "PhongBanXuLy": dossier.department.name if dossier.department_id else dossier.center.name,
        "NoiDungXuLy": content[:500],
        "TrangThai": state_code(event.to_state),
        "NgayKetThucTheoQuyDinh": portal_date(dossier.step_due_at or dossier.due_at),
    }


COMPARED = ("MaTTHC", "TrangThaiHoSo", "NgayTiepNhan", "NgayHenTra", "NgayTra", "DonViXuLy")


def differences(ours: dict, theirs: dict | None) -> list[tuple[str, str, str]]:
    """(field, ours, portal's) for each compared field that differs; the portal not knowing the
    dossier at all is one difference on MaHoSo."""
    if not theirs:
        return [("MaHoSo", ours.get("MaHoSo", ""), "")]
    return [
        (name, str(ours.get(name, "")), str(theirs.get(name, "")))
        for name in COMPARED
        if str(ours.get(name, "")) != str(theirs.get(name, ""))
    ]
