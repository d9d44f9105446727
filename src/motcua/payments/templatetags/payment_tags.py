"""`{% payment_panel dossier_or_code %}`: what a dossier owes, paid or not, and the VietQR to pay it.

Added with one line to the tracking page and the kiosk (`dossiers/public_status.html`) and to the
counter's result screen, like `feedback_links`: those pages belong to other apps.

    {% load payment_tags %}{% payment_panel data.code %}
    {% load payment_tags %}{% payment_panel dossier staff=True %}
"""

from django import template

from motcua.dossiers.models import Dossier

from ..display import panel

register = template.Library()


@register.inclusion_tag("payments/_panel.html")
def payment_panel(dossier_or_code, staff: bool = False) -> dict:
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
    context = panel(dossier)
    context["staff"] = staff
    return context
