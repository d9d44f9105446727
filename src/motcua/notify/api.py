"""JSON API of the outbox (`/api/v1/outbox/…`): list with filters, retry, cancel. Scoped like
the page."""

from __future__ import annotations

from datetime import datetime

from ninja import Query, Router, Schema

from motcua.api.auth import staff_auth

from . import selectors, services

router = Router(tags=["outbox"], auth=staff_auth)


class MessageOut(Schema):
    id: int
    key: str
    channel: str
    destination: str
    kind: str
    recipient: str
    dossier_code: str
    status: str
    attempts: int
    max_attempts: int
    next_attempt_at: datetime
    delivered_at: datetime | None
    last_error: str
    cost: int
    created_at: datetime


class Filters(Schema):
    status: str = ""
    channel: str = ""
    q: str = ""
    limit: int = 100


@router.get("/outbox/", response=list[MessageOut])
def list_messages(request, filters: Query[Filters]):
    limit = min(max(filters.limit, 1), 500)
    return list(
        selectors.messages_for_user(
            request.user, status=filters.status, channel=filters.channel, q=filters.q
        )[:limit]
    )


@router.post("/outbox/{pk}/retry", response=MessageOut)
def retry(request, pk: int):
    return services.message_retry(
        actor=request.user, message=selectors.message_get_for_user(request.user, pk)
    )


@router.post("/outbox/{pk}/cancel", response=MessageOut)
def cancel(request, pk: int):
    return services.message_cancel(
        actor=request.user, message=selectors.message_get_for_user(request.user, pk)
    )
