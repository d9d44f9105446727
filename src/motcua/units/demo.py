"""The demo: Đồng Tháp with all its communes, three staffed centers, one login per role.

Loaded by `motcua demo` (and by `make run` on a new database) through the same services the
admin uses. Agency codes and staff are demo values.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from motcua.core.text import search_key

from . import services
from .models import Commune, Province, Role, ServiceCenter, User

DEMO_PROVINCE = "82"
DEMO_PASSWORD = "motcua-demo"  # printed on the console; a demo is not a deployment


@dataclass(frozen=True)
class DemoCenter:
    commune_name: str
    slug: str
    area_type: str
    economy_department: str


DEMO_CENTERS = (
    DemoCenter("Xã Mỹ An Hưng", "myanhung", "rural", "Phòng Kinh tế"),
    DemoCenter("Xã Phú Thọ", "phutho", "rural", "Phòng Kinh tế"),
    DemoCenter("Phường Sa Đéc", "sadec", "urban", "Phòng Kinh tế, Hạ tầng và Đô thị"),
)

# The commune-level bodies after the 2025 reorganization; department codes are what the demo
# catalog's internal process steps name.
DEPARTMENTS = (
    ("VP", "Văn phòng HĐND và UBND"),
    ("KT", None),  # named per commune type: see DemoCenter.economy_department
    ("VHXH", "Phòng Văn hóa - Xã hội"),
)

COUNTERS = (
    (1, "Quầy Tư pháp - Hộ tịch, Chứng thực", ("HOTICH", "CHUNGTHUC")),
    (2, "Quầy Đất đai, Xây dựng, Kinh doanh", ("DATDAI", "XAYDUNG", "KINHDOANH")),
    (3, "Quầy Văn hóa - Xã hội, Cư trú", ("BTXH", "VANHOA", "CUTRU", "NGUOICOCONG")),
)

STAFF = (
    (Role.DESK_OFFICER, "motcua", "Nguyễn Thị Hồng", None),
    (Role.SPECIALIST, "chuyenvien", "Trần Văn Phúc", "VP"),
    (Role.SPECIALIST, "kinhte", "Lê Minh Đức", "KT"),
    (Role.SPECIALIST, "vhxh", "Phạm Thị Ngọc Ánh", "VHXH"),
    (Role.LEADER, "lanhdao", "Võ Thành Nhân", None),
    (Role.CENTER_ADMIN, "quantri", "Huỳnh Thị Thu Trang", None),
)


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    where: str


def demo_is_loaded() -> bool:
    return ServiceCenter.objects.filter(commune__province_id=DEMO_PROVINCE).exists()


def _commune(name: str) -> Commune:
    key = search_key(name)
    matches = [c for c in Commune.objects.filter(province_id=DEMO_PROVINCE) if search_key(c.name) == key]
    if len(matches) != 1:
        raise LookupError(f"Demo commune {name!r} not found exactly once in province {DEMO_PROVINCE}.")
    return matches[0]


# What other apps add to the demo (the catalog, queue services, collecting accounts…): each step is
# called with the demo province after its centers exist, registered in the app's AppConfig.ready().
# A step must be idempotent: `motcua demo` may run on a database that already has the demo.
DEMO_STEPS: list[Callable[[Province], None]] = []


def register_demo_step(step: Callable[[Province], None]) -> Callable[[Province], None]:
    if step not in DEMO_STEPS:
        DEMO_STEPS.append(step)
    return step


@transaction.atomic
def demo_load() -> list[Login]:
    """Load the demo; idempotent (an existing demo is left as it is)."""
    province = Province.objects.filter(code=DEMO_PROVINCE).first()
    if province is None or not province.communes.exists():
        services.units_import(provinces=services.province_resolve(DEMO_PROVINCE))
        province = Province.objects.get(code=DEMO_PROVINCE)
    if not demo_is_loaded():
        for spec in DEMO_CENTERS:
            commune = _commune(spec.commune_name)
            center = services.center_create(
                commune=commune,
                agency_code=f"H82.{commune.code}",
                address=f"Trụ sở UBND {commune.name}, tỉnh Đồng Tháp",
                area_type=spec.area_type,
                yearly_target_per_officer={"urban": 1600, "rural": 1200, "remote": 800}[spec.area_type],
            )
            departments = {
                code: services.department_create(
                    center=center, code=code, name=name or spec.economy_department
                )
                for code, name in DEPARTMENTS
            }
            for number, name, _field_codes in COUNTERS:
                services.counter_create(center=center, number=number, name=name, fields=[])
            for role, suffix, full_name, department_code in STAFF:
                services.staff_create(
                    username=f"{spec.slug}.{suffix}",
                    password=DEMO_PASSWORD,
                    full_name=full_name,
                    role=role,
                    center=center,
                    department=departments.get(department_code) if department_code else None,
                )
        services.staff_create(
            username="dongthap.tinh",
            password=DEMO_PASSWORD,
            full_name="Đặng Quốc Bảo",
            role=Role.PROVINCE_ADMIN,
            province=province,
        )
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "", DEMO_PASSWORD, full_name="Quản trị hệ thống")
    for step in DEMO_STEPS:
        step(province)
    return demo_logins()


def demo_logins() -> list[Login]:
    logins = [Login("admin", "superuser", "—")]
    for user in (
        User.objects.filter(staff_roles__isnull=False)
        .prefetch_related("staff_roles__center", "staff_roles__province")
        .distinct()
        .order_by("username")
    ):
        for staff_role in user.staff_roles.all():
            logins.append(
                Login(
                    user.username,
                    staff_role.get_role_display(),
                    str(staff_role.center or staff_role.province),
                )
            )
    return logins
