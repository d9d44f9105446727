"""Zalo ZNS: a template approved beforehand, sent as {phone: "84…", template_id, template_data,
tracking_id} with the access token in the `access_token` header. Zalo answers {"error": 0} on
success; a number without a Zalo account is a permanent refusal (the SMS goes instead)."""

from __future__ import annotations

from . import Result, http, integration

# Zalo error codes that retrying cannot fix: invalid phone, no Zalo account, user blocked ZNS,
# template not approved or its data invalid.
PERMANENT = {-108, -118, -119, -124, -131, -133, -139}


def send(message, now) -> Result:
    config = integration(message)
    data = message.payload["zns"]
    if config is None or not config.zns_url or not config.zns_access_token:
        return Result(ok=False, permanent=True, error="Zalo ZNS is not configured for this province.")
    body = {
        "phone": data["to"],
        "template_id": data["template_id"],
        "template_data": data["template_data"],
        "tracking_id": message.key,
    }
    headers = {"access_token": config.zns_access_token, "Idempotency-Key": message.key}
    answer = http.post_json(config.zns_url, body, headers=headers)
    ok, permanent = http.by_status(answer)
    if not ok:
        return Result(ok=False, permanent=permanent, error=f"HTTP {answer.status}", response=answer.text)
    reply = answer.json() or {}
    code = reply.get("error", 0) if isinstance(reply, dict) else -1
    if code != 0:
        return Result(ok=False, permanent=code in PERMANENT, error=f"Zalo error {code}", response=answer.text)
    return Result(ok=True, response=answer.text, cost=config.zns_cost)
