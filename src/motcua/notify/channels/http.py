"""A small JSON-over-HTTP client (standard library) shared by the HTTP adapters."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from motcua.notify.conf import conf


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes

    def json(self):
        try:
            return json.loads(self.body.decode() or "null")
        except (ValueError, UnicodeDecodeError):
            return None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")[:2000]


def call(method: str, url: str, *, body: bytes | None = None, headers: dict | None = None) -> Answer:
    """One request; an HTTP error status is an answer, a network failure raises OSError."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    if body is not None:
        request.add_header("Content-Type", "application/json; charset=utf-8")
    try:
        with urllib.request.urlopen(request, timeout=conf("HTTP_TIMEOUT")) as response:
            return Answer(response.status, response.read())
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, exc.read() or b"")


def post_json(url: str, data, *, headers: dict | None = None, method: str = "POST") -> Answer:
    return call(method, url, body=json.dumps(data, ensure_ascii=False).encode(), headers=headers)


def by_status(answer: Answer):
    """(ok, permanent) from an HTTP status: 2xx delivered; 408/429 and 5xx retried; other 4xx final."""
    if 200 <= answer.status < 300:
        return True, False
    if answer.status in (408, 409, 425, 429) or answer.status >= 500:
        return False, False
    return False, True
