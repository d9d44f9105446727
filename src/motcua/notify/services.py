"""Every write of the notify app: messages into the outbox (in the caller's transaction), and the
operator's retry and cancel. Delivery itself is in `delivery.py` (run by the worker)."""

from __future__ import annotations

from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, PermissionDenied
from motcua.units.models import Role
from motcua.units.scoping import user_scope

from .conf import conf
from .models import Channel, OutboxMessage, Status

OPERATOR_ROLES = (Role.LEADER, Role.CENTER_ADMIN, Role.PROVINCE_ADMIN)


def destination_for(channel: str, province_id: str | None) -> str:
    return f"{channel}:{province_id or '-'}"


@transaction.atomic
def message_enqueue(
    *,
    key: str,
    channel: str,
    payload: dict,
    destination: str | None = None,
    kind: str = "",
    recipient: str = "",
    center=None,
    province_id: str | None = None,
    dossier_code: str = "",
    order_key: str = "",
    fallback: list[str] | None = None,
    max_attempts: int | None = None,
    at: datetime | None = None,
) -> OutboxMessage:
    """One message into the outbox, in the caller's transaction: it exists exactly when its cause
    commits. The same `key` twice gives back the first message (nothing is sent twice)."""
    at = at or timezone.now()
    existing = OutboxMessage.objects.filter(key=key).first()
    if existing is not None:
        return existing
    message = OutboxMessage.objects.create(
        key=key,
        channel=channel,
        destination=destination or destination_for(channel, province_id),
        kind=kind,
        recipient=recipient[:200],
        payload=payload,
        order_key=order_key,
        center=center,
        province_id=province_id,
        dossier_code=dossier_code or "",
        fallback=list(fallback or []),
        max_attempts=max_attempts or conf("MAX_ATTEMPTS"),
        next_attempt_at=at,
        created_at=at,
    )
    kick_after_commit()
    return message


def kick_after_commit() -> None:
    """Start a drain once the transaction commits (once per transaction, however many messages)."""
    from . import tasks

    pending = getattr(connection, "run_on_commit", [])
    if any(entry[1] is tasks.kick for entry in pending):
        return
    transaction.on_commit(tasks.kick, robust=True)  # a saved action never fails on its notification


def _check_operator(actor, message: OutboxMessage) -> None:
    scope = user_scope(actor)
    if scope.everything:
        return
    if message.center_id is None or not scope.has_role(message.center_id, *OPERATOR_ROLES):
        raise PermissionDenied(_("Only a leader or an administrator of the unit can do this."))


@transaction.atomic
def message_retry(*, actor, message: OutboxMessage, at: datetime | None = None) -> OutboxMessage:
    """Send a dead, cancelled or waiting message again now, with a fresh count of attempts."""
    _check_operator(actor, message)
    locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if locked.status in (Status.DELIVERED, Status.FELL_BACK, Status.SENDING):
        raise Conflict(
            _("This message is %(status)s; it cannot be retried.") % {"status": locked.get_status_display()},
            code="not_retryable",
        )
    at = at or timezone.now()
    locked.status = Status.PENDING
    locked.attempts = 0
    locked.next_attempt_at = at
    locked.lease_until = None
    locked.last_error = ""
    locked.save(update_fields=["status", "attempts", "next_attempt_at", "lease_until", "last_error"])
    kick_after_commit()
    return locked


@transaction.atomic
def message_cancel(*, actor, message: OutboxMessage) -> OutboxMessage:
    """Stop trying a message that has not been delivered (a later one of its dossier may then go)."""
    _check_operator(actor, message)
    locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if locked.status not in (Status.PENDING, Status.DEAD):
        raise Conflict(
            _("This message is %(status)s; it cannot be cancelled.")
            % {"status": locked.get_status_display()},
            code="not_cancellable",
        )
    locked.status = Status.CANCELLED
    locked.save(update_fields=["status"])
    kick_after_commit()
    return locked


CITIZEN_CHANNELS = (Channel.ZNS, Channel.SMS, Channel.EMAIL)


def email_enqueue(
    *, key: str, to: str, subject: str, body: str, kind: str = "", center=None, deliver_now: bool = False
) -> OutboxMessage:
    """An e-mail through the outbox (in the caller's transaction). With `deliver_now` a first
    attempt is made right after the commit, so a page can honestly say "sent" when it was."""
    province_id = center.commune.province_id if center is not None else None
    message = message_enqueue(
        key=key,
        channel=Channel.EMAIL,
        kind=kind,
        recipient=to,
        payload={"email": {"to": to, "subject": subject, "body": body}},
        center=center,
        province_id=province_id,
    )
    if deliver_now:
        transaction.on_commit(lambda: _attempt_now(key))
    return message


def _attempt_now(key: str) -> None:
    from . import delivery

    try:
        delivery.attempt_now(key)
    except Exception:  # the worker retries it; the caller's page says "will be sent"
        import logging

        logging.getLogger(__name__).exception("First attempt of %s failed", key)
