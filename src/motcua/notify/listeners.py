"""Dossier events become outbox messages, in the transaction that records the event: citizen
notifications (ZNS → SMS → e-mail), webhooks of the unit's subscribers, and the national portal's
dossier and progress calls. Registered in `NotifyConfig.ready()`."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from . import nationalportal, rules, wording
from .models import Channel, ProvinceIntegration, WebhookSubscription
from .services import destination_for, message_enqueue

RECEIVED_ACTIONS = {"intake", "receive"}
SUPPLEMENT_ACTIONS = {"request_supplement", "reception_supplement"}


def citizen_kind(event) -> str | None:
    """Which citizen message an event calls for, if any."""
    if event.action in RECEIVED_ACTIONS and event.to_state == "received":
        return "received"
    if event.action in SUPPLEMENT_ACTIONS:
        return "supplement_requested"
    if event.action == "reappoint":
        return "reappointed"
    if event.to_state == "result_ready" and event.from_state != "result_ready":
        return "result_ready"
    return None


UNREAD = object()


def _integration(province_id: str | None) -> ProvinceIntegration | None:
    return ProvinceIntegration.objects.filter(province_id=province_id).first() if province_id else None


def tracking_url(code: str, secret: str) -> str:
    path = reverse("dossiers:track", args=[code]) + f"?s={quote(secret, safe='')}"
    return settings.PUBLIC_URL.rstrip("/") + path


def _local(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def notify_citizen(
    *,
    key: str,
    kind: str,
    context: dict,
    phone: str = "",
    email: str = "",
    center=None,
    province_id: str | None = None,
    dossier_code: str = "",
    at=None,
    config=UNREAD,
):
    """One notification to a citizen, through the first channel of the province's order it can
    use, falling back to the next ones. Call it inside the transaction of its cause (the queue
    app calls it for "queue turn near"). Returns the message, or None without any address.
    `config`: the province's integration when the caller has read it already."""
    if config is UNREAD:
        config = _integration(province_id)
    order = (config.citizen_channels if config else "email").split(",")
    text = wording.texts(province_id, kind)
    payload = {}
    zns_phone = rules.zns_phone(phone)
    for channel in (c.strip() for c in order):
        if channel == Channel.ZNS and zns_phone and text["zns"] and config and config.zns_url:
            payload["zns"] = {
                "to": zns_phone,
                "template_id": text["zns"],
                "template_data": wording.zns_data(context),
            }
        elif channel == Channel.SMS and zns_phone and config and config.sms_url:
            payload["sms"] = {"to": zns_phone, "text": rules.sms_text(wording.render(text["sms"], context))}
        elif channel == Channel.EMAIL and email:
            subject, body = text["email"]
            payload["email"] = {
                "to": email,
                "subject": wording.render(subject, context),
                "body": wording.render(body, context),
            }
    channels = [c for c in (c.strip() for c in order) if c in payload]
    if not channels:
        return None
    first = channels[0]
    return message_enqueue(
        key=key,
        channel=first,
        destination=destination_for(first, province_id),
        kind=kind,
        recipient=payload[first]["to"],
        payload=payload,
        center=center,
        province_id=province_id,
        dossier_code=dossier_code,
        fallback=channels[1:],
        max_attempts=_citizen_attempts(),
        at=at,
    )


def _citizen_attempts() -> int:
    from .conf import conf

    return conf("CITIZEN_MAX_ATTEMPTS")


def on_dossier_event(event, dossier) -> None:
    """The in-transaction listener: every message this event causes, or none."""
    center = dossier.center
    province_id = center.commune.province_id
    config = _integration(province_id)  # read once for the citizen's message and the portal
    kind = citizen_kind(event)
    if kind and dossier.code:
        notify_citizen(
            key=f"citizen:{dossier.pk}:{event.seq}",
            kind=kind,
            context={
                "code": dossier.code,
                "name": dossier.applicant_name,
                "procedure": dossier.procedure_version.name,
                "due": _local(dossier.due_at),
                "center": dossier.receiving_center.name,
                "reason": event.reason,
                "url": tracking_url(dossier.code, dossier.secret),
            },
            phone=dossier.applicant_phone,
            email=dossier.applicant_email,
            center=center,
            province_id=province_id,
            dossier_code=dossier.code,
            at=event.at,
            config=config,
        )
    _webhooks(event, dossier)
    if config is not None and config.portal_url:
        _portal(event, dossier, province_id)


def _webhooks(event, dossier) -> None:
    centers = {dossier.center_id, dossier.receiving_center_id}
    for subscription in WebhookSubscription.objects.filter(center_id__in=centers, is_active=True):
        if subscription.actions and event.action not in subscription.actions:
            continue
        body = {
            "id": f"dossier-event:{dossier.pk}:{event.seq}",
            "action": event.action,
            "dossier": dossier.code or "",
            "unit": subscription.center.agency_code,
            "from_state": event.from_state,
            "to_state": event.to_state,
            "at": event.at.isoformat(),
            "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
            "reason": event.reason,
        }
        message_enqueue(
            key=f"webhook:{subscription.pk}:{dossier.pk}:{event.seq}",
            channel=Channel.WEBHOOK,
            destination=f"webhook:{subscription.pk}",
            kind=event.action,
            recipient=subscription.url,
            payload={"subscription": subscription.pk, "event": body},
            center=subscription.center,
            province_id=subscription.center.commune.province_id,
            dossier_code=dossier.code or "",
            order_key=f"webhook:{subscription.pk}:{dossier.pk}",
            at=event.at,
        )


def _portal(event, dossier, province_id) -> None:
    """The dossier (created, then updated) and the progress step, in event order per dossier."""
    if not dossier.code or not dossier.counted:
        return
    common = {
        "channel": Channel.PORTAL,
        "destination": destination_for(Channel.PORTAL, province_id),
        "center": dossier.center,
        "province_id": province_id,
        "dossier_code": dossier.code,
        "order_key": f"portal:{dossier.pk}",
        "recipient": dossier.code,
        "at": event.at,
    }
    message_enqueue(
        key=f"portal:{dossier.pk}:{event.seq}:dossier",
        kind="dossier",
        payload={"op": "dossier", "data": nationalportal.dossier_fields(dossier)},
        **common,
    )
    message_enqueue(
        key=f"portal:{dossier.pk}:{event.seq}:progress",
        kind="progress",
        payload={"op": "progress", "data": nationalportal.progress_fields(event, dossier)},
        **common,
    )


def on_ticket_near(sender, ticket, ahead: int, **kwargs) -> None:
    """The queue's "three tickets ahead" hook (sent after the call's commit): one message to the
    ticket's phone through the outbox, keyed by the ticket so a repeated signal sends nothing twice."""
    from django.db import transaction

    if not ticket.phone:
        return
    center = ticket.center
    with transaction.atomic():
        notify_citizen(
            key=f"queue-near:{ticket.pk}",
            kind="queue_turn_near",
            context={"ticket": ticket.code, "center": center.name, "ahead": ahead},
            phone=ticket.phone,
            center=center,
            province_id=center.commune.province_id,
        )
