"""Building blocks for feedback tests: dossiers taken to "returned" (or "refused") through the real
lifecycle services, and clients."""

from __future__ import annotations

import json
from datetime import datetime

from django.test import Client

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from tests.dossiers.support import Staffed, at, receive, staffed_center, version  # noqa: F401


def _act(dossier, actor, action, when, **kwargs):
    return services.dossier_act(actor=actor, dossier=dossier, action=action, at=when, **kwargs)


def result_ready(
    s: Staffed,
    v,
    *,
    received: datetime | None = None,
    step: datetime | None = None,
    handler: Staffed | None = None,
    **kwargs,
) -> Dossier:
    """Received at `s`'s counter, then through the internal process (review, approval, signing)
    by the staff of `handler` (a boundary-free dossier's handling centre; default `s`)."""
    handler = handler or s
    if handler is not s:
        kwargs["handling_center"] = handler.center
    dossier = receive(s, v, when=received or at("2026-03-02 09:00"), **kwargs)
    dossier = _act(dossier, s.desk, "transfer", step)
    dossier = _act(dossier, handler.specialist, "forward", step)
    dossier = _act(dossier, handler.leader, "approve", step)
    return _act(dossier, handler.specialist, "forward", step)


def returned(
    s: Staffed, v, *, received: datetime | None = None, when: datetime | None = None, **kwargs
) -> Dossier:
    """A dossier received at `received` (default Monday 2 March 2026 09:00) whose internal process
    and return by the desk officer happen at `when` (default: now)."""
    dossier = result_ready(s, v, received=received, step=when, **kwargs)
    return _act(dossier, s.desk, "return", when, method="counter")


def refused(s: Staffed, v, *, when: datetime | None = None) -> Dossier:
    dossier = receive(s, v, when=at("2026-03-02 09:00"))
    dossier = _act(dossier, s.desk, "transfer", when)
    return _act(dossier, s.leader, "refuse", when, reason="Không đủ điều kiện")


def in_progress(s: Staffed, v) -> Dossier:
    dossier = receive(s, v, when=at("2026-03-02 09:00"))
    return _act(dossier, s.desk, "transfer", at("2026-03-02 09:30"))


def post_json(client: Client, url: str, body: dict, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)
