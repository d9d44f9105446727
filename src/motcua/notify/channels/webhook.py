"""Webhooks to other systems: the JSON event, signed with HMAC-SHA256 over "<timestamp>.<body>"
with the subscription's secret (headers X-Motcua-Timestamp and X-Motcua-Signature); receivers
refuse a timestamp older than the replay window (5 minutes, see `rules.verify`). The timestamp
is the time of this attempt, so a retry an hour later is still fresh."""

from __future__ import annotations

import json

from motcua.notify import rules

from . import Result, http


def send(message, now) -> Result:
    from motcua.notify.models import WebhookSubscription

    subscription = WebhookSubscription.objects.filter(pk=message.payload.get("subscription")).first()
    if subscription is None or not subscription.is_active:
        return Result(ok=False, permanent=True, error="The subscription was removed or switched off.")
    body = json.dumps(message.payload["event"], ensure_ascii=False, sort_keys=True).encode()
    timestamp = int(now.timestamp())
    headers = {
        rules.TIMESTAMP_HEADER: str(timestamp),
        rules.SIGNATURE_HEADER: rules.sign(subscription.secret, timestamp, body),
        "Idempotency-Key": message.key,
        "Content-Type": "application/json; charset=utf-8",
    }
    answer = http.call("POST", subscription.url, body=body, headers=headers)
    ok, permanent = http.by_status(answer)
    if not ok:
        return Result(ok=False, permanent=permanent, error=f"HTTP {answer.status}", response=answer.text)
    return Result(ok=True, response=answer.text)
