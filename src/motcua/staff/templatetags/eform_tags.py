"""{% counter_eform %}: the declaration e-form block of the counter intake page."""

from django import template

from motcua.identity.cccd import CCCDError, parse_cccd_qr

from ..eform_views import form_context

register = template.Library()


@register.inclusion_tag("staff/_eform.html", takes_context=True)
def counter_eform(context):
    version = context.get("version")
    request = context.get("request")
    data = request.POST if request is not None and request.method == "POST" else None
    card = None
    if data is not None and data.get("decision") == "scan" and data.get("scan"):
        # Without JavaScript the scanner's Enter posts the page: fill the form from the card too.
        try:
            card = parse_cccd_qr(data["scan"])
        except CCCDError:
            card = None
    eform = form_context(version, data, card=card) if version is not None else None
    return {"eform": eform, "version": version}
