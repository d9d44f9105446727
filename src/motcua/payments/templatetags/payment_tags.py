"""`{% payment_panel dossier_or_code %}`: what a dossier owes, paid or not, and the VietQR to pay it.

Added with one line to the tracking page and the kiosk (`dossiers/public_status.html`) and to the
counter's result screen, like `feedback_links`: those pages belong to other apps.

    {% load payment_tags %}{% payment_panel data.code %}
    {% load payment_tags %}{% payment_panel dossier staff=True %}
"""

from django import template
from django.conf import settings

from motcua.dossiers.models import Dossier

from ..display import panel

register = template.Library()


@register.inclusion_tag("payments/_panel.html", takes_context=True)
def payment_panel(context, dossier_or_code, secret: str = "", staff: bool = False) -> dict:
    dossier = dossier_or_code
    if not isinstance(dossier, Dossier):
        dossier = (
            Dossier.objects.select_related("receiving_center__commune")
            .filter(code=str(dossier_or_code))
            .first()
            if dossier_or_code
            else None
        )
    if dossier is None or not dossier.code:
        return {"show": False}
    out = panel(dossier)
    out["staff"] = staff
    out["secret"] = secret
    out["paygov"] = bool(secret and settings.MOTCUA_PAYGOV_URL and out.get("status") in ("unpaid", "partial"))
    out["csrf_token"] = context.get("csrf_token")
    return out


@register.inclusion_tag("payments/_nav.html", takes_context=True)
def payments_nav_link(context) -> dict:
    """The staff menu's link to the payments to resolve (one line in `staff/base.html`)."""
    request = context.get("request")
    name = getattr(getattr(request, "resolver_match", None), "url_name", "")
    return {"current": name in ("exceptions", "reconciliation")}
