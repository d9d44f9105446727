"""The queue on the reports app's dashboard of a commune or service center (a panel registered
with `reports.panels` in QueueingConfig.ready) and the hourly chart it shares with the figures page
(/quay/hang-cho/so-lieu/): one computation (`figures.queue_figures`), shown in both places."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from motcua.reports.charts import grouped_bars

from . import figures
from .models import QueueService


def hourly_chart(by_hour: list[dict], *, title: str) -> SafeString:
    """Arrivals (tickets taken) and the 90th percentile of the wait per hour of the day."""
    return grouped_bars(
        [row["label"][:2] + "h" for row in by_hour],
        [
            (_("Tickets"), [row["tickets"] for row in by_hour]),
            (_("Wait p90 (minutes)"), [round(row["wait_p90"] or 0) for row in by_hour]),
        ],
        title=title,
        description=_(
            "Tickets taken in each hour of the day and the 90th percentile of the wait in minutes."
        ),
    )


def unit_panel(request, unit, period) -> str:
    """The queue's figures of the unit's centers over the report period: arrivals and waits by
        hour (chart), then per service, and the bookings; nothing for centers without a queue. A fixed
    number of queries (four), whatever the period."""
    center_ids = list(unit.center_ids)
    if not QueueService.objects.filter(center_id__in=center_ids).exists():
        return ""
    by_hour = figures.queue_figures(centers=center_ids, start=period.start, end=period.end, by="hour")
    context = {
        "chart": hourly_chart(
            by_hour, title=_("Arrivals and waits by hour, %(period)s") % {"period": period.label}
        ),
        "by_service": figures.queue_figures(
            centers=center_ids, start=period.start, end=period.end, by="service"
        ),
        "appointments": figures.appointment_figures(centers=center_ids, start=period.start, end=period.end),
        "figures_url": reverse("queueing:figures")
        + (f"?center={center_ids[0]}" if len(center_ids) == 1 else ""),
    }
    return render_to_string("queueing/_dashboard_panel.html", context, request=request)
