"""SMS brandname (customer care): text without diacritics, 160 characters a segment, the cost
counted per segment. Request: POST JSON {username, password, brandname, phone: "84…", message,
request_id}; the provider answers {"code": "00"} when it accepted the message."""

from __future__ import annotations

from motcua.notify import rules

from . import Result, http, integration


def send(message, now) -> Result:
    config = integration(message)
    data = message.payload["sms"]
    if config is None or not config.sms_url:
        return Result(ok=False, permanent=True, error="SMS is not configured for this province.")
    text = rules.sms_text(data["text"])
    body = {
        "username": config.sms_username,
        "password": config.sms_password,
        "brandname": config.sms_brandname,
        "phone": data["to"],
        "message": text,
        "request_id": message.key,
    }
    answer = http.post_json(config.sms_url, body, headers={"Idempotency-Key": message.key})
    ok, permanent = http.by_status(answer)
    reply = answer.json() if ok else None
    if ok and isinstance(reply, dict) and str(reply.get("code", "00")) != "00":
        return Result(ok=False, error=f"SMS refused: {reply}", response=answer.text)
    if not ok:
        return Result(ok=False, permanent=permanent, error=f"HTTP {answer.status}", response=answer.text)
    return Result(ok=True, response=answer.text, cost=config.sms_cost * rules.sms_segments(text))
