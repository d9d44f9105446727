"""Reads of the audit: center administrators see their centers, province administrators their
province (every center in it and province-level reads), superusers everything."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from motcua.units.models import Role, StaffRole
from motcua.units.scoping import user_scope

from .models import ReadAudit, SecurityEvent

AUDIT_ROLES = frozenset({Role.CENTER_ADMIN, Role.PROVINCE_ADMIN})


def audit_center_ids(user) -> set[int]:
    scope = user_scope(user)
    return {c for c, roles in scope.roles_by_center.items() if roles & AUDIT_ROLES}


def read_audit_for_user(user) -> QuerySet:
    scope = user_scope(user)
    qs = ReadAudit.objects.select_related("user", "center").order_by("-at", "-id")
    if scope.everything:
        return qs
    centers = audit_center_ids(user)
    if not centers:
        return qs.none()
    condition = Q(center_id__in=centers) | Q(other_center_id__in=centers)
    if scope.province_codes:
        condition |= Q(province_id__in=scope.province_codes)
    return qs.filter(condition)


def security_events_for_user(user) -> QuerySet:
    scope = user_scope(user)
    qs = SecurityEvent.objects.select_related("actor", "subject")
    if scope.everything:
        return qs
    centers = audit_center_ids(user)
    if not centers:
        return qs.none()
    staff = StaffRole.objects.filter(center_id__in=centers).values("user_id")
    return qs.filter(Q(center_id__in=centers) | Q(subject_id__in=staff))


def staff_for_admin(user) -> QuerySet:
    """Staff members of the centers `user` administers, for the authenticator reset."""
    from motcua.units.models import User

    scope = user_scope(user)
    if scope.everything:
        return User.objects.filter(staff_roles__isnull=False).distinct().order_by("username")
    centers = audit_center_ids(user)
    return (
        User.objects.filter(staff_roles__center_id__in=centers, is_active=True)
        .exclude(pk=user.pk)
        .distinct()
        .order_by("username")
    )
