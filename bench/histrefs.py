"""Reference data for the generated history: the province's centers with their staff, and the
procedure versions with their steps and components, read once through the ORM (then shared with
the forked generator processes); and `prepare_province`, which gives every commune a center."""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from vnnames import FastRandom, People

# Relative volume per field code (the demo catalog's codes); unknown fields get DEFAULT_FIELD_WEIGHT.
FIELD_WEIGHTS = {
    "CHUNGTHUC": 30,
    "HOTICH": 24,
    "CUTRU": 14,
    "BTXH": 6,
    "NGUOICOCONG": 3,
    "DATDAI": 7,
    "KINHDOANH": 5,
    "XAYDUNG": 3,
    "VANHOA": 2,
}
DEFAULT_FIELD_WEIGHT = 3
AREA_WEIGHT = {"urban": 1.6, "rural": 1.0, "remote": 0.6}
ONLINE_AREA_FACTOR = {"urban": 1.12, "rural": 0.92, "remote": 0.75}


# -- reference data (read once through the ORM, then shared with the forked workers) ---------------
@dataclass
class StepRef:
    position: int
    role: str
    department_code: str
    budget_seconds: int


@dataclass
class VersionRef:
    id: int
    national_code: str
    version: int
    field_id: int
    field_code: str
    effective_from: date
    effective_to: date | None
    limit: object  # motcua.workdays.core.TimeLimit
    online: bool
    boundary_free: bool
    steps: list[StepRef]
    components: list[tuple[int, str, bool]]  # (id, name, mandatory)
    weight: float = 1.0


@dataclass
class CenterRef:
    id: int
    agency_code: str
    commune_name: str
    area_type: str
    weight: float
    online_factor: float
    late_factor: float
    departments: dict[str, int]
    desks: list[tuple[int, str]]
    specialists: dict[str, list[tuple[int, str]]]  # by department code ("" = any)
    leaders: list[tuple[int, str]]


@dataclass
class Refs:
    centers: list[CenterRef]
    versions: list[VersionRef]
    calendar: object  # WorkCalendar of the province's centers (they share office hours)
    province: str


def prepare_province(province: str = "82", api_username: str = "bench.api", log=print) -> str:
    """A center per commune with three departments and six staff, and a bench API user who is a
    desk officer at every center. Idempotent. Returns the API user's username."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from motcua.units import services
    from motcua.units.demo import DEPARTMENTS, DemoCenter
    from motcua.units.models import Commune, Role, ServiceCenter, StaffRole, User

    rng = FastRandom(82)
    people = People(rng)
    communes = list(Commune.objects.filter(province_id=province).order_by("code"))
    existing = set(
        ServiceCenter.objects.filter(commune__province_id=province).values_list("commune_id", flat=True)
    )
    created = 0
    with transaction.atomic():
        for commune in communes:
            if commune.code in existing:
                continue
            urban = commune.name.startswith("Phường")
            area = "urban" if urban else ("remote" if commune.division_type.startswith("đặc") else "rural")
            center = services.center_create(
                commune=commune,
                agency_code=f"H{province}.{commune.code}",
                address=f"Trụ sở UBND {commune.name}, tỉnh Đồng Tháp",
                area_type=area,
                yearly_target_per_officer={"urban": 1600, "rural": 1200, "remote": 800}[area],
            )
            spec = DemoCenter(
                commune.name, "", area, "Phòng Kinh tế, Hạ tầng và Đô thị" if urban else "Phòng Kinh tế"
            )
            departments = {
                code: services.department_create(
                    center=center, code=code, name=name or spec.economy_department
                )
                for code, name in DEPARTMENTS
            }
            # Bulk users: six password hashes would cost seconds per center, and nobody logs in.
            slug = f"c{commune.code}"
            staff = [(Role.DESK_OFFICER, "motcua", None), (Role.DESK_OFFICER, "motcua2", None)]
            staff += [(Role.SPECIALIST, f"cv.{code.lower()}", code) for code, _n in DEPARTMENTS]
            staff += [(Role.LEADER, "lanhdao", None)]
            users = User.objects.bulk_create(
                [
                    User(
                        username=f"{slug}.{suffix}",
                        password=make_password(None),
                        full_name=people.name(rng.random() < 0.5),
                    )
                    for _role, suffix, _d in staff
                ]
            )
            StaffRole.objects.bulk_create(
                [
                    StaffRole(
                        user=user,
                        role=role,
                        center=center,
                        department=departments.get(dept) if dept else None,
                    )
                    for user, (role, _s, dept) in zip(users, staff, strict=True)
                ]
            )
            created += 1
        api_user = User.objects.filter(username=api_username).first()
        if api_user is None:
            api_user = User.objects.create_user(username=api_username, password=None, full_name="Bench API")
        have = set(
            StaffRole.objects.filter(user=api_user, role=Role.DESK_OFFICER).values_list(
                "center_id", flat=True
            )
        )
        StaffRole.objects.bulk_create(
            [
                StaffRole(user=api_user, role=Role.DESK_OFFICER, center_id=cid)
                for cid in ServiceCenter.objects.filter(commune__province_id=province).values_list(
                    "id", flat=True
                )
                if cid not in have
            ]
        )
    total = ServiceCenter.objects.filter(commune__province_id=province).count()
    log(
        f"  service centers in province {province}: {total} ({created} created for the bench); "
        f"API user {api_username!r} is desk officer at all of them"
    )
    return api_username


def load_refs(province: str = "82", seed: int = 1) -> Refs:
    from motcua.catalog.models import ProcedureVersion
    from motcua.dossiers.services import processing_steps
    from motcua.units.models import Role, ServiceCenter, StaffRole
    from motcua.workdays.selectors import calendar_for_center

    rng = random.Random(seed)
    centers: list[CenterRef] = []
    calendar = None
    for center in (
        ServiceCenter.objects.filter(commune__province_id=province).select_related("commune").order_by("id")
    ):
        calendar = calendar or calendar_for_center(center)
        if calendar_for_center(center) != calendar:
            raise SystemExit(
                f"Center {center.agency_code} has its own office hours; the generator assumes one "
                "calendar per province."
            )
        staff = StaffRole.objects.filter(center=center).select_related("user", "department")
        desks, specialists, leaders = [], {"": []}, []
        for role in staff:
            if role.user.username.startswith("bench."):
                continue
            who = (role.user_id, str(role.user))
            if role.role == Role.DESK_OFFICER:
                desks.append(who)
            elif role.role == Role.SPECIALIST:
                specialists[""].append(who)
                if role.department_id:
                    specialists.setdefault(role.department.code, []).append(who)
            elif role.role == Role.LEADER:
                leaders.append(who)
        if not (desks and specialists[""] and leaders):
            raise SystemExit(f"Center {center.agency_code} lacks a desk officer, specialist or leader.")
        centers.append(
            CenterRef(
                id=center.id,
                agency_code=center.agency_code,
                commune_name=center.commune.name,
                area_type=center.area_type,
                weight=AREA_WEIGHT.get(center.area_type, 1.0) * math.exp(rng.gauss(0, 0.35)),
                online_factor=ONLINE_AREA_FACTOR.get(center.area_type, 1.0),
                late_factor=math.exp(rng.gauss(0, 0.6)),
                departments={d.code: d.id for d in center.departments.all()},
                desks=desks,
                specialists=specialists,
                leaders=leaders,
            )
        )
    if not centers:
        raise SystemExit(f"No service center in province {province}: load the demo first.")
    hours = calendar.daily_hours()
    versions = []
    for v in ProcedureVersion.objects.select_related("procedure__field").prefetch_related(
        "components", "steps"
    ):
        versions.append(
            VersionRef(
                id=v.id,
                national_code=v.procedure.national_code,
                version=v.version,
                field_id=v.procedure.field_id,
                field_code=v.procedure.field.code,
                effective_from=v.effective_from,
                effective_to=v.effective_to,
                limit=v.time_limit,
                online=bool({"online_full", "online_partial"} & set(v.channels or [])),
                boundary_free=v.boundary_free,
                steps=[
                    StepRef(s.position, s.role, s.department_code, int(Decimal(s.budget_days) * hours * 3600))
                    for s in processing_steps(v)
                ],
                components=[(c.id, c.name, c.mandatory) for c in v.components.all()],
            )
        )
    if not versions:
        raise SystemExit("The catalog is empty: `motcua demo` loads the demo catalog.")
    per_field = Counter(v.field_code for v in versions)
    for v in versions:
        v.weight = FIELD_WEIGHTS.get(v.field_code, DEFAULT_FIELD_WEIGHT) / per_field[v.field_code]
    return Refs(centers=centers, versions=versions, calendar=calendar, province=province)
