"""Reads of the outbox, scoped by the user's units (a message belongs to its dossier's center;
messages without a center, such as province-wide ones, only superusers see)."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound
from motcua.units.scoping import scope_queryset

from .models import Channel, OutboxMessage, Status


def messages_for_user(user, *, status: str = "", channel: str = "", q: str = "") -> QuerySet:
    qs = scope_queryset(OutboxMessage.objects.select_related("center"), user)
    if status in Status.values:
        qs = qs.filter(status=status)
    if channel in Channel.values:
        qs = qs.filter(channel=channel)
    q = (q or "").strip()
    if q:
        qs = qs.filter(dossier_code__startswith=q) | qs.filter(recipient=q) | qs.filter(key=q)
    return qs.order_by("-id")


def message_get_for_user(user, pk) -> OutboxMessage:
    try:
        return scope_queryset(OutboxMessage.objects.select_related("center"), user).get(pk=int(pk))
    except (OutboxMessage.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Message not found.")) from None


def counts_for_user(user) -> dict[str, int]:
    rows = scope_queryset(OutboxMessage.objects.all(), user).values("status").annotate(n=Count("id"))
    found = {row["status"]: row["n"] for row in rows}
    return {value: found.get(value, 0) for value in Status.values}


def message_status(key: str) -> str | None:
    """The status of the message with this idempotency key, or of the last channel it fell back
    to; None when there is no such message."""
    status = OutboxMessage.objects.filter(key=key).values_list("status", flat=True).first()
    while status == Status.FELL_BACK:
        nxt = OutboxMessage.objects.filter(previous__key=key).values_list("key", "status").first()
        if nxt is None:
            break
        key, status = nxt
    return status
