"""Account security pages: backup codes (shown once), a center administrator's reset of a staff
member's lost authenticator, and the audit of who read personal data."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.core.errors import DomainError
from motcua.security import secondfactor, selectors, services
from motcua.units.models import Role

from .access import is_verified, staff_required

AUDIT_PAGE = 100


@staff_required()
@never_cache
@require_http_methods(["GET", "POST"])
def backup_codes(request: HttpRequest) -> HttpResponse:
    """Make new backup codes: they are shown on this answer only (print it), stored hashed."""
    user = request.user
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists() or not is_verified(user):
        return redirect("staff:account")
    codes = secondfactor.backup_codes_create(user=user) if request.method == "POST" else None
    return render(
        request,
        "staff/backup_codes.html",
        {"codes": codes, "left": secondfactor.backup_codes_left(user)},
    )


@staff_required(Role.CENTER_ADMIN, Role.PROVINCE_ADMIN)
@require_safe
def staff_accounts(request: HttpRequest) -> HttpResponse:
    """Staff of the administrator's centers with their two-step status, to reset a lost phone."""
    people = list(selectors.staff_for_admin(request.user)[:500])
    with_device = set(
        TOTPDevice.objects.filter(user__in=people, confirmed=True).values_list("user_id", flat=True)
    )
    rows = [{"user": p, "enrolled": p.pk in with_device} for p in people]
    return render(request, "staff/staff_accounts.html", {"rows": rows})


@staff_required(Role.CENTER_ADMIN, Role.PROVINCE_ADMIN)
@require_POST
def authenticator_reset(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.staff_for_admin(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404(_("Staff member not found."))
    try:
        services.authenticator_reset(actor=request.user, user=person, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Two-step verification of %(name)s was reset; they add their phone again at the next sign-in.")
            % {"name": person},
        )
    return HttpResponseRedirect(reverse("staff:staff_accounts"), status=303)


@staff_required(Role.CENTER_ADMIN, Role.PROVINCE_ADMIN)
@require_safe
def read_audit(request: HttpRequest) -> HttpResponse:
    """Who read which personal data, newest first (the administrator's centers or province)."""
    qs = selectors.read_audit_for_user(request.user)
    who = request.GET.get("user", "")[:150]
    target = request.GET.get("q", "")[:120]
    if who:
        qs = qs.filter(user__username=who)
    if target:
        qs = qs.filter(target=target)
    page = Paginator(qs, AUDIT_PAGE).get_page(request.GET.get("page"))
    events = list(selectors.security_events_for_user(request.user)[:50])
    return render(
        request,
        "staff/read_audit.html",
        {"page": page, "who": who, "q": target, "events": events, "days": services.read_audit_days()},
    )
