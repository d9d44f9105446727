"""`{% feedback_links code secret state %}`: the rating and complaint links for a dossier, for the
tracking page and the kiosk (which belong to the portal; they only add this one tag).

    {% load feedback_links %}
    {% feedback_links data.code secret data.state %}            {# tracking page #}
    {% feedback_links data.code secret data.state kiosk=True %}  {# kiosk: kiosk frame and channel #}

"Rate the service" shows once the result is returned (or the dossier refused) and until it is
rated; the complaint link is always there. One query (is it rated?).
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from motcua.feedback.models import Rating
from motcua.feedback.services import RATEABLE_STATES

register = template.Library()


@register.inclusion_tag("feedback/_links.html")
def feedback_links(code: str, secret: str, state: str, kiosk: bool = False) -> dict:
    if not code or not secret:
        return {"show": False}
    query = "?" + urlencode({"s": secret})
    rateable = state in RATEABLE_STATES
    rated = rateable and Rating.objects.filter(dossier__code=code).exists()
    return {
        "show": True,
        "kiosk": kiosk,
        "rate_url": reverse("feedback:kiosk_rate" if kiosk else "feedback:rate", args=[code]) + query
        if rateable and not rated
        else "",
        "rated": rated,
        "complaint_url": "" if kiosk else reverse("feedback:complain_dossier", args=[code]) + query,
    }
