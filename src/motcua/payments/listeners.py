"""How payments follow the dossier's life: what is owed is frozen when a dossier gets its code.

Registered with `motcua.dossiers.events.listen(...)` in `PaymentsConfig.ready()`, inside the
recording transaction, so a dossier is never received without its amounts owed.
"""

from __future__ import annotations

from . import services

# Online submissions are assessed at once (the citizen pays from the tracking page before the
# desk officer receives the dossier); counter, post and kiosk intakes when received.
ASSESS_ON = ("submit", "intake", "receive")


def on_dossier_event(event, dossier) -> None:
    if event.action in ASSESS_ON:
        services.charges_ensure(dossier)
