"""The answer while the database is unreachable: 503, a Vietnamese page or JSON, Retry-After."""

from __future__ import annotations

import logging
import sys

from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.defaults import server_error

from . import metrics
from .database import drop_connections, is_unavailable

logger = logging.getLogger("motcua.ops")
RETRY_AFTER = "5"


def wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def unavailable_response(request, exception: BaseException | None = None) -> HttpResponse:
    logger.warning("Database unavailable for %s %s: %s", request.method, request.path, exception)
    metrics.DATABASE_UNAVAILABLE.inc()
    drop_connections()
    if wants_json(request):
        response = JsonResponse(
            {
                "detail": _("The system is briefly unavailable (database). Try again in a moment."),
                "code": "database_unavailable",
            },
            status=503,
        )
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = RETRY_AFTER
    response["Cache-Control"] = "no-store"
    return response


def server_error_or_unavailable(request, *args, **kwargs):
    """handler500: an unreachable database outside the view (a middleware saving the session, ...)
    is a 503 too; anything else is the ordinary error page."""
    exc = sys.exc_info()[1]
    if is_unavailable(exc):
        return unavailable_response(request, exc)
    return server_error(request, *args, **kwargs)
