"""The hash chain over a dossier's events (pure): tampering with any event breaks every later hash."""

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS = ""


def canonical(content: dict[str, Any]) -> bytes:
    """Deterministic bytes for an event's content (sorted keys, no spaces, UTC instants)."""

    def default(value):
        if isinstance(value, datetime):
            return value.astimezone().isoformat() if value.tzinfo is None else value.isoformat()
        return str(value)

    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=default
    ).encode()


def event_hash(prev_hash: str, content: dict[str, Any]) -> str:
    digest = hashlib.sha256()
    digest.update(prev_hash.encode())
    digest.update(b"\n")
    digest.update(canonical(content))
    return digest.hexdigest()


def event_content(
    *,
    dossier_id: int,
    seq: int,
    action: str,
    from_state: str,
    to_state: str,
    actor_id: int | None,
    center_id: int,
    at: datetime,
    reason: str,
    payload: dict,
) -> dict[str, Any]:
    """The fields an event's hash covers. `at` is normalized to UTC microseconds so that the
    value read back from any database hashes the same."""
    from datetime import UTC

    return {
        "dossier": dossier_id,
        "seq": seq,
        "action": action,
        "from": from_state,
        "to": to_state,
        "actor": actor_id,
        "center": center_id,
        "at": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "reason": reason,
        "payload": payload,
    }


def first_broken_link(events: list[tuple[dict[str, Any], str, str]]) -> int | None:
    """Given (content, prev_hash, hash) in order, the index of the first event that does not
    verify, or None when the chain is whole."""
    previous = GENESIS
    for index, (content, prev_hash, stored) in enumerate(events):
        if prev_hash != previous or event_hash(previous, content) != stored:
            return index
        previous = stored
    return None
