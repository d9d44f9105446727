"""The JSON API: one NinjaAPI at /api/v1/ assembling the routers that live in each app's api.py.

It lives in the project package, not in an app: it imports every app's router, and apps import the
`api` app (tokens, authentication, idempotent answers), so the assembly must sit above them all.

Every answer that is not a success is `{"detail", "code"}` (plus `field` for a wrong input), in the
user's language — including a body that is not JSON, a missing token (401 with WWW-Authenticate)
and an unexpected failure (a logged 500 in JSON, never Django's HTML page). The OpenAPI document
says so for every operation, so generated clients (and schemathesis) can rely on it."""

import json
import logging

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from motcua.api.errors import ERROR_RESPONSES, add_error_responses, validation_body
from motcua.core.errors import DomainError
from motcua.core.text import clean

log = logging.getLogger("motcua.api")


class CleanParser(Parser):
    """JSON bodies lose their control characters and come out NFC before any schema sees them
    (query strings and forms are cleaned by `motcua.core.middleware`)."""

    def parse_body(self, request):
        return clean(json.loads(request.body))


class MotcuaAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        return add_error_responses(super().get_openapi_schema(*args, **kwargs))


api = MotcuaAPI(
    title="Một cửa API", version="1", urls_namespace="api", docs_url="/docs", parser=CleanParser()
)


def _error(request, status: int, detail: str, code: str, field: str | None = None, headers=None):
    body = {"detail": detail, "code": code}
    if field:
        body["field"] = field
    response = api.create_response(request, body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    return _error(request, exc.status, exc.message, exc.code, exc.field)


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    return api.create_response(request, validation_body(exc.errors), status=422)


@api.exception_handler(AuthenticationError)
def _not_authenticated(request, exc):
    return _error(
        request,
        401,
        _("Sign in or send an API token (Authorization: Bearer …)."),
        "not_authenticated",
        headers={"WWW-Authenticate": 'Bearer realm="motcua"'},
    )


HTTP_CODES = {400: "bad_request", 403: "permission_denied", 404: "not_found", 405: "method_not_allowed"}


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    status = exc.status_code
    if status == 400 and str(exc).startswith("Cannot parse request body"):
        return _error(request, 400, _("The request body is not valid JSON."), "invalid_body")
    if status == 403 and "CSRF" in str(exc):
        return _error(request, 403, _("The page's security token is missing or out of date."), "csrf")
    return _error(request, status, str(exc), HTTP_CODES.get(status, "error"))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, _("Not found."), "not_found")


@api.exception_handler(Exception)
def _server_error(request, exc):
    from motcua.ops.database import is_unavailable
    from motcua.ops.unavailable import unavailable_response

    if is_unavailable(exc):  # the database is down for now: 503 with Retry-After, not a 500
        return unavailable_response(request, exc)
    if isinstance(exc, OverflowError):  # date arithmetic on an absurd date given (year 1, 9999…)
        return _error(
            request, 422, _("A date in the request is out of the range this service handles."), "out_of_range"
        )
    log.exception("API error on %s %s", request.method, request.path)
    return _error(request, 500, _("An unexpected error occurred. It has been recorded."), "server_error")


def _register() -> None:
    from motcua.catalog.api import router as catalog_router
    from motcua.dossiers.api import public_router as tracking_router
    from motcua.dossiers.api import router as dossiers_router
    from motcua.feedback.api import router as feedback_router
    from motcua.reports.api import router as reports_router
    from motcua.workdays.api import router as calendar_router

    api.add_router("/calendar/", calendar_router)
    api.add_router("/", catalog_router)
    api.add_router("/", dossiers_router)
    api.add_router("/", tracking_router)
    api.add_router("/", reports_router)
    api.add_router("/feedback/", feedback_router)

    from motcua.payments.api import router as payments_router

    api.add_router("/", payments_router)
    from motcua.queueing.api import router as queue_router
    from motcua.queueing.api import staff_router as queue_staff_router

    api.add_router("/queue/", queue_router)
    api.add_router("/queue/", queue_staff_router)
    from motcua.notify.api import router as outbox_router

    api.add_router("/", outbox_router)
    from motcua.results.api import public_router as results_public_router
    from motcua.results.api import router as results_router

    api.add_router("/", results_router)
    api.add_router("/", results_public_router)


_register()

__all__ = ["api", "ERROR_RESPONSES"]
