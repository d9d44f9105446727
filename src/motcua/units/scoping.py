"""Tenancy: what a staff user may see. Every lookup of unit-owned records goes through here.

A user's scope is the set of service centers they work in; a province administrator's scope
is every center of their province; a superuser sees everything. Lookups outside the scope look
exactly like missing records (NotFound), so codes and ids cannot be probed.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound, PermissionDenied

from .models import Role, ServiceCenter, StaffRole


@dataclass(frozen=True)
class Scope:
    """The centers a user may act in, and their roles there. `everything` for superusers."""

    everything: bool
    center_ids: frozenset[int]
    province_codes: frozenset[str]
    roles_by_center: dict[int, frozenset[str]]

    def roles_in(self, center_id: int) -> frozenset[str]:
        if self.everything:
            return frozenset(Role.values)
        return self.roles_by_center.get(center_id, frozenset())

    def has_role(self, center_id: int, *roles: str) -> bool:
        return bool(self.roles_in(center_id) & set(roles))

    def reads_only(self, *center_ids: int) -> bool:
        """True when the user's only roles in these centers are a province administrator's: province
        roles read dossiers, they never write into them."""
        if self.everything:
            return False
        held: set[str] = set()
        for center_id in center_ids:
            held |= self.roles_in(center_id)
        return bool(held) and held <= {Role.PROVINCE_ADMIN}

    def q(self, center_field: str = "center") -> Q:
        """A filter on `center_field` (a FK to ServiceCenter) that keeps only this scope."""
        if self.everything:
            return Q()
        return Q(**{f"{center_field}__in": self.center_ids})


_EMPTY = Scope(False, frozenset(), frozenset(), {})


def user_scope(user) -> Scope:
    """The scope of a user, computed once per request object (cached on the user instance)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return _EMPTY
    cached = getattr(user, "_motcua_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(True, frozenset(), frozenset(), {})
    else:
        roles = list(StaffRole.objects.filter(user=user).values_list("role", "center_id", "province_id"))
        provinces = frozenset(p for r, _c, p in roles if r == Role.PROVINCE_ADMIN and p)
        by_center: dict[int, set[str]] = {}
        for role, center_id, _p in roles:
            if center_id:
                by_center.setdefault(center_id, set()).add(role)
        if provinces:
            for center_id in ServiceCenter.objects.filter(commune__province__in=provinces).values_list(
                "id", flat=True
            ):
                by_center.setdefault(center_id, set()).add(Role.PROVINCE_ADMIN)
        scope = Scope(
            False,
            frozenset(by_center),
            provinces,
            {c: frozenset(r) for c, r in by_center.items()},
        )
    user._motcua_scope = scope
    return scope


def refuse_province_writes(user, *center_ids: int) -> None:
    """Raise PermissionDenied (403) when `user` may only read in these centers (province roles)."""
    if user_scope(user).reads_only(*center_ids):
        raise PermissionDenied(
            _("Province administrators can read dossiers but not change them, add papers or re-use them.")
        )


def scope_queryset(qs: QuerySet, user, center_field: str = "center") -> QuerySet:
    """Restrict any queryset of unit-owned records to what `user` may see."""
    scope = user_scope(user)
    if scope.everything:
        return qs
    if not scope.center_ids:
        return qs.none()
    return qs.filter(scope.q(center_field))


def centers_for_user(user) -> QuerySet:
    return scope_queryset(ServiceCenter.objects.select_related("commune__province"), user, center_field="id")


def center_get_for_user(user, center_id: int) -> ServiceCenter:
    try:
        return centers_for_user(user).get(id=center_id)
    except (ServiceCenter.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Service center not found.")) from None


# Leaders and administrators (and superusers) must pass a second factor: on the staff pages at each
# sign-in, and to be given an API token.
SECOND_FACTOR_ROLES = frozenset({Role.LEADER, Role.CENTER_ADMIN, Role.PROVINCE_ADMIN})


def roles_of(user) -> frozenset[str]:
    """Every role the user holds in any unit (all of them for a superuser)."""
    scope = user_scope(user)
    if scope.everything:
        return frozenset(Role.values)
    found: set[str] = set()
    for roles in scope.roles_by_center.values():
        found |= roles
    return frozenset(found)


def needs_second_factor(user) -> bool:
    return bool(user.is_superuser or roles_of(user) & SECOND_FACTOR_ROLES)
