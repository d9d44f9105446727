"""Dossier events that other apps listen to.

The dossiers app records every change as a `DossierEvent` (and every stored scan as a `Document`)
and publishes it here. Other apps register listeners in their `AppConfig.ready()`:

- inside the recording transaction (the default) where they must be exact — report rollups, rows
  of an outbox: an exception rolls the whole action back, so the dossier and its listeners never
  disagree;
- after commit (`after_commit=True`) where they talk to the outside or to caches: they never run
  for an event that was rolled back.

`dossiers` imports none of its listeners: imports go one way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction


@dataclass(frozen=True)
class _Listener:
    handler: Callable
    actions: frozenset[str] | None
    after_commit: bool


_event_listeners: list[_Listener] = []
_document_listeners: list[_Listener] = []


def listen(handler: Callable, *, actions=None, after_commit: bool = False) -> Callable:
    """Call `handler(event, dossier)` for each recorded event (of `actions` only, when given)."""
    _event_listeners.append(_Listener(handler, frozenset(actions) if actions else None, after_commit))
    return handler


def listen_documents(handler: Callable, *, after_commit: bool = False) -> Callable:
    """Call `handler(document)` for each document stored on a dossier (scanned, uploaded, re-used)."""
    _document_listeners.append(_Listener(handler, None, after_commit))
    return handler


def unlisten(handler: Callable) -> None:
    for listeners in (_event_listeners, _document_listeners):
        listeners[:] = [entry for entry in listeners if entry.handler is not handler]


def _dispatch(listeners: list[_Listener], name: str | None, *args) -> None:
    for entry in list(listeners):
        if entry.actions is not None and name not in entry.actions:
            continue
        if entry.after_commit:
            transaction.on_commit(lambda handler=entry.handler: handler(*args), robust=True)
        else:
            entry.handler(*args)


def publish_event(event, dossier) -> None:
    """Called by the dossiers services in the transaction that recorded `event`."""
    _dispatch(_event_listeners, event.action, event, dossier)


def publish_document(document) -> None:
    """Called by the dossiers services in the transaction that stored `document`."""
    _dispatch(_document_listeners, None, document)
