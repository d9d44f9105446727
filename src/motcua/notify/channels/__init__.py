"""Channel adapters: each sends one outbox message to its outside system and says how it went.

`permanent` marks a refusal that retrying cannot fix (no Zalo account, a malformed number, a 4xx
answer): the message then goes on to the next channel or to the dead letters at once.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    ok: bool
    permanent: bool = False
    error: str = ""
    response: str = ""
    cost: int = 0


def send(message, now) -> Result:
    from . import email, portal, sms, webhook, zns

    adapters = {
        "email": email.send,
        "sms": sms.send,
        "zns": zns.send,
        "webhook": webhook.send,
        "portal": portal.send,
    }
    return adapters[message.channel](message, now)


def integration(message):
    from motcua.notify.models import ProvinceIntegration

    if not message.province_id:
        return None
    return ProvinceIntegration.objects.filter(province_id=message.province_id).first()
