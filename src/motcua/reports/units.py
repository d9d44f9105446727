"""The units a report is about (a province, a commune, a service center), found in the user's
scope: `unit_for_user`, and where a user's reports start."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils.translation import gettext as _

from motcua.core.errors import NotFound, ValidationFailed
from motcua.units.models import ServiceCenter
from motcua.units.scoping import centers_for_user, user_scope


@dataclass(frozen=True)
class Unit:
    """What a report is about: a province, a commune or a service center, and its centers (with
    their communes; `centers_source` may be a queryset, read when `centers` is first asked)."""

    kind: str  # "province", "commune" or "center"
    key: str
    name: str
    center_ids: tuple[int, ...]
    province_code: str
    centers_source: Any = field(default=(), compare=False, repr=False)

    @cached_property
    def centers(self) -> tuple:
        return tuple(self.centers_source)

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.key}"


def can_see_province(user, code: str) -> bool:
    scope = user_scope(user)
    return scope.everything or code in scope.province_codes


def unit_for_user(user, ref: str) -> Unit:
    """`province:82`, `commune:29536` or `center:12`; outside the user's scope: NotFound."""
    kind, _sep, key = (ref or "").partition(":")
    key = key.strip()
    if kind == "province":
        from motcua.units.models import Province

        province = Province.objects.filter(pk=key).first()
        if province is None or not can_see_province(user, key):
            raise NotFound(_("Province not found."))
        centers = (
            ServiceCenter.objects.filter(commune__province_id=key)
            .select_related("commune")
            .order_by("commune__name", "pk")
        )
        return Unit("province", key, province.name, tuple(centers.values_list("pk", flat=True)), key, centers)
    if kind == "commune":
        centers = tuple(centers_for_user(user).filter(commune_id=key).order_by("pk"))
        if not centers:
            raise NotFound(_("Commune not found."))
        commune = centers[0].commune
        return Unit("commune", key, commune.name, tuple(c.pk for c in centers), commune.province_id, centers)
    if kind == "center":
        try:
            center = centers_for_user(user).get(pk=int(key))
        except (ServiceCenter.DoesNotExist, ValueError):
            raise NotFound(_("Service center not found.")) from None
        return Unit(
            "center", str(center.pk), center.name, (center.pk,), center.commune.province_id, (center,)
        )
    raise ValidationFailed(
        _("Name the unit as province:<code>, commune:<code> or center:<id>."), field="unit"
    )


def default_unit_ref(user) -> str | None:
    """Where a user's reports start: their province (administrators), else their first center."""
    scope = user_scope(user)
    if scope.province_codes:
        return f"province:{sorted(scope.province_codes)[0]}"
    if scope.center_ids:
        return f"center:{min(scope.center_ids)}"
    if scope.everything:
        from motcua.units.models import Province

        code = ServiceCenter.objects.values_list("commune__province_id", flat=True).order_by(
            "commune__province_id"
        )
        first = code.first() or Province.objects.values_list("pk", flat=True).first()
        return f"province:{first}" if first else None
    return None
