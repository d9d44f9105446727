"""Plain factory functions for tests: each makes a valid object with overridable fields."""

import itertools
from datetime import date
from decimal import Decimal

from motcua.catalog.models import Field, Procedure, ProcedureVersion, ProcessStep, RequiredComponent
from motcua.catalog.specs import version_search_text
from motcua.units.models import Commune, Department, Province, Role, ServiceCenter, StaffRole, User

_seq = itertools.count(1)


def province(code: str = "82", name: str = "Đồng Tháp") -> Province:
    obj, _ = Province.objects.get_or_create(
        code=code, defaults={"name": name, "division_type": "tỉnh", "codename": name.lower()}
    )
    return obj


def commune(
    code: str | None = None, name: str | None = None, province_obj: Province | None = None
) -> Commune:
    n = next(_seq)
    return Commune.objects.create(
        code=code or f"{90000 + n}",
        name=name or f"Xã Thử {n}",
        division_type="xã",
        codename=f"xa_thu_{n}",
        province=province_obj or province(),
    )


def center(commune_obj: Commune | None = None, **kwargs) -> ServiceCenter:
    commune_obj = commune_obj or commune()
    kwargs.setdefault("name", f"Trung tâm Phục vụ hành chính công {commune_obj.name}")
    kwargs.setdefault("agency_code", f"H82.{commune_obj.code}")
    return ServiceCenter.objects.create(commune=commune_obj, **kwargs)


def department(center_obj: ServiceCenter, code: str = "TP", name: str = "Tư pháp - Hộ tịch") -> Department:
    return Department.objects.create(center=center_obj, code=code, name=name)


def user(
    role: str | None = None,
    *,
    center_obj: ServiceCenter | None = None,
    province_obj: Province | None = None,
    department_obj: Department | None = None,
    username: str | None = None,
    **kwargs,
) -> User:
    n = next(_seq)
    obj = User.objects.create_user(
        username=username or f"user{n}", password=kwargs.pop("password", "pw-12345-test"), **kwargs
    )
    if role:
        if role == Role.PROVINCE_ADMIN:
            StaffRole.objects.create(user=obj, role=role, province=province_obj or province())
        else:
            StaffRole.objects.create(
                user=obj, role=role, center=center_obj or center(), department=department_obj
            )
    return obj


def field(code: str = "HOTICH", name: str = "Hộ tịch") -> Field:
    obj, _ = Field.objects.get_or_create(code=code, defaults={"name": name})
    return obj


def procedure_version(
    *,
    national_code: str | None = None,
    name: str = "Đăng ký khai sinh",
    limit_kind: str = "working_days",
    limit_amount: Decimal | int = 3,
    components: tuple[str, ...] = ("Tờ khai đăng ký khai sinh", "Giấy chứng sinh"),
    steps: tuple[tuple[str, str, Decimal], ...] = (
        ("Thẩm định", "specialist", Decimal("1")),
        ("Phê duyệt", "leader", Decimal("0.5")),
    ),
    effective_from: date = date(2025, 7, 1),
    field_obj: Field | None = None,
    **kwargs,
) -> ProcedureVersion:
    proc = Procedure.objects.create(
        national_code=national_code or f"1.{next(_seq):06d}", field=field_obj or field()
    )
    kwargs.setdefault("competent_unit_type", "Ủy ban nhân dân cấp xã")
    kwargs.setdefault("channels", ["counter", "online_full"])
    kwargs.setdefault("search_text", version_search_text(name, proc.national_code))
    version = ProcedureVersion.objects.create(
        procedure=proc,
        version=1,
        effective_from=effective_from,
        name=name,
        limit_kind=limit_kind,
        limit_amount=Decimal(limit_amount),
        **kwargs,
    )
    for i, comp in enumerate(components, start=1):
        RequiredComponent.objects.create(version=version, position=i, name=comp)
    for i, (step_name, role, budget) in enumerate(steps, start=1):
        ProcessStep.objects.create(version=version, position=i, name=step_name, role=role, budget_days=budget)
    return version


def version_spec(**overrides):
    """A valid catalog VersionSpec (3 working days, two steps); override any field."""
    from motcua.catalog.specs import ComponentSpec, FeeSpec, StepSpec, VersionSpec
    from motcua.workdays.core import TimeLimit

    values = {
        "effective_from": date(2025, 7, 1),
        "name": "Cấp Giấy xác nhận tình trạng hôn nhân",
        "competent_unit": "Ủy ban nhân dân cấp xã",
        "limit": TimeLimit.parse("3 working days"),
        "channels": ("counter", "online_full"),
        "components": (
            ComponentSpec("Tờ khai (theo mẫu)"),
            ComponentSpec("Giấy tờ tùy thân", "original_to_compare"),
        ),
        "fees": (FeeSpec("Lệ phí", "set_by_province"),),
        "steps": (
            StepSpec("Thẩm định", "specialist", Decimal("2"), "VP"),
            StepSpec("Phê duyệt", "leader", Decimal("0.5"), "VP"),
        ),
    }
    values.update(overrides)
    return VersionSpec(**values)


def catalog_version(
    *, national_code: str | None = None, field_obj: Field | None = None, **overrides
) -> ProcedureVersion:
    """A procedure version written through the catalog service (search key, NFC...), unlike
    `procedure_version` which writes rows directly."""
    from motcua.catalog.services import procedure_version_create

    return procedure_version_create(
        national_code=national_code or f"1.{next(_seq):06d}",
        field=field_obj or field(),
        spec=version_spec(**overrides),
    )


def api_token(user, name: str = "test", **kwargs) -> str:
    """A bearer token for `user`; for roles with a second factor, made with a current TOTP code of
    a device the user gets here if they have none (as `motcua api-token create --totp` needs)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from motcua.api.auth import token_create
    from motcua.staff.access import needs_second_factor

    if needs_second_factor(user) and "otp_code" not in kwargs:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # the same code twice in a test
        device.refresh_from_db()
        kwargs["otp_code"] = f"{totp(device.bin_key):06d}"
    return token_create(user=user, name=name, **kwargs)
