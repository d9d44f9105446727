"""Writes answered once per Idempotency-Key: a client that retries (a dropped connection, a double
click at a slow moment) gets the first answer back and nothing is done twice."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .errors import DomainError, ValidationFailed
from .models import IdempotencyRecord
from .text import has_controls

MAX_KEY_LENGTH = 120


def _canonical(content: Any) -> bytes:
    def default(value):
        if isinstance(value, datetime):
            return value.astimezone().isoformat() if value.tzinfo is None else value.isoformat()
        return str(value)

    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=default
    ).encode()


def request_fingerprint(data) -> str:
    """What tells a retry from a different request sent under the same key."""
    return hashlib.sha256(_canonical({"data": data})).hexdigest()


def idempotent(*, key: str | None, scope: str, fingerprint: str, run):
    """Run `run()` once per (scope, key): a retry gets the first (status, body) back.

    `run` returns (status, body) and is executed inside the same transaction as the record, so a
    crash leaves neither; two racing retries cannot both commit (unique key), and the loser
    replays the winner's answer.
    """
    if not key:
        return run()
    key = key.strip()
    if len(key) > MAX_KEY_LENGTH or has_controls(key):
        # Never cut: two keys sharing their first characters would replay each other's answer.
        raise ValidationFailed(
            _("The Idempotency-Key must be at most %(max)d printable characters.") % {"max": MAX_KEY_LENGTH},
            field="Idempotency-Key",
        )
    for _attempt in range(3):
        existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
        if existing is not None:
            if existing.request_hash != fingerprint:
                raise DomainError(
                    _("This Idempotency-Key was already used for a different request."),
                    code="idempotency_conflict",
                )
            return existing.status, existing.response
        try:
            with transaction.atomic():
                status, body = run()
                IdempotencyRecord.objects.create(
                    scope=scope, key=key, request_hash=fingerprint, status=status, response=body
                )
                return status, body
        except IntegrityError:
            continue  # a concurrent retry committed first: replay its answer
    raise DomainError(_("Please retry the request."), code="retry")
