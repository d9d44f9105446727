"""Writes of the security app: the read audit (one insert per read), its purge, the proof that a
citizen's ID card was scanned at a desk, and the reset of a lost authenticator.

`purge_expired_read_audit()` is meant to be called daily by the worker's scheduler.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.core.errors import NotFound, PermissionDenied
from motcua.units.models import Role, StaffRole
from motcua.units.scoping import user_scope

from .models import (
    BackupCode,
    CitizenPresence,
    ReadAction,
    ReadAudit,
    SecurityEvent,
    SecurityEventKind,
)

logger = logging.getLogger(__name__)

DEFAULT_READ_AUDIT_DAYS = 365
DEFAULT_PRESENCE_MINUTES = 120


def _ip(request) -> str | None:
    """The client's address when it is one (a forwarded header may hold anything)."""
    if request is None:
        return None
    from motcua.core.ratelimit import client_ip

    try:
        return str(ipaddress.ip_address(client_ip(request).strip()))
    except ValueError:
        return None


# -- the read audit -------------------------------------------------------------------------------
def read_record(
    *,
    user,
    action: str,
    request=None,
    channel: str = "page",
    center_id: int | None = None,
    other_center_id: int | None = None,
    province_id: str | None = None,
    dossier_id: int | None = None,
    target: str = "",
    detail: dict | None = None,
) -> ReadAudit | None:
    """Record that `user` read personal data: one INSERT, nothing else (hot pages call this)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return ReadAudit.objects.create(
        user_id=user.pk,
        action=action,
        channel=channel,
        center_id=center_id,
        other_center_id=other_center_id if other_center_id != center_id else None,
        province_id=province_id,
        dossier_id=dossier_id,
        target=str(target)[:120],
        detail=detail or {},
        ip=_ip(request),
    )


def dossier_read_record(
    *,
    user,
    dossier,
    action: str = ReadAction.DOSSIER_VIEW,
    request=None,
    channel: str = "page",
    target: str = "",
    detail: dict | None = None,
):
    """A read of one dossier (its page, a slip, a document), visible to both of its centers."""
    return read_record(
        user=user,
        action=action,
        request=request,
        channel=channel,
        center_id=dossier.center_id,
        other_center_id=dossier.receiving_center_id,
        dossier_id=dossier.pk,
        target=target or dossier.code or str(dossier.pk),
        detail=detail,
    )


def read_audit_days() -> int:
    return int(getattr(settings, "MOTCUA_READ_AUDIT_DAYS", DEFAULT_READ_AUDIT_DAYS))


@transaction.atomic
def purge_expired_read_audit(*, now: datetime | None = None, days: int | None = None) -> int:
    """Drop read-audit rows older than the retention (`MOTCUA_READ_AUDIT_DAYS`, default 365 days).
    The only deletion of audit rows the app makes. Returns how many rows went."""
    keep = read_audit_days() if days is None else int(days)
    cutoff = (now or timezone.now()) - timedelta(days=keep)
    removed = ReadAudit.objects.filter(at__lt=cutoff)._purge()
    if removed:
        logger.info("Purged %d read-audit rows older than %s", removed, cutoff.isoformat())
    return removed


# -- citizen presence (consent to re-use papers from other communes) ------------------------------
def presence_minutes() -> int:
    return int(getattr(settings, "MOTCUA_PRESENCE_MINUTES", DEFAULT_PRESENCE_MINUTES))


@transaction.atomic
def presence_record(*, officer, center, id_number: str, raw_card: str) -> CitizenPresence:
    """The citizen's ID card QR was read at `officer`'s desk (server side, from the scan itself)."""
    return CitizenPresence.objects.create(
        officer=officer,
        center=center,
        id_number=id_number,
        card_digest=hashlib.sha256(raw_card.encode()).hexdigest(),
    )


def presence_for(*, officer, id_number: str, now: datetime | None = None) -> CitizenPresence | None:
    """The latest scan of this citizen's card at `officer`'s desk within the consent window."""
    if officer is None or not getattr(officer, "is_authenticated", False) or not id_number:
        return None
    since = (now or timezone.now()) - timedelta(minutes=presence_minutes())
    return (
        CitizenPresence.objects.filter(officer=officer, id_number=id_number, scanned_at__gte=since)
        .order_by("-scanned_at")
        .first()
    )


# -- second factor administration -----------------------------------------------------------------
def _reset_center(actor, user) -> int | None:
    """A center where `actor` administers and `user` works (None for a superuser's reset)."""
    if actor.is_superuser:
        return None
    scope = user_scope(actor)
    admin_centers = {
        c for c, roles in scope.roles_by_center.items() if roles & {Role.CENTER_ADMIN, Role.PROVINCE_ADMIN}
    }
    for center_id in StaffRole.objects.filter(user=user, center__isnull=False).values_list(
        "center_id", flat=True
    ):
        if center_id in admin_centers:
            return center_id
    raise NotFound(_("Staff member not found."))


@transaction.atomic
def authenticator_reset(*, actor, user, reason: str = "") -> int:
    """A center administrator removes a staff member's lost authenticator (and backup codes): the
    next sign-in enrols a new one. Recorded as a security event. Returns the devices removed."""
    if user.pk == actor.pk:
        raise PermissionDenied(_("You cannot reset your own authenticator; ask another administrator."))
    if user.is_superuser and not actor.is_superuser:
        raise NotFound(_("Staff member not found."))
    if StaffRole.objects.filter(user=user, role=Role.PROVINCE_ADMIN).exists() and not actor.is_superuser:
        raise PermissionDenied(_("A province administrator's authenticator is reset by a superuser."))
    center_id = _reset_center(actor, user)
    removed, _detail = TOTPDevice.objects.filter(user=user).delete()
    BackupCode.objects.filter(user=user).delete()
    SecurityEvent.objects.create(
        kind=SecurityEventKind.AUTHENTICATOR_RESET,
        actor=actor,
        subject=user,
        center_id=center_id,
        detail={"devices": removed, "reason": reason[:500]},
    )
    return removed


def security_event_record(*, kind: str, actor, subject, center_id=None, detail=None) -> SecurityEvent:
    return SecurityEvent.objects.create(
        kind=kind, actor=actor, subject=subject, center_id=center_id, detail=detail or {}
    )
