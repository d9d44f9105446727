"""QR codes for public pages: a procedure's code printed at the counter leads to its page."""

import io

import segno
from django.conf import settings
from django.urls import reverse

# One size for the page, the SVG download and the tests: medium error correction survives the
# wear of a printed notice; the quiet zone of 2 modules is enough on a white page.
ERROR = "m"
SVG_OPTIONS = {"scale": 4, "border": 2, "omitsize": True, "svgclass": "qr-code"}
PNG_OPTIONS = {"scale": 8, "border": 2}


def procedure_public_url(national_code: str) -> str:
    """The absolute address of a procedure's page: PUBLIC_URL, not the request's host, because
    the code is printed and must work from anywhere."""
    return settings.PUBLIC_URL + reverse("portal:procedure", args=[national_code])


def make(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR)


def svg_inline(url: str, *, title: str = "") -> str:
    return make(url).svg_inline(title=title or None, **SVG_OPTIONS)


def svg_document(url: str) -> bytes:
    out = io.BytesIO()
    make(url).save(out, kind="svg", scale=SVG_OPTIONS["scale"], border=SVG_OPTIONS["border"])
    return out.getvalue()


def png(url: str) -> bytes:
    out = io.BytesIO()
    make(url).save(out, kind="png", **PNG_OPTIONS)
    return out.getvalue()
