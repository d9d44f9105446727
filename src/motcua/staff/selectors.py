"""Reads for the staff pages, built on the scoped dossier selectors (never a bare lookup)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from motcua.catalog.models import ProcessStep
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.models import Dossier, State
from motcua.units.models import Role, ServiceCenter, StaffRole
from motcua.units.scoping import centers_for_user, user_scope

from .access import centers_with_role

FREQUENT_DAYS = 30


def approval_queue(user) -> QuerySet:
    """Dossiers in progress at a leader's step of their internal process, in the centers where
    `user` is a leader; soonest due first."""
    scope = user_scope(user)
    leader_step = ProcessStep.objects.filter(
        version_id=OuterRef("procedure_version_id"), position=OuterRef("step_position"), role=Role.LEADER
    )
    qs = dossier_selectors.inbox(user, state=State.IN_PROGRESS).filter(Exists(leader_step))
    if not scope.everything:
        qs = qs.filter(center_id__in=centers_with_role(scope, Role.LEADER))
    return qs.order_by("step_due_at", "due_at", "id")


def desk_centers(user) -> list[ServiceCenter]:
    """The centers where `user` receives dossiers at the counter."""
    scope = user_scope(user)
    qs = centers_for_user(user)
    if not scope.everything:
        qs = qs.filter(id__in=centers_with_role(scope, Role.DESK_OFFICER))
    return list(qs.order_by("name"))


def province_centers(center: ServiceCenter) -> QuerySet:
    """Handling units a boundary-free dossier may go to: active centers of the same province."""
    return (
        ServiceCenter.objects.filter(commune__province_id=center.commune.province_id, is_active=True)
        .select_related("commune")
        .order_by("commune__name", "name")
    )


def assignable_staff(center_id: int, roles: set[str]) -> list:
    """Staff of a center holding one of `roles`, by name: who a step may be given to."""
    rows = (
        StaffRole.objects.filter(center_id=center_id, role__in=roles, user__is_active=True)
        .select_related("user", "department")
        .order_by("user__full_name", "user__username")
    )
    seen, users = set(), []
    for row in rows:
        if row.user_id not in seen:
            seen.add(row.user_id)
            row.user.department_name = row.department.name if row.department_id else ""
            users.append(row.user)
    return users


def frequent_procedures(user, limit: int = 6) -> list[dict]:
    """The procedures this officer received most in the last 30 days: one click at the counter."""
    since = timezone.now() - timedelta(days=FREQUENT_DAYS)
    return list(
        Dossier.objects.filter(created_by=user, created_at__gte=since)
        .values("procedure_version__procedure__national_code")
        .annotate(n=Count("id"))
        .order_by("-n", "procedure_version__procedure__national_code")[:limit]
    )


WAITING_LIMIT = 50


def desk_waiting(user, centers: list[ServiceCenter]) -> dict[str, list[Dossier]]:
    """What waits for the desk of `centers`: online and kiosk submissions to receive (oldest
    first) and received paper dossiers to transfer for processing (soonest transfer time first)."""
    base = dossier_selectors.dossiers_for_user(user).filter(receiving_center__in=[c.pk for c in centers])
    return {
        "reception": list(base.filter(state=State.SUBMITTED).order_by("submitted_at", "id")[:WAITING_LIMIT]),
        "transfer": list(base.filter(state=State.RECEIVED).order_by("step_due_at", "id")[:WAITING_LIMIT]),
    }
