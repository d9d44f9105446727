"""Writes over the API answered once per `Idempotency-Key`: a client that retries (a dropped
connection, a double click on a kiosk) gets the first answer back, and nothing is done twice."""

from django.http import HttpRequest
from ninja.responses import Status

from motcua.core.idempotency import idempotent, request_fingerprint


def once(request: HttpRequest, *, scope: str, route: str, payload, run) -> Status:
    """Run `run()` (→ (status, body)) once per (scope, the request's Idempotency-Key header); the
    fingerprint of `route` and the payload tells a retry from a different request under the same key.
    Without the header it simply runs."""
    return Status(
        *idempotent(
            key=request.headers.get("Idempotency-Key"),
            scope=scope,
            fingerprint=request_fingerprint([route, payload.dict()]),
            run=run,
        )
    )
