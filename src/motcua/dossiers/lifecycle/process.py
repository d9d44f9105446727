"""The internal process and the clock: what actions do to a dossier's step, department and dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import ProcedureVersion, ProcessStep
from motcua.core.errors import DomainError, ValidationFailed
from motcua.units.models import Department, Role
from motcua.workdays.selectors import calendar_for_center

from ..models import Dossier


def iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def processing_steps(version: ProcedureVersion) -> list[ProcessStep]:
    """The steps a dossier moves through after reception: the internal process without a leading
    reception step and a trailing return step (both desk-officer work done by intake and return)."""
    steps = list(version.steps.all())
    while steps and steps[0].role == Role.DESK_OFFICER:
        steps.pop(0)
    while steps and steps[-1].role == Role.DESK_OFFICER:
        steps.pop()
    return steps


def step_at(steps: list[ProcessStep], position: int | None) -> ProcessStep | None:
    if position is None:
        return None
    return next((s for s in steps if s.position == position), None)


def calendar_of(dossier: Dossier):
    """The handling center's calendar, looked up once per dossier object: one action touches it
    several times (clock, step budget, outcome) and each lookup costs a query."""
    cached = getattr(dossier, "_handling_calendar", None)
    if cached is None or cached[0] != dossier.center_id:
        cached = (dossier.center_id, calendar_for_center(dossier.center))
        dossier._handling_calendar = cached
    return cached[1]


def enter_step(dossier: Dossier, step: ProcessStep | None, at: datetime, assignee=None) -> None:
    calendar = calendar_of(dossier)
    dossier.step_position = step.position if step else None
    dossier.assignee = assignee
    department = None
    if step and step.department_code:
        department = Department.objects.filter(center=dossier.center, code=step.department_code).first()
    dossier.department = department or dossier.department
    if step:
        dossier.step_due_at = calendar.add_working_hours(at, step.budget_days * calendar.daily_hours())
    else:
        dossier.step_due_at = dossier.due_at


def start_clock(dossier: Dossier, at: datetime) -> None:
    calendar = calendar_of(dossier)
    dossier.clock_started_at = at
    dossier.due_at = calendar.due(at, dossier.procedure_version.time_limit)
    dossier.paused_at = None


def transfer_due(dossier: Dossier, at: datetime) -> datetime:
    """Paper dossiers go to the department the same working day, or by the next morning when
    received after the cut-off."""
    calendar = calendar_for_center(dossier.receiving_center)
    local = timezone.localtime(at, calendar.tz)
    if calendar.is_working_day(local.date()) and local.time() <= calendar.cutoff:
        return calendar.close_of(local.date())
    next_day = calendar.next_working_day(local.date())
    return calendar.intervals(next_day)[0][1]


def reappoint(dossier: Dossier, *, calendar, new_due: date | None, at: datetime) -> None:
    """Slip 04: once, at least one working day of office time before the due instant; the new
    appointment is the close of a later working day."""
    if dossier.due_at is None:
        raise DomainError(_("The dossier has no appointment to reset."), code="no_appointment")
    if new_due is None:
        raise ValidationFailed(_("Give the new appointment date."), field="new_due")
    if calendar.office_time_between(at, dossier.due_at) < timedelta(hours=float(calendar.daily_hours())):
        raise DomainError(
            _("An apology and new appointment must be issued at least one working day before the due date."),
            code="too_late_to_reappoint",
        )
    if not calendar.is_working_day(new_due):
        raise ValidationFailed(_("The new appointment must fall on a working day."), field="new_due")
    new_instant = calendar.close_of(new_due)
    if new_instant <= dossier.due_at:
        raise ValidationFailed(_("The new appointment must be later than the current one."), field="new_due")
    dossier.due_at = new_instant
    dossier.reappointed = True


def staff_of(center, user_id, roles: set[str]):
    from motcua.units.models import StaffRole

    staff = (
        StaffRole.objects.filter(center=center, user_id=user_id, role__in=roles)
        .select_related("user")
        .first()
    )
    if staff is None:
        raise ValidationFailed(
            _("The assignee must be staff of the handling center with the step's role."), field="assignee"
        )
    return staff.user
