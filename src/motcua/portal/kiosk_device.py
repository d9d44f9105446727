"""Which center a kiosk belongs to: a device setting made by a center administrator.

The administrator signs in on the kiosk's browser and opens /kiosk/thiet-lap/, picks one of the
centers they administer, and the page stores that center in a long-lived cookie signed with the
server's secret (so nobody at the kiosk can point it at another center by editing a URL or the
cookie), then signs the administrator out, leaving the kiosk on its start page. A deployment with
a single active center needs no setting.
"""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest, HttpResponse

from motcua.units.models import ServiceCenter

from . import selectors

CENTER_COOKIE = "motcua_kiosk_center"
SALT = "motcua.portal.kiosk-center"
MAX_AGE = 5 * 365 * 86400


def kiosk_center(request: HttpRequest) -> ServiceCenter | None:
    """The center this kiosk was set up for, or the only active center, or None (not set up)."""
    agency_code = request.get_signed_cookie(CENTER_COOKIE, default="", salt=SALT, max_age=MAX_AGE)
    center = selectors.center_by_agency_code(agency_code) if agency_code else None
    if center is not None:
        return center
    centers = selectors.active_centers()
    return centers[0] if len(centers) == 1 else None


def remember_center(response: HttpResponse, center: ServiceCenter) -> HttpResponse:
    response.set_signed_cookie(
        CENTER_COOKIE, center.agency_code, salt=SALT, max_age=MAX_AGE, samesite="Lax", httponly=True
    )
    return response


__all__ = ["CENTER_COOKIE", "kiosk_center", "remember_center", "signing"]
