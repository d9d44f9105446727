"""Building blocks for dossier tests: a staffed center, a procedure, and intake shortcuts."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.units.models import Role
from tests import factories

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(text: str) -> datetime:
    """`at("2026-03-02 09:00")`: a wall-clock instant in Vietnam."""
    return datetime.fromisoformat(text).replace(tzinfo=VN)


@dataclass
class Staffed:
    center: object
    desk: object
    specialist: object
    leader: object
    province_admin: object


def staffed_center(commune=None) -> Staffed:
    center = factories.center(commune)
    dept = factories.department(center, code="VP", name="Văn phòng HĐND và UBND")
    return Staffed(
        center=center,
        desk=factories.user(Role.DESK_OFFICER, center_obj=center, full_name="Nguyễn Thị Hồng"),
        specialist=factories.user(Role.SPECIALIST, center_obj=center, department_obj=dept),
        leader=factories.user(Role.LEADER, center_obj=center),
        province_admin=factories.user(Role.PROVINCE_ADMIN, province_obj=center.commune.province),
    )


def version(**kwargs):
    """A 3-working-day procedure: reception, specialist review 1 day, leader approval 0.5, issue 0.5."""
    kwargs.setdefault(
        "steps",
        (
            ("Tiếp nhận hồ sơ", "desk_officer", Decimal("0.25")),
            ("Thẩm định hồ sơ", "specialist", Decimal("1")),
            ("Phê duyệt", "leader", Decimal("0.5")),
            ("Ký, ban hành kết quả", "specialist", Decimal("0.5")),
            ("Trả kết quả", "desk_officer", Decimal("0.25")),
        ),
    )
    kwargs.setdefault("effective_from", datetime(2020, 1, 1).date())
    v = factories.procedure_version(**kwargs)
    v.steps.exclude(role="desk_officer").update(department_code="VP")
    return v


def all_provided(version_obj) -> list[services.ComponentCheck]:
    return [services.ComponentCheck(c.id, True) for c in version_obj.components.all()]


APPLICANT = services.Applicant(
    name="Trần Thị Ánh Nguyệt", id_number="087190001234", phone="0909123456", address="Ấp 3, xã Mỹ An Hưng"
)


def receive(staffed: Staffed, version_obj, *, when: datetime, channel: str = "counter", **kwargs) -> Dossier:
    result = services.dossier_intake(
        actor=staffed.desk,
        center=staffed.center,
        procedure_version=version_obj,
        channel=channel,
        applicant=kwargs.pop("applicant", APPLICANT),
        components=kwargs.pop("components", all_provided(version_obj)),
        at=when,
        **kwargs,
    )
    return result.dossier
