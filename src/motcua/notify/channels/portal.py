"""The national portal's API: a login call opens a session that goes with every call (header
`Session`); a dossier is created once (POST …/hoso) and updated after (PUT …/hoso/<MaHoSo>);
progress steps are POSTed to …/hoso/<MaHoSo>/tiendo; GET …/hoso/<MaHoSo> is the look-up.
A session the portal no longer knows (401) is opened again once."""

from __future__ import annotations

import threading
from urllib.parse import quote

from django.utils import timezone

from . import Result, http, integration

_sessions: dict[str, str] = {}
_lock = threading.Lock()


class PortalUnavailable(Exception):
    pass


def _login(config) -> str:
    answer = http.post_json(
        config.portal_url.rstrip("/") + "/login",
        {"username": config.portal_username, "password": config.portal_password},
    )
    reply = answer.json() if answer.status == 200 else None
    if not isinstance(reply, dict) or not reply.get("session"):
        raise PortalUnavailable(f"login failed: HTTP {answer.status}")
    with _lock:
        _sessions[config.portal_url] = reply["session"]
    return reply["session"]


def request(config, method: str, path: str, data=None, *, key: str = "") -> http.Answer:
    """A call with the session, logging in first (or again after a 401)."""
    session = _sessions.get(config.portal_url) or _login(config)
    for fresh in (False, True):
        headers = {"Session": session}
        if key:
            headers["Idempotency-Key"] = key
        url = config.portal_url.rstrip("/") + path
        if data is None:
            answer = http.call(method, url, headers=headers)
        else:
            answer = http.post_json(url, data, headers=headers, method=method)
        if answer.status != 401 or fresh:
            return answer
        session = _login(config)
    return answer


def _path(code: str) -> str:
    return "/hoso/" + quote(code, safe="")


def lookup(config, code: str) -> dict | None:
    answer = request(config, "GET", _path(code))
    if answer.status == 404:
        return None
    if answer.status != 200:
        raise PortalUnavailable(f"look-up failed: HTTP {answer.status}")
    reply = answer.json()
    return reply if isinstance(reply, dict) else None


def send(message, now) -> Result:
    from motcua.notify.models import PortalRecord

    config = integration(message)
    if config is None or not config.portal_url:
        return Result(ok=False, permanent=True, error="The portal is not configured for this province.")
    data = message.payload["data"]
    code = data["MaHoSo"]
    try:
        if message.payload["op"] == "progress":
            answer = request(config, "POST", _path(code) + "/tiendo", data, key=message.key)
        elif PortalRecord.objects.filter(dossier_code=code).exists():
            answer = request(config, "PUT", _path(code), data, key=message.key)
        else:
            answer = request(config, "POST", "/hoso", data, key=message.key)
            if answer.status == 409:  # created by an attempt whose answer we lost: update it
                answer = request(config, "PUT", _path(code), data, key=message.key)
    except PortalUnavailable as exc:
        return Result(ok=False, error=str(exc))
    ok, permanent = http.by_status(answer)
    if not ok:
        return Result(ok=False, permanent=permanent, error=f"HTTP {answer.status}", response=answer.text)
    if message.payload["op"] == "dossier":
        moment = timezone.now()
        PortalRecord.objects.update_or_create(
            dossier_code=code,
            defaults={"updated_at": moment, "last_state": data.get("TrangThaiHoSo", "")},
            create_defaults={
                "created_at": moment,
                "updated_at": moment,
                "last_state": data.get("TrangThaiHoSo", ""),
            },
        )
    return Result(ok=True, response=answer.text)
