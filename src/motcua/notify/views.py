"""The operator's outbox page `/thong-bao/`: messages of the user's units, filtered by status,
channel or dossier code; leaders and administrators retry or cancel them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from motcua.core.errors import DomainError
from motcua.staff.access import staff_required

from . import selectors, services
from .models import Channel, Status

LIMIT = 200


@never_cache
@staff_required()
@require_safe
def outbox(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    channel = request.GET.get("channel", "")
    q = request.GET.get("q", "")[:60]
    counts = selectors.counts_for_user(request.user)
    rows = list(selectors.messages_for_user(request.user, status=status, channel=channel, q=q)[:LIMIT])
    context = {
        "rows": rows,
        "limit": LIMIT,
        "status": status,
        "channel": channel,
        "q": q,
        "statuses": Status.choices,
        "channels": Channel.choices,
        "counts": [(v, label, counts[v]) for v, label in Status.choices],
    }
    return render(request, "notify/outbox.html", context)


def _act(request: HttpRequest, pk: int, action) -> HttpResponse:
    try:
        message = selectors.message_get_for_user(request.user, pk)
        action(actor=request.user, message=message)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))
    back = request.POST.get("next", "")
    return HttpResponseRedirect(back if back.startswith("/thong-bao/") else reverse("notify:outbox"))


@staff_required()
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.message_retry)


@staff_required()
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.message_cancel)
