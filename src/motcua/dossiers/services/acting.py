"""Taking lifecycle actions: lock → check → apply → record the event → save.

What each action does, who may take it and what it is called are declared once in
`dossiers.lifecycle`; this module only runs the declarations.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, DomainError, ValidationFailed
from motcua.core.text import nfc
from motcua.units.models import Role
from motcua.units.scoping import user_scope

from .. import lifecycle
from ..lifecycle import process
from ..models import Dossier, DossierEvent, State
from .recording import record_event


def _roles_for(dossier: Dossier, user, action: lifecycle.Action, scope=None) -> frozenset[str]:
    scope = scope or user_scope(user)
    reception = action.side == lifecycle.RECEPTION
    roles = scope.roles_in(dossier.receiving_center_id if reception else dossier.center_id)
    if action.either_side and dossier.center_id != dossier.receiving_center_id:
        roles = roles | scope.roles_in(dossier.center_id)
    return roles


def _context(dossier: Dossier, actor, at: datetime, **inputs) -> lifecycle.Context:
    steps = process.processing_steps(dossier.procedure_version)
    return lifecycle.Context(
        dossier=dossier,
        actor=actor,
        at=at,
        from_state=dossier.state,
        calendar=None,
        steps=steps,
        step=process.step_at(steps, dossier.step_position),
        **inputs,
    )


def _refusal(ctx: lifecycle.Context, action: lifecycle.Action | None, scope=None) -> str | None:
    """Why `ctx.actor` cannot take `action` on the dossier now, or None when they can."""
    dossier = ctx.dossier
    if action is None or not action.offered:
        return _("Unknown action.")
    if dossier.state not in action.sources:
        return _("This action is not possible while the dossier is “%(state)s”.") % {
            "state": dossier.get_state_display()
        }
    step = ctx.step
    step_role = step.role if step else (Role.SPECIALIST if dossier.state == State.IN_PROGRESS else None)
    if not lifecycle.role_allows(action.roles, _roles_for(dossier, ctx.actor, action, scope), step_role):
        return _("Your role does not allow this action on this dossier.")
    return action.check(ctx) if action.check else None


def available_actions(dossier: Dossier, user) -> list[str]:
    """The actions `user` can take on `dossier` now, in declaration order: pages and API use this."""
    ctx = _context(dossier, user, timezone.now())
    scope = user_scope(user)
    return [a.name for a in lifecycle.offered() if _refusal(ctx, a, scope) is None]


def _lock(dossier: Dossier) -> Dossier:
    return (
        Dossier.objects.select_for_update()
        .select_related("procedure_version__procedure", "center__commune", "receiving_center__commune")
        .get(pk=dossier.pk)
    )


def _apply(ctx: lifecycle.Context, action: lifecycle.Action, extra: dict | None = None) -> DossierEvent:
    """Apply `action` to the locked dossier and record its event (no checks: the caller made them)."""
    dossier = ctx.dossier
    ctx.from_state = dossier.state
    if action.target is not None:
        dossier.state = action.target
    payload = (action.apply(ctx) if action.apply else None) or {}
    payload |= extra or {}
    center = dossier.receiving_center if action.side == lifecycle.RECEPTION else dossier.center
    return record_event(
        dossier,
        action=action.name,
        from_state=ctx.from_state,
        actor=ctx.actor,
        center=center,
        at=ctx.at,
        reason=ctx.reason,
        payload=payload,
    )


@transaction.atomic
def dossier_act(
    *,
    actor,
    dossier: Dossier,
    action: str,
    reason: str = "",
    assignee_id: int | None = None,
    to_step: int | None = None,
    new_due: date | None = None,
    agency: str = "",
    budget_days: Decimal | None = None,
    method: str = "",
    problems: list[str] | None = None,
    at: datetime | None = None,
) -> Dossier:
    """Take one lifecycle action. Refuses, with a clear message and no change, what the declaration,
    the role or the rules do not allow."""
    at = at or timezone.now()
    dossier = _lock(dossier)
    declared = lifecycle.get(action)
    ctx = _context(
        dossier,
        actor,
        at,
        reason=nfc(reason),
        assignee_id=assignee_id,
        to_step=to_step,
        new_due=new_due,
        agency=agency,
        budget_days=budget_days,
        method=method,
        problems=list(problems or []),
    )
    refusal = _refusal(ctx, declared)
    if refusal:
        raise Conflict(refusal, code="action_not_allowed")
    if declared.needs_reason and not ctx.reason and not [p for p in ctx.problems if nfc(p)]:
        raise ValidationFailed(_("Give the reason."), field="reason")
    ctx.calendar = process.calendar_of(dossier)
    _apply(ctx, declared)
    _follow(ctx)
    dossier.save()
    return dossier


def _follow(ctx: lifecycle.Context) -> None:
    while ctx.follow:  # e.g. a received electronic dossier goes to the department at once
        follow, ctx.follow = lifecycle.get(ctx.follow), None
        ctx.step = process.step_at(ctx.steps, ctx.dossier.step_position)
        _apply(ctx, follow)


def follow_up(dossier: Dossier, *, actor, at: datetime, action: str) -> None:
    """Apply `action` right after the event that created or changed `dossier` in this transaction,
    as the rules require (an electronic dossier received at intake is transferred at once)."""
    ctx = _context(dossier, actor, at)
    ctx.calendar = process.calendar_of(dossier)
    ctx.follow = action
    _follow(ctx)


@transaction.atomic
def dossier_record(
    *,
    actor,
    dossier: Dossier,
    action: str,
    payload: dict | None = None,
    reason: str = "",
    at: datetime | None = None,
) -> DossierEvent:
    """Record a declared event that people do not take from a button (a confirmed payment, a signed
    result): the dossier keeps its state; the event joins the hash chain and reaches the listeners.
    The declaration's `apply`, when given, may change the dossier's stored fields."""
    declared = lifecycle.get(action)
    if declared is None or declared.offered:
        raise DomainError(_("Unknown action."), code="unknown_action")
    dossier = _lock(dossier)
    if declared.sources and dossier.state not in declared.sources:
        raise Conflict(
            _("This action is not possible while the dossier is “%(state)s”.")
            % {"state": dossier.get_state_display()},
            code="action_not_allowed",
        )
    ctx = _context(dossier, actor, at or timezone.now(), reason=nfc(reason))
    ctx.calendar = process.calendar_of(dossier)
    event = _apply(ctx, declared, extra=payload)
    dossier.save()
    return event
