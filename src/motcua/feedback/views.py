"""Pages where citizens rate the service, fill the survey and send complaints.

The rating and survey pages exist in three modes that differ only in how the dossier is proved
and which channel is recorded:

* **web** `/danh-gia/<code>/?s=<secret>`: from the tracking page or the slip's QR, on a phone;
* **kiosk** `/danh-gia/kiosk/<code>/?s=<secret>`: the same in the kiosk's frame;
* **counter** `/danh-gia/quay/<code>/`: the counter tablet, signed in by a desk officer, for a
  dossier returned at their centre today (see `staff_views.py`).

The secret travels in the query string of GETs (as on the tracking page) and in the body of
POSTs; pages are never cached and not indexed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from motcua.core import idempotency
from motcua.core.errors import DomainError, RateLimited, ValidationFailed
from motcua.core.ratelimit import client_ip, hit
from motcua.core.text import ascii_int
from motcua.dossiers.models import Dossier
from motcua.dossiers.tracking import initials

from . import citizen, selectors, services
from . import survey as survey_rules
from .models import FeedbackChannel, RatingValue

COMPLAINTS_PER_HOUR = 10
DEFAULT_IDLE_SECONDS = 60


@dataclass(frozen=True)
class Mode:
    channel: str
    base_template: str
    rate_view: str
    survey_view: str
    with_secret: bool = True

    def rate_url(self, code: str, secret: str = "") -> str:
        return self._url(self.rate_view, code, secret)

    def survey_url(self, code: str, secret: str = "") -> str:
        return self._url(self.survey_view, code, secret)

    def _url(self, view: str, code: str, secret: str) -> str:
        url = reverse(view, args=[code])
        return f"{url}?{urlencode({'s': secret})}" if self.with_secret else url


WEB = Mode(FeedbackChannel.WEB, "base.html", "feedback:rate", "feedback:survey")
KIOSK = Mode(FeedbackChannel.KIOSK, "portal/kiosk/base.html", "feedback:kiosk_rate", "feedback:kiosk_survey")
COUNTER = Mode(
    FeedbackChannel.COUNTER,
    "feedback/counter_base.html",
    "feedback:counter_rate",
    "feedback:counter_survey",
    with_secret=False,
)


def _kiosk_context(request: HttpRequest) -> dict:
    """What the kiosk's frame expects: the idle reset and the kiosk's centre (a device cookie)."""
    from motcua.portal.kiosk_device import kiosk_center

    try:
        idle = max(
            2, min(600, int(request.GET.get("idle") or request.POST.get("idle") or DEFAULT_IDLE_SECONDS))
        )
    except ValueError:
        idle = DEFAULT_IDLE_SECONDS
    return {
        "idle": idle,
        "idle_qs": f"?idle={idle}" if idle != DEFAULT_IDLE_SECONDS else "",
        "kiosk_center": kiosk_center(request),
    }


def _render(
    request: HttpRequest, mode: Mode, template: str, context: dict, status: int = 200
) -> HttpResponse:
    context = {"base_template": mode.base_template, "mode": mode.channel, **context}
    if mode is KIOSK:
        context = {**_kiosk_context(request), **context}
    response = render(request, template, context, status=status)
    response["X-Robots-Tag"] = "noindex"
    # the address may carry the secret: never sent to another site ("no-referrer" would make the
    # browser send "Origin: null" with the form, which the CSRF check refuses)
    response["Referrer-Policy"] = "same-origin"
    return response


def _secret(request: HttpRequest) -> str:
    source = request.POST if request.method == "POST" else request.GET
    return source.get("s", "").strip()[:40]


def _dossier_summary(dossier: Dossier) -> dict:
    return {
        "code": dossier.code,
        "procedure": dossier.procedure_version.name,
        "initials": initials(dossier.applicant_name),
        "center": dossier.center.name,
    }


# -- rating ---------------------------------------------------------------------------------------
def rating_page(
    request: HttpRequest,
    mode: Mode,
    dossier: Dossier,
    *,
    secret: str = "",
    recorded_by=None,
    done_url: str = "",
) -> HttpResponse:
    """Shared by the three modes once the dossier is proved: the form, or why not, or thanks."""
    state = selectors.feedback_state(dossier)
    officers = services.officers_for(dossier)
    context = {
        "dossier": _dossier_summary(dossier),
        "secret": secret,
        "officers": officers,
        "values": RatingValue.choices,
        "max_comment": services.MAX_COMMENT,
        "refusal": services.rating_refusal(dossier),
        "survey_url": mode.survey_url(dossier.code, secret),
        "complaint_url": _complaint_url(dossier.code, secret) if mode.with_secret else "",
        "done_url": done_url,
        **state,
    }
    status = 200
    if request.method == "POST":
        posted = {k: request.POST.get(k, "") for k in ("value", "officer", "officer_value", "comment")}
        context["posted"] = posted
        try:
            if state["rated"]:
                raise services.already_rated()
            try:
                officer_id = ascii_int(posted["officer"]) if posted["officer"] else None
            except ValueError:
                raise ValidationFailed(
                    _("Choose one of the officers who served you."), field="officer"
                ) from None
            services.rating_create(
                dossier=dossier,
                value=posted["value"],
                channel=mode.channel,
                comment=posted["comment"],
                officer_id=officer_id,
                officer_value=posted["officer_value"],
                recorded_by=recorded_by,
            )
        except DomainError as exc:
            context["error"], status = exc.message, exc.status
            context["error_field"] = exc.field or ""
        else:
            return HttpResponseRedirect(mode.survey_url(dossier.code, secret))
    return _render(request, mode, "feedback/rate.html", context, status)


def _proved(request: HttpRequest, mode: Mode, code: str, template: str):
    """The dossier for a citizen's code and secret, or the page that asks for them again."""
    secret = _secret(request)
    context = {"code": code[:60], "secret": secret}
    if not secret:
        context["error"] = _("Enter the lookup secret printed on your receipt.")
        return None, secret, _render(request, mode, template, context)
    try:
        return citizen.dossier_for_citizen(code=code, secret=secret, client=client_ip(request)), secret, None
    except DomainError as exc:
        context["error"] = exc.message
        return None, secret, _render(request, mode, template, context, exc.status)


@never_cache
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, code: str, mode: Mode = WEB) -> HttpResponse:
    dossier, secret, refused = _proved(request, mode, code, "feedback/rate.html")
    if refused:
        return refused
    return rating_page(
        request, mode, dossier, secret=secret, done_url=reverse("portal:kiosk_home") if mode is KIOSK else ""
    )


def kiosk_rate(request: HttpRequest, code: str) -> HttpResponse:
    return rate(request, code, KIOSK)


# -- the survey -----------------------------------------------------------------------------------
def _posted_scores(request: HttpRequest) -> list:
    scores = []
    for indicator in survey_rules.INDICATORS:
        raw = request.POST.get(f"i{indicator.number}", "")
        scores.append(int(raw) if raw in ("0", "1", "2") else None)
    return scores


def survey_page(
    request: HttpRequest,
    mode: Mode,
    dossier: Dossier,
    *,
    secret: str = "",
    recorded_by=None,
    done_url: str = "",
) -> HttpResponse:
    state = selectors.feedback_state(dossier)
    done_url = done_url or mode.rate_url(dossier.code, secret)
    context = {
        "dossier": _dossier_summary(dossier),
        "secret": secret,
        "rows": [(indicator, "") for indicator in survey_rules.INDICATORS],
        "done_url": done_url,
        "rate_url": mode.rate_url(dossier.code, secret),
        **state,
    }
    status = 200
    if request.method == "POST":
        scores = _posted_scores(request)
        context["rows"] = [
            (i, "" if v is None else str(v)) for i, v in zip(survey_rules.INDICATORS, scores, strict=True)
        ]
        try:
            services.survey_submit(
                dossier=dossier, scores=scores, channel=mode.channel, recorded_by=recorded_by
            )
        except DomainError as exc:
            context["error"], status = exc.message, exc.status
        else:
            return HttpResponseRedirect(done_url)
    return _render(request, mode, "feedback/survey.html", context, status)


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, code: str, mode: Mode = WEB) -> HttpResponse:
    dossier, secret, refused = _proved(request, mode, code, "feedback/survey.html")
    if refused:
        return refused
    return survey_page(request, mode, dossier, secret=secret)


def kiosk_survey(request: HttpRequest, code: str) -> HttpResponse:
    return survey(request, code, KIOSK)


# -- complaints -----------------------------------------------------------------------------------
def _complaint_url(code: str, secret: str) -> str:
    return reverse("feedback:complain_dossier", args=[code]) + "?" + urlencode({"s": secret})


def _center_groups():
    from motcua.portal import selectors as portal_selectors

    return portal_selectors.centers_by_province(portal_selectors.active_centers())


@never_cache
@require_http_methods(["GET", "POST"])
def complain(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """Phản ánh kiến nghị: about a dossier (code + secret, from the tracking page) or about a
    centre. Rate-limited per client; a retried POST (same form nonce) files nothing new."""
    context: dict = {"code": (code or "")[:60], "max_text": services.MAX_COMPLAINT}
    dossier = None
    if code:
        dossier, secret, refused = _proved(request, WEB, code, "feedback/complain.html")
        if refused:
            return refused
        context.update(
            dossier=_dossier_summary(dossier), secret=secret, complaints=selectors.dossier_complaints(dossier)
        )
    else:
        context["center_groups"] = _center_groups()
    status = 200
    if request.method == "POST":
        posted = {k: request.POST.get(k, "")[:4000] for k in ("name", "phone", "text", "center")}
        context["posted"] = posted
        nonce = request.POST.get("nonce", "")[:64]
        try:
            body = _file_complaint(request, dossier, posted, nonce)
        except DomainError as exc:
            context["error"], status = exc.message, exc.status
            context["error_field"] = exc.field or ""
        else:
            return _render(
                request,
                WEB,
                "feedback/complaint_done.html",
                {
                    "reference": body["reference"],
                    "center": body["center"],
                    "back_url": _complaint_url(dossier.code, context["secret"]) if dossier else "",
                },
            )
    context["nonce"] = uuid.uuid4().hex
    return _render(request, WEB, "feedback/complain.html", context, status)


def _file_complaint(request: HttpRequest, dossier: Dossier | None, posted: dict, nonce: str) -> dict:
    if not hit("complaint", client_ip(request), limit=COMPLAINTS_PER_HOUR, window_seconds=3600):
        raise RateLimited(
            _("Too many complaints from this device. Please try again later or call the center.")
        )

    def run():
        center = None
        if dossier is None:
            from motcua.portal import selectors as portal_selectors

            try:
                center = portal_selectors.center_get_active(posted["center"])
            except DomainError:
                raise ValidationFailed(
                    _("Choose the center your complaint is about."), field="center"
                ) from None
        complaint = services.complaint_file(
            dossier=dossier,
            center=center,
            name=posted["name"],
            phone=posted["phone"],
            text=posted["text"],
            channel=FeedbackChannel.WEB,
        )
        return 201, {"reference": complaint.pk, "center": (dossier.center if dossier else center).name}

    status, body = idempotency.idempotent(
        key=nonce or None,
        scope="public:complaint-form",
        fingerprint=idempotency.request_fingerprint(
            ["complaint-form", dossier.pk if dossier else None, posted]
        ),
        run=run,
    )
    return body
