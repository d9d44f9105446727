"""Fake outside systems for the notify tests, on 127.0.0.1 port 0: a provider (SMS, ZNS, webhook
receiver) that records what it got, honours the idempotency key and fails on demand; the national
portal with its login, create/update, progress and look-up; a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import json
import threading
import time
import uuid

from aiosmtpd.controller import Controller

from tests.fakeserver import LocalServer, QuietHandler


class FakeServer(LocalServer):
    """Base: every request is recorded as a dict; `down` answers 503 to everything;
    `fail_next` answers that status to the next N requests."""

    def __init__(self):
        self.requests: list[dict] = []
        self.down = False
        self.fail_status = 503
        self.fail_next = 0
        self.delay = 0.0  # seconds of latency of each answer (a slow receiver), never in the test itself
        self.lock = threading.Lock()
        self.received = threading.Condition(self.lock)
        fake = self

        class Handler(QuietHandler):
            def _handle(self):
                raw = self.read_body()
                try:
                    body = json.loads(raw.decode()) if raw else None
                except ValueError:
                    body = None
                entry = {
                    "method": self.command,
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "raw": raw,
                    "json": body,
                }
                with fake.received:
                    fake.requests.append(entry)
                    fake.received.notify_all()
                    if fake.down:
                        status, reply = fake.fail_status, {"error": "down"}
                    elif fake.fail_next > 0:
                        fake.fail_next -= 1
                        status, reply = fake.fail_status, {"error": "failing"}
                    else:
                        status, reply = fake.answer(entry)
                if fake.delay:
                    time.sleep(fake.delay)
                self.send_json(status, reply)

            do_GET = do_POST = do_PUT = _handle

        super().__init__(Handler)

    def answer(self, entry) -> tuple[int, dict]:
        return 200, {"ok": True}

    def wait_for(self, count: int, timeout: float = 30) -> bool:
        with self.received:
            return self.received.wait_for(lambda: len(self.requests) >= count, timeout)


class FakeProvider(FakeServer):
    """SMS / ZNS / webhook receiver. `effects` holds each message applied once per idempotency
    key (what a receiver honouring the key does); `no_zalo` phones get Zalo error -118."""

    def __init__(self):
        super().__init__()
        self.effects: list[dict] = []
        self.seen_keys: set[str] = set()
        self.no_zalo: set[str] = set()

    def answer(self, entry):
        body = entry["json"] or {}
        if isinstance(body, dict) and body.get("phone") in self.no_zalo and "template_id" in body:
            return 200, {"error": -118, "message": "Zalo account not existed"}
        key = entry["headers"].get("idempotency-key", "")
        if key not in self.seen_keys:
            self.seen_keys.add(key)
            self.effects.append(entry)
        return 200, {"error": 0, "code": "00", "message": "Success"}


class FakePortal(FakeServer):
    """The national portal: /login gives a session; calls without it get 401; /hoso creates
    (409 when it exists), PUT /hoso/<code> updates, POST /hoso/<code>/tiendo adds a step, GET
    /hoso/<code> is the look-up."""

    def __init__(self):
        super().__init__()
        self.sessions: set[str] = set()
        self.dossiers: dict[str, dict] = {}
        self.progress: dict[str, list[dict]] = {}
        self.applied: list[tuple[str, str]] = []  # (code, what) in the order the portal applied them
        self.seen_keys: set[str] = set()

    def answer(self, entry):
        path, method, body = entry["path"], entry["method"], entry["json"]
        if path == "/login":
            if body and body.get("username") == "cong" and body.get("password") == "matkhau":
                session = uuid.uuid4().hex
                self.sessions.add(session)
                return 200, {"session": session}
            return 403, {"error": "bad credentials"}
        if entry["headers"].get("session") not in self.sessions:
            return 401, {"error": "no session"}
        key = entry["headers"].get("idempotency-key", "")
        if key and key in self.seen_keys and method != "GET":
            return 200, {"ok": True, "replayed": True}
        parts = [p for p in path.split("/") if p]
        if method == "POST" and parts == ["hoso"]:
            if body["MaHoSo"] in self.dossiers:
                return 409, {"error": "exists"}
            self.dossiers[body["MaHoSo"]] = body
            self.applied.append((body["MaHoSo"], "create"))
        elif method == "PUT" and len(parts) == 2:
            if parts[1] not in self.dossiers:
                return 404, {"error": "unknown"}
            self.dossiers[parts[1]] = body
            self.applied.append((parts[1], "update"))
        elif method == "POST" and len(parts) == 3 and parts[2] == "tiendo":
            if parts[1] not in self.dossiers:
                return 404, {"error": "unknown"}
            self.progress.setdefault(parts[1], []).append(body)
            self.applied.append((parts[1], "progress"))
        elif method == "GET" and len(parts) == 2:
            found = self.dossiers.get(parts[1])
            return (200, found) if found else (404, {"error": "unknown"})
        else:
            return 400, {"error": "bad request"}
        if key:
            self.seen_keys.add(key)
        return 200, {"ok": True}


class _Controller(Controller):
    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpSink:
    """A real SMTP server (aiosmtpd) on 127.0.0.1:0 keeping every message it accepted."""

    def __init__(self):
        self.messages: list[dict] = []
        self.refuse: set[str] = set()
        sink = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if address in sink.refuse:
                    return "550 no such user"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                sink.messages.append(
                    {"from": envelope.mail_from, "to": envelope.rcpt_tos, "data": envelope.content}
                )
                return "250 Message accepted"

        self.controller = _Controller(Handler(), hostname="127.0.0.1", port=0)

    @property
    def port(self) -> int:
        return self.controller.port

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()
