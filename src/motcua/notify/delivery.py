"""Delivery of the outbox: claim due messages, send each outside any transaction, record the
result. Run by the worker (`tasks.drain_outbox`) or `motcua notify drain`.

Claiming locks rows with `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, so several workers
share the work; SQLite (one writer, `BEGIN IMMEDIATE`) serializes the claims instead. A claimed
message carries a lease: if its worker dies, the message is claimed again when the lease runs out
(at-least-once), and the receiver's idempotency key turns that into exactly-once where it can.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from . import rules
from .channels import Result, send
from .conf import conf
from .models import BLOCKING, Channel, DestinationBreaker, OutboxMessage, Status

logger = logging.getLogger(__name__)


@dataclass
class DrainStats:
    delivered: int = 0
    failed: int = 0
    deferred: int = 0
    claimed: int = 0
    ids: list[int] = field(default_factory=list)


def _due(now: datetime) -> Q:
    return Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(status=Status.SENDING, lease_until__lt=now)


def _not_blocked():
    """No earlier message of the same order key (a dossier's portal calls) is still open or dead."""
    earlier = OutboxMessage.objects.filter(
        order_key=OuterRef("order_key"), id__lt=OuterRef("id"), status__in=BLOCKING
    )
    return Q(order_key="") | ~Exists(earlier)


def _breaker(row: DestinationBreaker | None) -> rules.Breaker:
    if row is None:
        return rules.Breaker()
    return rules.Breaker(row.state, row.failures, row.open_until, row.trips)


def _save_breaker(destination: str, breaker: rules.Breaker) -> None:
    DestinationBreaker.objects.update_or_create(
        destination=destination,
        defaults={
            "state": breaker.state,
            "failures": breaker.failures,
            "open_until": breaker.open_until,
            "trips": breaker.trips,
        },
    )


@transaction.atomic
def claim(*, now: datetime, limit: int, lease: float) -> tuple[list[OutboxMessage], int]:
    """Reserve up to `limit` due messages for this worker; defer those whose destination rests."""
    candidates = list(
        OutboxMessage.objects.select_for_update(skip_locked=True)
        .filter(_due(now))
        .filter(_not_blocked())
        .order_by("id")[:limit]
    )
    if not candidates:
        return [], 0
    destinations = {m.destination for m in candidates}
    breakers = {
        row.destination: row
        for row in DestinationBreaker.objects.select_for_update().filter(destination__in=destinations)
    }
    state = {d: _breaker(breakers.get(d)) for d in destinations}
    lease_until = now + timedelta(seconds=lease)
    taken, deferred = [], []
    for message in candidates:
        breaker = state[message.destination]
        if breaker.state == rules.CLOSED:
            # A success through a healthy destination then needs no breaker bookkeeping; after a
            # failure it must clear the count (only failures in a row open the breaker).
            message.breaker_closed = breaker.failures == 0
            taken.append(message)
        elif rules.breaker_allows(breaker, now):
            state[message.destination] = rules.breaker_probe(breaker, now, lease=lease)
            _save_breaker(message.destination, state[message.destination])
            taken.append(message)
        elif breaker.state == rules.OPEN:
            deferred.append(message)
        # else: a probe of this destination is out; the message stays due for the next round
    for message in deferred:  # not an attempt: the destination is resting
        message.next_attempt_at = state[message.destination].open_until or lease_until
        message.status = Status.PENDING
        message.lease_until = None
    if deferred:
        OutboxMessage.objects.bulk_update(deferred, ["next_attempt_at", "status", "lease_until"])
    for message in taken:
        message.status = Status.SENDING
        message.lease_until = lease_until
    if taken:
        OutboxMessage.objects.bulk_update(taken, ["status", "lease_until"])
    return taken, len(deferred)


@transaction.atomic
def finish(*, message: OutboxMessage, result: Result, now: datetime, jitter: float | None = None) -> str:
    """Record one attempt: delivered; or retried later with backoff; or dead-lettered (or handed
    to the next citizen channel) after its last attempt or a permanent refusal."""
    if result.ok and getattr(message, "breaker_closed", False):
        # The common case in one statement: delivered through a healthy destination.
        done = OutboxMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
            status=Status.DELIVERED,
            delivered_at=now,
            cost=result.cost,
            attempts=F("attempts") + 1,
            last_error="",
            lease_until=None,
            response=(result.response or "")[:2000],
        )
        if done:
            return Status.DELIVERED
    locked = OutboxMessage.objects.select_for_update().filter(pk=message.pk).first()
    if locked is None or locked.status in (Status.DELIVERED, Status.FELL_BACK, Status.CANCELLED):
        return locked.status if locked else "gone"
    before, after = _breaker_result(locked.destination, ok=result.ok or result.permanent, now=now)
    locked.lease_until = None
    locked.response = (result.response or "")[:2000]
    if not result.ok and not result.permanent and before.state != rules.CLOSED:
        # A failed probe says the destination is still down, not that this message is bad: no
        # attempt is spent, and the message waits behind the others so the next probe rotates.
        locked.last_error = (result.error or "")[:2000]
        locked.status = Status.PENDING
        locked.next_attempt_at = (after.open_until or now) + timedelta(
            seconds=rules.backoff_seconds(
                locked.attempts + 1, base=conf("BACKOFF_BASE"), cap=conf("BACKOFF_CAP"), jitter=1.0
            )
        )
        locked.save()
        return locked.status
    locked.attempts += 1
    if result.ok:
        locked.status = Status.DELIVERED
        locked.delivered_at = now
        locked.cost = result.cost
        locked.last_error = ""
    else:
        locked.last_error = (result.error or "")[:2000]
        if result.permanent or locked.attempts >= locked.max_attempts:
            locked.status = Status.FELL_BACK if _fall_back(locked, now) else Status.DEAD
        else:
            draw = random.random() if jitter is None else jitter
            wait = rules.backoff_seconds(
                locked.attempts, base=conf("BACKOFF_BASE"), cap=conf("BACKOFF_CAP"), jitter=draw
            )
            locked.status = Status.PENDING
            locked.next_attempt_at = now + timedelta(seconds=wait)
    locked.save()
    return locked.status


def _breaker_result(destination: str, *, ok: bool, now: datetime) -> tuple[rules.Breaker, rules.Breaker]:
    row = DestinationBreaker.objects.select_for_update().filter(destination=destination).first()
    before = _breaker(row)
    after = rules.breaker_after(
        before,
        ok=ok,
        now=now,
        threshold=conf("BREAKER_THRESHOLD"),
        cooldown=conf("BREAKER_COOLDOWN"),
        max_cooldown=conf("BREAKER_MAX_COOLDOWN"),
    )
    if after != before:
        _save_breaker(destination, after)
    return before, after


def _fall_back(message: OutboxMessage, now: datetime) -> bool:
    """A citizen message that failed on its channel goes on through the next one of its chain."""
    from .services import destination_for, message_enqueue

    chain = [c for c in message.fallback if c in message.payload]
    if message.channel not in (Channel.ZNS, Channel.SMS, Channel.EMAIL) or not chain:
        return False
    nxt, rest = chain[0], chain[1:]
    message_enqueue(
        key=f"{message.key}>{nxt}",
        channel=nxt,
        destination=destination_for(nxt, message.province_id),
        kind=message.kind,
        recipient=message.payload[nxt].get("to", ""),
        payload=message.payload,
        center=message.center,
        province_id=message.province_id,
        dossier_code=message.dossier_code,
        fallback=rest,
        max_attempts=message.max_attempts,
        at=now,
    )
    OutboxMessage.objects.filter(key=f"{message.key}>{nxt}").update(previous=message)
    return True


def deliver(message: OutboxMessage, now: datetime) -> Result:
    try:
        return send(message, now)
    except Exception as exc:  # a broken adapter or network: retried like any failure
        logger.warning("Delivery of %s failed: %s", message.key, exc)
        return Result(ok=False, error=f"{type(exc).__name__}: {exc}")


def drain(
    *, now: datetime | None = None, limit: int | None = None, clock=None, rounds: int = 1000
) -> DrainStats:
    """Deliver every message due at `now` (or the clock's time), batch after batch."""
    stats = DrainStats()
    batch = limit or conf("BATCH")
    lease = conf("LEASE")
    for _round in range(rounds):
        moment = now or (clock() if clock else timezone.now())
        taken, deferred = claim(now=moment, limit=batch, lease=lease)
        stats.deferred += deferred
        if not taken:
            if deferred:
                continue
            break
        stats.claimed += len(taken)
        resting: dict[str, datetime] = {}
        for message in taken:
            moment = now or (clock() if clock else timezone.now())
            if message.destination in resting:  # its breaker opened during this batch
                stats.deferred += release(message, until=resting[message.destination])
                continue
            status = finish(message=message, result=deliver(message, moment), now=moment)
            if status == Status.DELIVERED:
                stats.delivered += 1
                stats.ids.append(message.pk)
                continue
            stats.failed += 1
            row = DestinationBreaker.objects.filter(destination=message.destination).first()
            if row is not None and row.state == rules.OPEN and row.open_until:
                resting[message.destination] = row.open_until
    return stats


def release(message: OutboxMessage, *, until: datetime) -> int:
    """Give back a claimed message unsent (no attempt counted), due again at `until`."""
    return OutboxMessage.objects.filter(
        pk=message.pk, status=Status.SENDING, lease_until=message.lease_until
    ).update(status=Status.PENDING, lease_until=None, next_attempt_at=until)


def attempt_now(key: str, *, now: datetime | None = None) -> str | None:
    """One attempt at a single message right away (after the commit that wrote it), if it is due,
    not held behind an earlier one, and its destination is not resting. The worker does the rest."""
    now = now or timezone.now()
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(key=key)
            .filter(_due(now))
            .filter(_not_blocked())
            .first()
        )
        if message is None:
            return None
        row = DestinationBreaker.objects.filter(destination=message.destination).first()
        if row is not None and row.state != rules.CLOSED:
            return None
        message.status = Status.SENDING
        message.lease_until = now + timedelta(seconds=conf("LEASE"))
        message.save(update_fields=["status", "lease_until"])
    return finish(message=message, result=deliver(message, now), now=now)


def next_due(now: datetime) -> datetime | None:
    """When the earliest waiting message falls due (for the sweep)."""
    row = (
        OutboxMessage.objects.filter(status__in=(Status.PENDING, Status.SENDING))
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", "status", "lease_until")
        .first()
    )
    if row is None:
        return None
    return row[2] if row[1] == Status.SENDING and row[2] else row[0]
