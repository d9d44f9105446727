"""Request id, JSON request log and metrics; the 503 answer while the database is unreachable;
security headers (Content-Security-Policy)."""

from __future__ import annotations

import logging
import re
import time
import uuid

from django.conf import settings
from django.utils.functional import empty

from . import metrics
from .database import is_unavailable
from .logs import request_id_var
from .unavailable import unavailable_response

logger = logging.getLogger("motcua.request")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _user_fields(request) -> dict:
    """The user and their units, only when the request already loaded them (never an extra query)."""
    lazy = getattr(request, "user", None)
    user = getattr(lazy, "_wrapped", lazy)
    if user is empty or user is None or not getattr(user, "is_authenticated", False):
        return {"user": None, "units": None}
    scope = getattr(user, "_motcua_scope", None)
    units = None
    if scope is not None:
        units = "*" if scope.everything else sorted(scope.province_codes) + sorted(scope.center_ids)
    return {"user": user.get_username(), "units": units}


class RequestLogMiddleware:
    """Outermost: gives every request an id (X-Request-ID, kept from a proxy when it is sane), logs
    one JSON line at INFO when it is answered, and counts it for /metrics."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request.request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        elapsed = time.perf_counter() - started
        response["X-Request-ID"] = request.request_id
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else None) or "unresolved"
        method = request.method if request.method in metrics.METHODS else "OTHER"
        metrics.REQUESTS.labels(method, view, str(response.status_code)).inc()
        metrics.LATENCY.labels(method, view).observe(elapsed)
        logger.info(
            "request",
            extra={
                "request_id": request.request_id,
                "method": request.method,
                "path": request.path,
                "view": view,
                "status": response.status_code,
                "duration_ms": round(elapsed * 1000, 1),
                "remote_addr": request.META.get("REMOTE_ADDR"),
                **_user_fields(request),
            },
        )
        return response


class DatabaseUnavailableMiddleware:
    """A view that hit an unreachable database answers 503 with Retry-After, not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_unavailable(exception):
            return unavailable_response(request, exception)
        return None


def content_security_policy() -> str:
    return "; ".join(f"{k} {v}" for k, v in settings.MOTCUA_CSP.items())


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every answer that does not set its own (uploads may be stricter)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
