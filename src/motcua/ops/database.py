"""Telling "the database is unreachable" apart from other errors, and waiting for it to come back."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.db import DatabaseError, InterfaceError, OperationalError, connections

logger = logging.getLogger("motcua.ops")

# psycopg/sqlite3 wrap "connection refused", "server closed the connection", "the database system
# is shutting down", "database is locked": Django raises them as OperationalError/InterfaceError.
UNAVAILABLE = (OperationalError, InterfaceError)


# SQLite reports a missing table as an OperationalError too: that is a setup error, not an outage.
NOT_AN_OUTAGE = ("no such table", "no such column", "syntax error")


def is_unavailable(exc: BaseException | None) -> bool:
    """True for errors that say the database cannot be reached now (retrying later helps)."""
    while exc is not None:
        if isinstance(exc, UNAVAILABLE):
            return not any(text in str(exc) for text in NOT_AN_OUTAGE)
        exc = exc.__cause__ or exc.__context__ if isinstance(exc, DatabaseError) else None
    return False


def drop_connections() -> None:
    """Forget every connection (a dead one would fail again); the next query opens a new one."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except DatabaseError:
            conn.connection = None  # the socket is gone: nothing left to close politely


def database_answers(alias: str = "default") -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except UNAVAILABLE:
        drop_connections()
        return False


def backoff(attempt: int, *, first: float = 0.5, cap: float = 30.0) -> float:
    """Seconds to wait before retry number `attempt` (1, 2, ...): doubling from `first` up to `cap`."""
    return min(cap, first * 2 ** max(0, attempt - 1))


def wait_for_database(
    *, timeout: float | None = None, say: Callable[[str], None] = logger.warning, cap: float = 5.0
) -> bool:
    """Block until the database answers (True) or `timeout` seconds passed (False; None: forever)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    attempt = 0
    while not database_answers():
        attempt += 1
        if attempt == 1 or attempt % 10 == 0:
            say("The database does not answer yet; waiting for it.")
        delay = backoff(attempt, cap=cap)
        if deadline is not None and time.monotonic() + delay > deadline:
            return False
        time.sleep(delay)
    return True
