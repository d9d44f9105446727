"""Writes for administrative units, centers and staff. Every write of the app goes through here."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from vietnam_provinces import Province as VNProvince
from vietnam_provinces import Ward as VNWard

from motcua.core.errors import ValidationFailed
from motcua.core.text import is_ascii_digits, nfc, search_key

from .models import Commune, Counter, Department, Province, Role, ServiceCenter, StaffRole, User
from .permissions import role_group


@dataclass(frozen=True)
class ImportResult:
    provinces: int
    communes: int


def _vn_provinces() -> list:
    return sorted(VNProvince.iter_all(), key=lambda p: int(p.code))


def province_resolve(query: str) -> list:
    """The package's provinces matching a code ("82") or an accent-insensitive name ("dong thap")."""
    text = nfc(query)
    if not text:
        raise ValidationFailed(_("Give a province code or name."), field="province")
    if is_ascii_digits(text):
        matches = [p for p in _vn_provinces() if int(p.code) == int(text)]
    else:
        key = search_key(text)
        for prefix in ("tinh ", "thanh pho ", "tp "):
            key = key.removeprefix(prefix)
        matches = [p for p in _vn_provinces() if search_key(p.name) == key]
        if not matches:
            matches = [p for p in _vn_provinces() if key in search_key(p.name)]
    if not matches:
        raise ValidationFailed(_('No province matches "%(query)s".') % {"query": text}, field="province")
    if len(matches) > 1:
        names = ", ".join(p.name for p in matches)
        raise ValidationFailed(
            _('"%(query)s" matches several provinces: %(names)s.') % {"query": text, "names": names},
            field="province",
        )
    return matches


@transaction.atomic
def units_import(*, provinces: list | None = None) -> ImportResult:
    """Create or update provinces and all their communes from the `vietnam-provinces` package.

    `provinces` is a list of the package's Province objects; None imports all 34. Re-running
    updates names and types and never deletes (dossiers refer to communes).
    """
    chosen = provinces if provinces is not None else _vn_provinces()
    codes = {int(p.code) for p in chosen}
    for p in chosen:
        Province.objects.update_or_create(
            code=f"{int(p.code):02d}",
            defaults={"name": p.name, "division_type": p.division_type.value, "codename": p.codename},
        )
    wards = [w for w in VNWard.iter_all() if int(w.province_code) in codes]
    existing = set(
        Commune.objects.filter(code__in=[f"{int(w.code):05d}" for w in wards]).values_list("code", flat=True)
    )
    new, changed = [], []
    for w in wards:
        obj = Commune(
            code=f"{int(w.code):05d}",
            province_id=f"{int(w.province_code):02d}",
            name=w.name,
            division_type=w.division_type.value,
            codename=w.codename,
        )
        (changed if obj.code in existing else new).append(obj)
    Commune.objects.bulk_create(new, batch_size=500)
    Commune.objects.bulk_update(changed, ["province", "name", "division_type", "codename"], batch_size=500)
    return ImportResult(provinces=len(chosen), communes=len(wards))


@transaction.atomic
def center_create(*, commune: Commune, agency_code: str, name: str | None = None, **fields) -> ServiceCenter:
    """A commune's Public Administration Service Center; the name follows the usual wording."""
    center = ServiceCenter(
        commune=commune,
        agency_code=nfc(agency_code),
        name=nfc(name) or f"Trung tâm Phục vụ hành chính công {commune.name}",
        **fields,
    )
    center.full_clean()
    center.save()
    return center


@transaction.atomic
def department_create(*, center: ServiceCenter, code: str, name: str) -> Department:
    department = Department(center=center, code=nfc(code), name=nfc(name))
    department.full_clean()
    department.save()
    return department


@transaction.atomic
def counter_create(*, center: ServiceCenter, number: int, name: str, fields=()) -> Counter:
    counter = Counter(center=center, number=number, name=nfc(name))
    counter.full_clean()
    counter.save()
    if fields:
        counter.fields.set(fields)
    return counter


@transaction.atomic
def staff_create(
    *,
    username: str,
    password: str,
    full_name: str,
    role: str,
    center: ServiceCenter | None = None,
    province: Province | None = None,
    department: Department | None = None,
    email: str = "",
) -> User:
    """A staff login with one role; more roles can be added with `staff_role_grant`."""
    user = User.objects.create_user(
        username=username,
        password=password,
        full_name=nfc(full_name),
        email=email,
        is_staff=role in (Role.CENTER_ADMIN, Role.PROVINCE_ADMIN),
    )
    staff_role_grant(user=user, role=role, center=center, province=province, department=department)
    return user


@transaction.atomic
def staff_role_grant(
    *,
    user: User,
    role: str,
    center: ServiceCenter | None = None,
    province: Province | None = None,
    department: Department | None = None,
) -> StaffRole:
    staff_role = StaffRole(user=user, role=role, center=center, province=province, department=department)
    staff_role.full_clean()
    staff_role.save()
    group = role_group(role)
    if group is not None:
        user.groups.add(group)
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    return staff_role
