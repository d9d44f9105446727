"""The JSON API: one NinjaAPI at /api/v1/ assembling the routers that live in each app's api.py.

It lives in the project package, not in an app: it imports every app's router, and apps import the
`api` app (tokens, authentication, idempotent answers), so the assembly must sit above them all."""

from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from motcua.core.errors import DomainError

api = NinjaAPI(title="Một cửa API", version="1", urls_namespace="api", docs_url="/docs")


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    body = {"detail": exc.message, "code": exc.code}
    if exc.field:
        body["field"] = exc.field
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    return api.create_response(
        request,
        {"detail": _("The request is not valid."), "code": "invalid", "errors": exc.errors},
        status=422,
    )


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


_register()
