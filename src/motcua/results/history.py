"""Results in the dossier's history: declared system events recorded with `dossier_record(...)`.

- `result_signed`: a result signed after the approval (a remote signature, or a leader without a
  key at approval time); a result signed at the approval itself is recorded by the approval event.
- `result_revoked`: a leader revoked the result, with the reason.
- `result_delivered`: the citizen downloaded the signed result from the tracking page: the return
  of results, electronically (result ready → returned). Reports count it as a return.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

RESULT_SIGNED = "result_signed"
RESULT_REVOKED = "result_revoked"
RESULT_DELIVERED = "result_delivered"


def _deliver(ctx) -> dict:
    dossier = ctx.dossier
    dossier.returned_at = ctx.at
    dossier.return_method = "electronic"
    return {"method": "electronic", "outcome": dossier.outcome}


def declare() -> None:
    from motcua.dossiers import lifecycle
    from motcua.dossiers.models import State

    declarations = (
        (
            RESULT_SIGNED,
            frozenset({State.RESULT_READY, State.RETURNED}),
            None,
            None,
            _("Result signed digitally"),
            "Ký số kết quả giải quyết",
            lifecycle.HANDLING,
        ),
        (
            RESULT_REVOKED,
            frozenset(),
            None,
            None,
            _("Electronic result revoked"),
            "Thu hồi kết quả điện tử",
            lifecycle.HANDLING,
        ),
        (
            RESULT_DELIVERED,
            frozenset({State.RESULT_READY}),
            State.RETURNED,
            _deliver,
            _("Result delivered electronically"),
            "Trả kết quả điện tử",
            lifecycle.RECEPTION,
        ),
    )
    for name, sources, target, apply, event, slip, side in declarations:
        if lifecycle.get(name) is None:
            lifecycle.register(
                lifecycle.Action(
                    name=name,
                    sources=sources,
                    target=target,
                    roles=frozenset(),
                    event=event,
                    slip=slip,
                    side=side,
                    apply=apply,
                )
            )
