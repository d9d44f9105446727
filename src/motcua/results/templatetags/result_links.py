"""`{% result_links code secret state %}` on the tracking page: the signed result to download (one
query); `{% result_panel dossier %}` on the staff dossier page: the result's state and its page."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from motcua.results.models import ResultDocument

register = template.Library()


@register.inclusion_tag("results/_links.html")
def result_links(code: str, secret: str, state: str) -> dict:
    if not code or not secret or state not in ("result_ready", "returned"):
        return {"show": False}
    result = (
        ResultDocument.objects.filter(dossier__code=code, revoked_at__isnull=True, signed_sha256__gt="")
        .only("id", "title", "signed_at")
        .first()
    )
    if result is None:
        return {"show": False}
    return {
        "show": True,
        "result": result,
        "url": reverse("results:download", args=[code]) + "?" + urlencode({"s": secret}),
        "check_upload_url": reverse("results:check_upload"),
    }


@register.inclusion_tag("results/_panel.html")
def result_panel(dossier, ref) -> dict:
    result = ResultDocument.objects.filter(dossier=dossier).order_by("revoked_at", "-id").first()
    return {"result": result, "url": reverse("results:staff_result", args=[ref]), "dossier": dossier}
