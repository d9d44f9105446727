"""One Redis subscription per web process for all of its open streams.

With a subscription of its own, each of two hundred open boards parsed every message from Redis
in its own thread: the counters' calls slowed fivefold. The hub subscribes once to every center's
channel of this database (a pattern) from one thread of the process and hands each message's
bytes to the streams of that center through in-process queues. A stream joins before its first
read of the database, so a call committed after that read reaches it through the hub, and one
committed before is in the read. When the hub loses Redis it tells its streams (`None` in their
queues) and they poll the database; it reconnects by itself for the streams that open later.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time

log = logging.getLogger(__name__)

LOST = None  # what a stream's queue receives when the hub lost Redis


class Hub:
    def __init__(self, client, pattern: str):
        self.client, self.pattern = client, pattern
        self.lock = threading.Lock()
        self.queues: dict[str, set[queue.SimpleQueue]] = {}
        self.alive = threading.Event()
        self.thread = threading.Thread(target=self._run, name="queue-hub", daemon=True)
        self.thread.start()

    def join(self, channel: str) -> queue.SimpleQueue | None:
        """A queue of the channel's messages from now on; None when Redis does not answer."""
        if not self.alive.wait(2):
            return None
        inbox: queue.SimpleQueue = queue.SimpleQueue()
        with self.lock:
            self.queues.setdefault(channel, set()).add(inbox)
        return inbox

    def leave(self, channel: str, inbox: queue.SimpleQueue) -> None:
        with self.lock:
            members = self.queues.get(channel)
            if members is not None:
                members.discard(inbox)
                if not members:
                    del self.queues[channel]

    def listeners(self, channel: str) -> int:
        with self.lock:
            return len(self.queues.get(channel, ()))

    def _run(self) -> None:
        while True:
            pubsub = None
            try:
                pubsub = self.client.pubsub()
                pubsub.psubscribe(self.pattern)
                while True:
                    item = pubsub.get_message(timeout=1.0)
                    if not item:
                        continue
                    if item["type"] == "psubscribe":
                        self.alive.set()
                    elif item["type"] == "pmessage":
                        name = item["channel"]
                        name = name.decode() if isinstance(name, bytes) else name
                        with self.lock:
                            members = list(self.queues.get(name, ()))
                        for inbox in members:
                            inbox.put(item["data"])
            except Exception:
                log.warning("queue: lost Redis; the open streams poll the database", exc_info=True)
                self.alive.clear()
                with self.lock:
                    members = [inbox for group in self.queues.values() for inbox in group]
                    self.queues.clear()
                for inbox in members:
                    inbox.put(LOST)
                if pubsub is not None:
                    try:
                        pubsub.close()
                    except Exception:
                        pass
                time.sleep(1)


_hubs: dict[tuple[int, str], Hub] = {}
_hubs_lock = threading.Lock()


def hub_for(client, url: str, pattern: str) -> Hub:
    """This process's hub (a forked worker makes its own)."""
    key = (os.getpid(), f"{url}|{pattern}")
    with _hubs_lock:
        hub = _hubs.get(key)
        if hub is None:
            hub = _hubs[key] = Hub(client, pattern)
        return hub
