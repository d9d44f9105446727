"""The live stream through Redis pub/sub (the path used with several web processes), against
MOTCUA_QUEUE_REDIS_URL or the machine's Redis (database 14); skipped when none answers."""

import json
import os
import socket
import threading
import time

import pytest

from motcua.queueing import live, services

from .support import queue_center

REDIS = os.environ.get("MOTCUA_QUEUE_REDIS_URL", "redis://127.0.0.1:6379/14")


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return bool(os.environ.get("MOTCUA_QUEUE_REDIS_URL"))


pytestmark = pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture(autouse=True)
def _redis(monkeypatch):
    monkeypatch.setenv("MOTCUA_QUEUE_REDIS_URL", REDIS)


@pytest.mark.django_db(transaction=True)
def test_a_call_reaches_a_subscribed_stream_through_redis(monkeypatch):
    monkeypatch.setattr(live, "POLL_SECONDS", 30)  # a poll would hide a broken Redis path
    s = queue_center()
    services.ticket_take(service=s.a)
    chunks: list[bytes] = []

    def read():
        for chunk in live.stream(s.center.pk, None, seconds=5):
            chunks.append(chunk)
            if b"A001" in chunk and b'calls": [{' in chunk:
                return

    reader = threading.Thread(target=read)
    reader.start()
    deadline = time.monotonic() + 5
    while len(chunks) < 2 and time.monotonic() < deadline:  # joined the hub, then read the board
        time.sleep(0.01)
    assert live._hub().listeners(live.channel(s.center.pk)) == 1
    started = time.monotonic()
    services.ticket_call_next(counter=s.c1, officer=s.officer)
    reader.join(6)
    elapsed = time.monotonic() - started
    data = json.loads(chunks[-1].decode().split("data: ", 1)[1])
    assert data["calls"][0]["text"] == "Mời số A001 đến quầy số 1"
    assert elapsed < 1, elapsed
