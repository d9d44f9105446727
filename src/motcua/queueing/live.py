"""Live updates for boards, ticket pages and consoles: server-sent events, one stream per center.

Every ticket step writes a TicketEvent row in its transaction; after the commit the writer
builds the center's message once (the new calls and the board) and publishes it on the Redis
channel `motcua:queue:<center>` when MOTCUA_QUEUE_REDIS_URL (or MOTCUA_REDIS_URL) is set, so
every web process's open streams forward it at once. Without Redis (the one-command SQLite
demo) the streams fall back to polling the event table every POLL_SECONDS.

The event id of each SSE message is the last TicketEvent id: a board that reconnects sends it
back as Last-Event-ID and gets the current board and any call it missed (catch up). A stream
ends after STREAM_SECONDS so a worker thread is never held for ever; EventSource reconnects by
itself after `retry` milliseconds.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import close_old_connections, connection, transaction

from .hub import LOST, hub_for

log = logging.getLogger(__name__)

POLL_SECONDS = 0.25
HEARTBEAT_SECONDS = 15
STREAM_SECONDS = 300
RETRY_MS = 1000
_clients: dict[str, object] = {}
_open = 0
_open_lock = threading.Lock()
# Opening a stream reads the database (the center, its board, the last event). At most this many
# openings of one process do so at once: two hundred boards reconnecting together (after a server
# restart) then wait a few milliseconds each instead of opening two hundred PostgreSQL connections
# (100 is PostgreSQL's default max_connections; beyond it every request of the site fails).
_db_slots = threading.BoundedSemaphore(int(os.environ.get("MOTCUA_QUEUE_STREAM_DB_SLOTS", "4")))


def streams_open(change: int = 0) -> int:
    """How many streams this process serves now (each holds a worker thread)."""
    global _open
    with _open_lock:
        _open += change
        return _open


def redis_url() -> str:
    return (
        getattr(settings, "MOTCUA_QUEUE_REDIS_URL", None)
        or os.environ.get("MOTCUA_QUEUE_REDIS_URL")
        or os.environ.get("MOTCUA_REDIS_URL")
        or ""
    )


def channel(center_id: int | str) -> str:
    """Redis pub/sub channels ignore the database number: the database's name keeps two
    deployments (or two test runs) sharing one Redis apart. `channel("*")`: every center's."""
    return f"motcua:queue:{connection.settings_dict['NAME']}:{center_id}"


def _client():
    url = redis_url()
    if not url:
        return None
    client = _clients.get(url)
    if client is None:
        import redis

        client = _clients[url] = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
    return client


def publish(center_id: int, event_id: int | None = None) -> None:
    """Send the center's message after the current transaction commits (never for a rolled-back
    step). `event_id`: the step's TicketEvent, announced when it is a call."""
    after = event_id - 1 if event_id else None
    transaction.on_commit(lambda: _send(center_id, after))


def _last_event_id(center_id: int) -> int:
    from .models import TicketEvent

    return (
        TicketEvent.objects.filter(center_id=center_id).order_by("-id").values_list("id", flat=True).first()
        or 0
    )


def _send(center_id: int, after_id: int | None) -> None:
    client = _client()
    if client is None:
        return
    from .selectors import message

    try:
        payload = message(center_id, after_id)
        client.publish(channel(center_id), published(payload))
    except Exception:  # the boards catch up by polling their stream; a call never fails for them
        log.exception("queue: could not publish to Redis")


def _release(*, close: bool = False) -> None:
    """Give back the database connection: a stream fed by Redis closes it (hundreds of open
    boards must not hold hundreds of PostgreSQL connections); a polling stream keeps it unless
    it is obsolete. Never inside a transaction (a test's, or a caller's)."""
    if connection.in_atomic_block:
        return
    if close:
        connection.close()
    else:
        close_old_connections()


@contextmanager
def db_slot(*, close: bool):
    """Read the database for a stream's opening within the process's few slots, then give the
    connection back (`close`: when Redis feeds the stream, nothing else of it needs one)."""
    with _db_slots:
        try:
            yield
        finally:
            _release(close=close)


def _hub():
    """The process's Redis hub (see hub.py), or None without Redis."""
    client = _client()
    return None if client is None else hub_for(client, redis_url(), channel("*"))


def sse(payload: dict) -> bytes:
    return f"id: {payload['id']}\nevent: queue\ndata: {json.dumps(payload, ensure_ascii=False)}\n\n".encode()


def published(payload: dict) -> bytes:
    """What goes through Redis: the event id on its own line, then the SSE bytes. The message is
    encoded once by the writer; each of the hundreds of open streams forwards the bytes as they
    are (decoding and encoding the board again in every stream cost the counters' calls most of
    a core with 200 boards connected)."""
    return f"{payload['id']}\n".encode() + sse(payload)


def unpublished(data: bytes) -> tuple[int, bytes]:
    head, _, body = data.partition(b"\n")
    return int(head), body


def stream(center_id: int, last_event_id: int | None, *, seconds: float | None = None) -> Iterator[bytes]:
    """The SSE byte stream of one center for one client, for `seconds` (STREAM_SECONDS, read at
    each call: tests shorten it)."""
    from .selectors import message

    seconds = STREAM_SECONDS if seconds is None else seconds

    yield f"retry: {RETRY_MS}\n\n".encode()
    # Joined first, read second: a call committed before the read is in the first message, one
    # committed after it arrives through the hub (a repeat is skipped by its event id).
    hub = _hub()
    name = channel(center_id)
    inbox = hub.join(name) if hub is not None else None
    if hub is not None and inbox is None:
        log.warning("queue: Redis unavailable, the stream polls the database")
    with db_slot(close=inbox is not None):
        current = message(center_id, last_event_id)
    yield sse(current)
    last = current["id"]
    deadline = time.monotonic() + seconds
    beat = time.monotonic() + HEARTBEAT_SECONDS
    try:
        while time.monotonic() < deadline:
            if inbox is not None:
                try:
                    data = inbox.get(timeout=1.0)
                except queue.Empty:
                    data = b""
                if data is LOST:
                    inbox = None  # the hub lost Redis: poll the database from now on
                    continue
                if data:
                    event_id, body = unpublished(data)
                    if event_id > last:
                        last = event_id
                        yield body
                        beat = time.monotonic() + HEARTBEAT_SECONDS
            else:
                time.sleep(POLL_SECONDS)
                latest = _last_event_id(center_id)
                if latest > last:
                    current = message(center_id, last)
                    last = current["id"]
                    yield sse(current)
                    beat = time.monotonic() + HEARTBEAT_SECONDS
                _release()
            if time.monotonic() >= beat:
                yield b": ping\n\n"
                beat = time.monotonic() + HEARTBEAT_SECONDS
    finally:
        if inbox is not None:
            hub.leave(name, inbox)
        _release()
