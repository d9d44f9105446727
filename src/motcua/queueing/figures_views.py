"""The queue figures page (/quay/hang-cho/so-lieu/): arrivals and waits by hour as a chart, the
figures per service, counter and officer, and the staffing plan beside the counters open."""

from __future__ import annotations

from datetime import timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from motcua.core.errors import NotFound
from motcua.staff.access import staff_required
from motcua.units.models import Role
from motcua.units.scoping import center_get_for_user, centers_for_user
from motcua.workdays.core import VN_TZ

from . import figures
from .dashboard import hourly_chart


@staff_required(Role.DESK_OFFICER, Role.LEADER, Role.CENTER_ADMIN, Role.PROVINCE_ADMIN)
@require_safe
def figures_page(request: HttpRequest) -> HttpResponse:
    centers = list(centers_for_user(request.user).order_by("name")[:200])
    if not centers:
        raise Http404(_("Service center not found."))
    try:
        center = center_get_for_user(request.user, request.GET.get("center") or centers[0].pk)
    except NotFound:
        raise Http404(_("Service center not found.")) from None
    today = timezone.now().astimezone(VN_TZ).date()
    start = today - timedelta(days=27)
    by_hour = figures.queue_figures(centers=[center], start=start, end=today, by="hour")
    chart = hourly_chart(by_hour, title=_("Arrivals and waits by hour, last 28 days"))
    plan = figures.staffing_plan(center=center, today=today)
    cells = {(c.weekday, c.hour): c for c in plan["cells"]}
    table = [
        {"weekday": figures.WEEKDAYS[w], "cells": [cells.get((w, h)) for h in plan["hours"]]}
        for w in plan["weekdays"]
    ]
    context = {
        "centers": centers,
        "center": center,
        "start": start,
        "end": today,
        "chart": chart,
        "by_service": figures.queue_figures(centers=[center], start=start, end=today, by="service"),
        "by_counter": figures.queue_figures(centers=[center], start=start, end=today, by="counter"),
        "by_officer": figures.queue_figures(centers=[center], start=start, end=today, by="officer"),
        "appointments": figures.appointment_figures(centers=[center], start=start, end=today),
        "plan": plan,
        "table": table,
    }
    return render(request, "queueing/figures.html", context)
