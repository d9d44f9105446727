"""Reads of dossiers, always scoped by the user's units and already joined for the page."""

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound
from motcua.core.text import is_ascii_digits
from motcua.units.scoping import user_scope

from .lifecycle import ACTIVE, OPEN
from .models import Dossier, DossierEvent

DUE_SOON_WORKING_DAYS = 1


def dossiers_for_user(user) -> QuerySet:
    """Dossiers received at or handled by the user's centers."""
    scope = user_scope(user)
    qs = Dossier.objects.select_related(
        "procedure_version__procedure", "field", "center", "receiving_center", "department", "assignee"
    )
    if scope.everything:
        return qs
    if not scope.center_ids:
        return qs.none()
    return qs.filter(scope.q("center") | scope.q("receiving_center"))


def dossier_get_for_user(user, code: str) -> Dossier:
    """By dossier code, or by id for intakes that never got a code (supplement/refusal slips)."""
    lookup = {"pk": int(code)} if is_ascii_digits(code) else {"code": code}
    try:
        return dossiers_for_user(user).get(**lookup)
    except Dossier.DoesNotExist:
        raise NotFound(_("Dossier not found.")) from None


def dossier_events(dossier: Dossier) -> QuerySet:
    return DossierEvent.objects.filter(dossier=dossier).select_related("actor", "center").order_by("seq")


def due_soon_threshold(calendar, now: datetime | None = None, days: int = DUE_SOON_WORKING_DAYS) -> datetime:
    """Dossiers due at or before this instant are "due soon": within `days` working days."""
    return calendar.add_working_days(now or timezone.now(), days)


def inbox(
    user,
    *,
    state: str | None = None,
    procedure: str | None = None,
    field: str | None = None,
    channel: str | None = None,
    mine: bool = False,
    overdue: bool = False,
    due_before: datetime | None = None,
    now: datetime | None = None,
) -> QuerySet:
    """Open dossiers for the user's centers, soonest due first (an indexed scan on due_at)."""
    qs = dossiers_for_user(user).filter(state__in=[s.value for s in OPEN])
    if state:
        qs = qs.filter(state=state)
    if procedure:
        qs = qs.filter(procedure_version__procedure__national_code=procedure)
    if field:
        qs = qs.filter(field__code=field)
    if channel:
        qs = qs.filter(channel=channel)
    if mine:
        qs = qs.filter(assignee=user)
    if overdue:  # the clock runs: a dossier paused for supplements is not overdue
        qs = qs.filter(
            state__in=[s.value for s in ACTIVE], paused_at__isnull=True, due_at__lt=now or timezone.now()
        )
    if due_before:
        qs = qs.filter(due_at__lte=due_before)
    return qs.order_by("due_at", "id")


def deadline_status(dossier: Dossier, calendar, now: datetime | None = None) -> str:
    """ "overdue", "due_soon" or "" for an open dossier (paused dossiers are neither)."""
    now = now or timezone.now()
    if dossier.state not in ACTIVE or dossier.due_at is None or dossier.paused_at is not None:
        return ""
    if dossier.due_at < now:
        return "overdue"
    if dossier.due_at <= due_soon_threshold(calendar, now):
        return "due_soon"
    return ""


__all__ = [
    "dossiers_for_user",
    "dossier_get_for_user",
    "dossier_events",
    "inbox",
    "deadline_status",
    "due_soon_threshold",
]
