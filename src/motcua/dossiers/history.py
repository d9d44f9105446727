"""Verification of the events' hash chains (reads only)."""

from collections.abc import Iterator
from dataclasses import dataclass

from . import chain
from .models import Dossier, DossierEvent


@dataclass(frozen=True)
class BrokenHistory:
    dossier_id: int
    code: str
    seq: int | None
    problem: str


def _content(event: DossierEvent) -> dict:
    return chain.event_content(
        dossier_id=event.dossier_id,
        seq=event.seq,
        action=event.action,
        from_state=event.from_state,
        to_state=event.to_state,
        actor_id=event.actor_id,
        center_id=event.center_id,
        at=event.at,
        reason=event.reason,
        payload=event.payload,
    )


def verify_dossier(dossier: Dossier, events: list[DossierEvent]) -> BrokenHistory | None:
    """Checks the chain links, the sequence (nothing removed in the middle), and the head stored on
    the dossier (nothing removed at the end), and that the dossier's state is its last event's."""
    label = dossier.code or f"#{dossier.pk}"
    for expected, event in enumerate(events, start=1):
        if event.seq != expected:
            return BrokenHistory(dossier.pk, label, expected, "missing event")
    broken = chain.first_broken_link([(_content(e), e.prev_hash, e.hash) for e in events])
    if broken is not None:
        return BrokenHistory(dossier.pk, label, events[broken].seq, "event altered")
    if len(events) != dossier.event_count or (events and events[-1].hash != dossier.last_hash):
        return BrokenHistory(dossier.pk, label, None, "events removed at the end")
    if events and events[-1].to_state != dossier.state:
        return BrokenHistory(dossier.pk, label, None, "state differs from history")
    return None


def verify_all(batch_size: int = 2000) -> Iterator[BrokenHistory]:
    """Walks every dossier in id order, in batches, with its events."""
    last_id = 0
    while True:
        dossiers = list(Dossier.objects.filter(pk__gt=last_id).order_by("pk")[:batch_size])
        if not dossiers:
            return
        events: dict[int, list[DossierEvent]] = {d.pk: [] for d in dossiers}
        for event in DossierEvent.objects.filter(dossier_id__in=events).order_by("dossier_id", "seq"):
            events[event.dossier_id].append(event)
        for dossier in dossiers:
            problem = verify_dossier(dossier, events[dossier.pk])
            if problem:
                yield problem
        last_id = dossiers[-1].pk
