"""The counter's result page: what the intake decided, the slip to print, and the transfer."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from motcua.core.errors import NotFound
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers import services
from motcua.dossiers.models import State
from motcua.units.models import Role

from .access import staff_required

SLIP_FOR_STATE = {State.RECEPTION_SUPPLEMENT: "02", State.RECEPTION_REFUSED: "03"}


@staff_required(Role.DESK_OFFICER)
@require_safe
def result(request: HttpRequest, ref: str) -> HttpResponse:
    try:
        dossier = dossier_selectors.dossier_get_for_user(request.user, ref)
    except NotFound:
        raise Http404(_("Dossier not found.")) from None
    intake = dossier_selectors.dossier_events(dossier).filter(action="intake").first()
    slip = SLIP_FOR_STATE.get(dossier.state, "01")
    context = {
        "dossier": dossier,
        "slip": slip,
        "received": dossier.state not in SLIP_FOR_STATE,
        "problems": (intake.payload.get("problems", []) if intake else []),
        "reason": intake.reason if intake else "",
        "document_count": dossier.documents.count(),
        "ref": dossier.code or str(dossier.pk),
        "can_transfer": "transfer" in services.available_actions(dossier, request.user),
        "transferred": dossier.state not in (State.RECEIVED, *SLIP_FOR_STATE),
    }
    return render(request, "staff/counter_result.html", context)
