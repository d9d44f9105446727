"""Recording an event: the hash chain, and publishing to the listeners of other apps."""

from __future__ import annotations

from datetime import datetime

from motcua.units.models import ServiceCenter

from .. import chain, events
from ..models import Dossier, DossierEvent


def record_event(
    dossier: Dossier,
    *,
    action: str,
    from_state: str,
    actor,
    center: ServiceCenter,
    at: datetime,
    reason: str = "",
    payload: dict | None = None,
) -> DossierEvent:
    """Append one event to the dossier's chain (the caller holds the dossier's row lock or created
    it in this transaction, and saves the dossier afterwards) and publish it."""
    payload = payload or {}
    seq = dossier.event_count + 1
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    content = chain.event_content(
        dossier_id=dossier.pk,
        seq=seq,
        action=action,
        from_state=from_state,
        to_state=dossier.state,
        actor_id=actor_id,
        center_id=center.pk,
        at=at,
        reason=reason,
        payload=payload,
    )
    digest = chain.event_hash(dossier.last_hash, content)
    event = DossierEvent.objects.create(
        dossier=dossier,
        seq=seq,
        action=action,
        from_state=from_state,
        to_state=dossier.state,
        actor_id=actor_id,
        actor_name=str(actor) if actor_id else "",
        center=center,
        at=at,
        reason=reason,
        payload=payload,
        prev_hash=dossier.last_hash,
        hash=digest,
    )
    dossier.event_count, dossier.last_hash = seq, digest
    events.publish_event(event, dossier)
    return event
