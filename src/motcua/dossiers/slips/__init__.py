"""Printable slips of a dossier (Circular 01/2018 forms 01-05) as A5 PDFs.

    render_slip(dossier, "01")  -> bytes of a PDF   (also "receipt", "supplement", "refusal",
                                                     "apology", "process")
    slips_available(dossier)    -> ["01", "05", ...]

01 receipt and appointment · 02 supplement request · 03 refusal · 04 apology and new appointment ·
05 process control. Every slip carries the center's header, the dossier code (or, for intakes that
were never received, a reference "#<pk>") and a QR code: to the public tracking page with the
lookup secret, or to the procedure's public page when there is no code. What a slip says comes
from the dossier's events, so a reprint shows what was decided at the time.

Reads only: callers scope the dossier first (`dossier_get_for_user`).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua.core.errors import DomainError

from ..models import Dossier
from .context import SlipContext
from .forms import BUILDERS, TITLES, SlipNotAvailable, applies
from .layout import build, header, register_fonts

KINDS = ("01", "02", "03", "04", "05")
ALIASES = {"receipt": "01", "supplement": "02", "refusal": "03", "apology": "04", "process": "05"}
NAMES = {number: name for name, number in ALIASES.items()}


def slip_kind(kind: str) -> str:
    """ "01"…"05" for a number or an alias; DomainError("unknown_slip") otherwise."""
    value = str(kind).strip().lower()
    value = ALIASES.get(value, value)
    if value not in BUILDERS:
        raise DomainError(
            _("Unknown slip “%(kind)s”: choose 01-05 or receipt, supplement, refusal, apology, process.")
            % {"kind": kind},
            code="unknown_slip",
        )
    return value


def render_slip(dossier: Dossier, kind: str) -> bytes:
    """The PDF of slip `kind` for `dossier`; DomainError(code="slip_not_available") when the slip
    does not apply to the dossier's history (e.g. 01 for a dossier never received)."""
    number = slip_kind(kind)
    register_fonts()
    ctx = SlipContext.load(dossier)
    heading, body = BUILDERS[number](ctx)
    subject = ctx.dossier.code or f"Mã tham chiếu {ctx.reference}"
    return build(
        header(heading) + body, title=TITLES[number], form=number, author=ctx.center.name, subject=subject
    )


def slips_available(dossier: Dossier) -> list[str]:
    """The slip numbers that can be printed for the dossier now, in order.

    Read from the dossier's own columns (which are what its events say), so listing dossiers
    costs no query; `applies` over the loaded events gives the same answer (tested).
    """
    facts = {
        "01": bool(dossier.code) and dossier.received_at is not None,
        "02": dossier.state == "reception_supplement" or dossier.supplement_count > 0,
        "03": dossier.state in ("reception_refused", "refused"),
        "04": dossier.reappointed,
        "05": dossier.event_count > 0,
    }
    return [number for number in KINDS if facts[number]]


def slips_available_from_history(dossier: Dossier) -> list[str]:
    ctx = SlipContext.load(dossier)
    return [number for number in KINDS if applies(ctx, number)]


__all__ = [
    "ALIASES",
    "KINDS",
    "NAMES",
    "TITLES",
    "SlipNotAvailable",
    "register_fonts",
    "render_slip",
    "slip_kind",
    "slips_available",
]
