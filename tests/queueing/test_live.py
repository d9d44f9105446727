"""Opening many streams at once: the database is read by a few of them at a time."""

import threading
import time

import pytest
from django.test import Client

from motcua.queueing import live, selectors

from .support import queue_center


@pytest.mark.django_db(transaction=True)
def test_streams_opened_together_read_the_database_a_few_at_a_time(monkeypatch):
    monkeypatch.delenv("MOTCUA_QUEUE_REDIS_URL", raising=False)
    monkeypatch.delenv("MOTCUA_REDIS_URL", raising=False)
    monkeypatch.setattr(live, "_db_slots", threading.BoundedSemaphore(2))
    s = queue_center()
    inside = 0
    most = 0
    lock = threading.Lock()
    real_message = selectors.message

    def slow_message(center_id, after_id):
        nonlocal inside, most
        with lock:
            inside += 1
            most = max(most, inside)
        try:
            time.sleep(0.05)  # long enough for the other openings to pile up behind the slots
            return real_message(center_id, after_id)
        finally:
            with lock:
                inside -= 1

    monkeypatch.setattr(selectors, "message", slow_message)
    first: list[bytes] = []

    def open_one():
        chunks = live.stream(s.center.pk, None, seconds=0)
        first.append(list(chunks)[1])

    threads = [threading.Thread(target=open_one) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(first) == 8 and all(chunk.startswith(b"id: ") for chunk in first)
    assert most == 2


@pytest.mark.django_db(transaction=True)
def test_a_stream_fed_by_redis_holds_no_database_connection(monkeypatch):
    """The view's center lookup gives its connection back when Redis feeds the stream."""
    from django.db import connection

    monkeypatch.setenv("MOTCUA_QUEUE_REDIS_URL", "redis://127.0.0.1:6379/14")
    s = queue_center()
    closed = []
    real_release = live._release

    def release(*, close=False):
        closed.append(close)
        real_release(close=close)

    monkeypatch.setattr(live, "_release", release)
    response = Client().get(f"/hang-cho/{s.center.pk}/su-kien/")
    assert response.status_code == 200 and closed == [True]
    if connection.vendor != "sqlite":  # Django never closes the tests' in-memory SQLite database
        assert connection.connection is None
    response.close()
