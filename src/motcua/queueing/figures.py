"""Queue figures (tickets, waits p50/p90, service time, no-shows per center, service, counter,
officer and hour) and the staffing planner (counters needed per weekday × hour by Erlang C)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q

from motcua.units.models import ServiceCenter
from motcua.workdays.core import VN_TZ

from . import rules
from .models import Appointment, AppointmentStatus, Ticket, TicketEvent, TicketStatus

DIMENSIONS = ("center", "service", "counter", "officer", "hour")
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def _minutes(a, b) -> float | None:
    return (b - a).total_seconds() / 60 if a and b else None


def _round(value):
    return None if value is None else round(value, 1)


def _key(ticket: Ticket, by: str):
    if by == "center":
        return ticket.center_id, ticket.center.name
    if by == "service":
        return ticket.service_id, f"{ticket.service.prefix} · {ticket.service.name}"
    if by == "counter":
        return ticket.counter_id, (
            f"{ticket.counter.number}. {ticket.counter.name}" if ticket.counter_id else "—"
        )
    if by == "officer":
        return ticket.officer_id, (str(ticket.officer) if ticket.officer_id else "—")
    hour = ticket.arrived_at.astimezone(VN_TZ).hour
    return hour, f"{hour:02d}:00"


def queue_figures(*, centers, start: date, end: date, by: str = "service") -> list[dict]:
    """One row per group: tickets, served, missed, waits (minutes from arrival to the first
    call) p50/p90, service minutes (start to finish) mean and p50."""
    if by not in DIMENSIONS:
        raise ValueError(by)
    tickets = Ticket.objects.filter(center__in=centers, day__gte=start, day__lte=end).select_related(
        "center", "service", "counter", "officer"
    )
    groups: dict = defaultdict(lambda: {"tickets": 0, "served": 0, "missed": 0, "waits": [], "services": []})
    labels = {}
    for ticket in tickets.iterator(chunk_size=2000):
        key, label = _key(ticket, by)
        labels[key] = label
        row = groups[key]
        row["tickets"] += 1
        row["served"] += ticket.status == TicketStatus.FINISHED
        row["missed"] += ticket.status == TicketStatus.MISSED
        wait = _minutes(
            ticket.arrived_at if not ticket.not_before else max(ticket.arrived_at, ticket.not_before),
            ticket.first_called_at,
        )
        if wait is not None:
            row["waits"].append(max(wait, 0))
        service = _minutes(ticket.serving_at, ticket.finished_at)
        if service is not None and ticket.status == TicketStatus.FINISHED:
            row["services"].append(service)
    out = []
    for key in sorted(groups, key=lambda k: (k is None, str(labels[k]))):
        row = groups[key]
        out.append(
            {
                "key": key,
                "label": labels[key],
                "tickets": row["tickets"],
                "served": row["served"],
                "missed": row["missed"],
                "wait_p50": _round(rules.percentile(row["waits"], 50)),
                "wait_p90": _round(rules.percentile(row["waits"], 90)),
                "service_mean": _round(sum(row["services"]) / len(row["services"]))
                if row["services"]
                else None,
                "service_p50": _round(rules.percentile(row["services"], 50)),
            }
        )
    return out


def appointment_figures(*, centers, start: date, end: date) -> dict:
    """Bookings whose slot falls in [start, end] (one query): `booked` all of them, then by status:
    `pending` (not yet due or not yet marked), `checked_in`, `cancelled`, `missed` (the no-shows)."""
    qs = Appointment.objects.filter(center__in=centers, starts_at__date__gte=start, starts_at__date__lte=end)
    found = dict(qs.order_by().values_list("status").annotate(n=Count("id")))
    return {
        "booked": sum(found.values()),
        "pending": found.get(AppointmentStatus.BOOKED, 0),
        "checked_in": found.get(AppointmentStatus.CHECKED_IN, 0),
        "cancelled": found.get(AppointmentStatus.CANCELLED, 0),
        "missed": found.get(AppointmentStatus.MISSED, 0),
    }


@dataclass(frozen=True)
class StaffingCell:
    weekday: int
    hour: int
    arrivals_per_hour: float
    recommended: int
    open_counters: float


def staffing_plan(
    *,
    center: ServiceCenter,
    today: date,
    weeks: int = 4,
    wait_minutes: float = 15,
    share: float = 0.9,
    default_service_minutes: float = 10,
) -> dict:
    """Counters needed per weekday × hour so that `share` of citizens wait at most
    `wait_minutes`, from the last `weeks` weeks' arrivals and measured service times, beside the
    counters that actually called in those hours (averaged over the same days)."""
    start = today - timedelta(days=7 * weeks)
    tickets = Ticket.objects.filter(center=center, day__gte=start, day__lt=today)
    arrivals: dict[tuple[int, int], int] = defaultdict(int)
    days_seen: dict[int, set] = defaultdict(set)
    durations = []
    for arrived_at, serving_at, finished_at in tickets.values_list("arrived_at", "serving_at", "finished_at"):
        local = arrived_at.astimezone(VN_TZ)
        arrivals[(local.weekday(), local.hour)] += 1
        days_seen[local.weekday()].add(local.date())
        minutes = _minutes(serving_at, finished_at)
        if minutes is not None and minutes > 0:
            durations.append(minutes)
    service_minutes = sum(durations) / len(durations) if durations else default_service_minutes
    calling: dict[tuple[int, int, date], set] = defaultdict(set)
    for at, counter_id in (
        TicketEvent.objects.filter(
            center=center, action="call", at__date__gte=start, at__date__lt=today + timedelta(days=1)
        )
        .filter(~Q(counter=None))
        .values_list("at", "counter_id")
    ):
        local = at.astimezone(VN_TZ)
        calling[(local.weekday(), local.hour, local.date())].add(counter_id)
    cells = []
    for weekday in sorted(days_seen):
        n_days = max(len(days_seen[weekday]), 1)
        for hour in range(6, 19):
            rate = arrivals.get((weekday, hour), 0) / n_days
            used = [len(v) for (w, h, _d), v in calling.items() if w == weekday and h == hour]
            if not rate and not used:
                continue
            cells.append(
                StaffingCell(
                    weekday,
                    hour,
                    round(rate, 2),
                    rules.counters_needed(
                        arrivals_per_hour=rate,
                        service_minutes=service_minutes,
                        wait_minutes=wait_minutes,
                        share=share,
                    ),
                    round(sum(used) / n_days, 1),
                )
            )
    return {
        "service_minutes": round(service_minutes, 1),
        "wait_minutes": wait_minutes,
        "share": share,
        "weeks": weeks,
        "cells": cells,
        "hours": sorted({c.hour for c in cells}),
        "weekdays": sorted({c.weekday for c in cells}),
    }
