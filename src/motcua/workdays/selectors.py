"""Reads of the working calendar: the `WorkCalendar` that applies to a center, province or nation.

Building a calendar merges the `holidays` package with the override table, which is too slow to
repeat on every dossier intake. Built calendars are therefore cached in-process, keyed by
(province, office hours, cut-off) and stamped with the calendar revision token; each call costs
one primary-key read to compare the token, and a rebuild only when an override was written.
"""

from __future__ import annotations

import re
import threading
from datetime import date, datetime, time

from django.db.models import Q, Subquery
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.units.models import Commune, Province, ServiceCenter

from .core import (
    DEFAULT_CUTOFF,
    DEFAULT_OFFICE_HOURS,
    CalendarError,
    OfficeHours,
    TimeLimit,
    WorkCalendar,
    build_calendar,
)
from .models import CalendarOverride, CalendarRevision, OverrideKind

_CACHE_LIMIT = 512  # distinct (province, hours, cut-off) combinations; a province has a few hundred
_CacheKey = tuple[str | None, OfficeHours, time]
_cache: dict[_CacheKey, tuple[str, WorkCalendar]] = {}
_cache_lock = threading.Lock()


def clear_calendar_cache() -> None:
    """Forget every built calendar (tests, or after writing overrides behind the services' back)."""
    with _cache_lock:
        _cache.clear()


def calendar_for(
    province_code: str | None = None,
    hours: OfficeHours | dict | None = None,
    cutoff: time | str | None = None,
) -> WorkCalendar:
    """The calendar of national overrides plus `province_code`'s, with these office hours and cut-off.

    Defaults: no province (national only), Monday-Friday 07:30-11:30 and 13:00-17:00, 15:00.
    """
    return _cached_calendar(_revision_token(), province_code or None, _office_hours(hours), _cutoff(cutoff))


def calendar_for_center(center: ServiceCenter) -> WorkCalendar:
    """The calendar of a service center: its office hours, cut-off and its province's overrides.

    One database query, also when `center.commune` is not loaded: the province is read together
    with the revision token.
    """
    if ServiceCenter.commune.is_cached(center):
        province_code, token = center.commune.province_id, _revision_token()
    else:
        province_code, token = _province_and_token(center.commune_id)
    return _cached_calendar(token, province_code, _office_hours(center.office_hours), _cutoff(center.cutoff))


def calendar_for_unit(code: str | None) -> WorkCalendar:
    """The calendar selected by a unit code, as typed on the command line or in the API.

    Blank: national defaults. Otherwise a center's agency code, a commune code (5 digits; its
    active center's hours, or the defaults with its province's overrides when it has no center)
    or a province code (2 digits; default hours with that province's overrides).
    """
    text = (code or "").strip()
    if not text:
        return calendar_for()
    center = ServiceCenter.objects.select_related("commune").filter(agency_code=text).first()
    if center is not None:
        return calendar_for_center(center)
    if re.fullmatch(r"\d{5}", text):
        commune = Commune.objects.filter(pk=text).first()
        if commune is not None:
            center = (
                ServiceCenter.objects.select_related("commune")
                .filter(commune=commune)
                .order_by("-is_active", "pk")
                .first()
            )
            return calendar_for_center(center) if center else calendar_for(province_code=commune.province_id)
    if re.fullmatch(r"\d{1,2}", text) and Province.objects.filter(pk=text.zfill(2)).exists():
        return calendar_for(province_code=text.zfill(2))
    raise ValidationFailed(
        _('No service center, commune or province has the code "%(code)s".') % {"code": text},
        code="unknown_unit",
        field="unit",
    )


def due_date(*, received: datetime, limit: TimeLimit, unit: str | None = None) -> datetime:
    """The due instant of `limit` counted from `received` under the calendar of `unit`."""
    try:
        return calendar_for_unit(unit).due(received, limit)
    except (CalendarError, OverflowError) as exc:
        raise ValidationFailed(
            _("The due date cannot be computed: %(error)s") % {"error": exc}, code="calendar_error"
        ) from exc


def calendar_overrides(province_code: str | None = None) -> tuple[frozenset[date], frozenset[date]]:
    """(days off, make-up working days) of the table: national, then the province's on top."""
    scope = Q(province__isnull=True)
    if province_code:
        scope |= Q(province_id=province_code)
    rows = CalendarOverride.objects.filter(scope).values_list("day", "kind", "province_id")
    kinds: dict[date, str] = {}
    # A province's entry replaces the national one for the same date.
    for day, kind, _province in sorted(rows, key=lambda row: row[2] is not None):
        kinds[day] = kind
    days_off = frozenset(day for day, kind in kinds.items() if kind == OverrideKind.DAY_OFF)
    workdays = frozenset(day for day, kind in kinds.items() if kind == OverrideKind.WORKDAY)
    return days_off, workdays


# -- internals ---------------------------------------------------------------------------------
def _revision_token() -> str | None:
    return (
        CalendarRevision.objects.filter(pk=CalendarRevision.SINGLETON_PK)
        .values_list("token", flat=True)
        .first()
    )


def _province_and_token(commune_id: str) -> tuple[str | None, str | None]:
    token = CalendarRevision.objects.filter(pk=CalendarRevision.SINGLETON_PK).values("token")
    row = (
        Commune.objects.filter(pk=commune_id)
        .annotate(token=Subquery(token[:1]))
        .values_list("province_id", "token")
        .first()
    )
    return row if row is not None else (None, _revision_token())


def _cached_calendar(
    token: str | None, province_code: str | None, hours: OfficeHours, cutoff: time
) -> WorkCalendar:
    key = (province_code, hours, cutoff)
    if token is not None:
        hit = _cache.get(key)
        if hit is not None and hit[0] == token:
            return hit[1]
    # The token was read before the overrides, so a concurrent write can only make the cached
    # calendar newer than its stamp, never older: the next call then rebuilds it once more.
    days_off, workdays = calendar_overrides(province_code)
    calendar = build_calendar(hours=hours, cutoff=cutoff, days_off=days_off, workdays=workdays)
    if token is not None:  # no revision row (a flushed test database): never trust a cache
        with _cache_lock:
            if len(_cache) >= _CACHE_LIMIT:
                _cache.clear()
            _cache[key] = (token, calendar)
    return calendar


def _office_hours(value: OfficeHours | dict | None) -> OfficeHours:
    if value is None:
        return DEFAULT_OFFICE_HOURS
    return value if isinstance(value, OfficeHours) else OfficeHours.from_json(value)


def _cutoff(value: time | str | None) -> time:
    if value is None or value == "":
        return time.fromisoformat(DEFAULT_CUTOFF)
    return value if isinstance(value, time) else time.fromisoformat(value)
