"""Reads of feedback: the report selectors (for motcua.reports) and the staff lists (scoped).

Report selectors take `center_ids` (an iterable of ServiceCenter ids; None = every centre) and a
half-open period [start, end) of aware datetimes. Each is one or two aggregate queries on an
index (center, created_at) of a feedback table; none reads the dossiers table.

* The centre of a rating, survey or complaint is the dossier's **handling** centre (for a general
  complaint: the centre it is about).
* Per-officer figures use the centre where the officer **served** the applicant (the receiving
  centre, different for boundary-free dossiers), so a centre's dashboard lists its own officers.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound
from motcua.dossiers.models import Dossier, State
from motcua.units.models import Role
from motcua.units.scoping import user_scope

from . import survey as survey_rules
from .models import Complaint, ComplaintStatus, FollowUp, FollowUpStatus, Rating, RatingValue, Survey

# Who reads feedback of a centre: its leaders and administrators (complaints carry names and
# phone numbers, so desk officers and specialists do not).
READ_ROLES = frozenset({Role.LEADER, Role.CENTER_ADMIN, Role.PROVINCE_ADMIN})
COUNTER_LIST_LIMIT = 40


# -- report selectors -----------------------------------------------------------------------------
def _window(
    qs: QuerySet, center_field: str, center_ids: Iterable[int] | None, start: datetime, end: datetime
) -> QuerySet:
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValueError("start and end must be aware datetimes")
    qs = qs.filter(created_at__gte=start, created_at__lt=end)
    if center_ids is not None:
        qs = qs.filter(**{f"{center_field}__in": list(center_ids)})
    return qs


def _empty_counts() -> dict[str, int]:
    return {value: 0 for value in RatingValue.values}


def rating_counts(*, center_ids: Iterable[int] | None, start: datetime, end: datetime) -> dict[str, int]:
    """{"very_satisfied": n, "satisfied": n, "not_satisfied": n}: ratings made in [start, end) of
    dossiers handled by the centres."""
    counts = _empty_counts()
    rows = (
        _window(Rating.objects.all(), "center_id", center_ids, start, end)
        .order_by()
        .values_list("value")
        .annotate(n=Count("id"))
    )
    for value, n in rows:
        counts[value] = n
    return counts


def rating_counts_by_officer(
    *, center_ids: Iterable[int] | None, start: datetime, end: datetime
) -> dict[int, dict[str, int]]:
    """{officer user id: {"very_satisfied": n, "satisfied": n, "not_satisfied": n}}: the ratings of
    officers made in [start, end), for officers serving at the centres. Officers with no rating
    are absent."""
    result: dict[int, dict[str, int]] = {}
    rows = (
        _window(Rating.objects.filter(officer__isnull=False), "officer_center_id", center_ids, start, end)
        .order_by()
        .values_list("officer_id", "officer_value")
        .annotate(n=Count("id"))
    )
    for officer_id, value, n in rows:
        result.setdefault(officer_id, _empty_counts())[value] = n
    return result


def complaint_dossier_count(*, center_ids: Iterable[int] | None, start: datetime, end: datetime) -> int:
    """Distinct dossiers handled by the centres with at least one complaint filed in [start, end)
    (general complaints about a centre name no dossier and are not counted)."""
    return (
        _window(Complaint.objects.filter(dossier__isnull=False), "center_id", center_ids, start, end)
        .order_by()
        .values("dossier_id")
        .distinct()
        .count()
    )


def rating_counts_by_center(
    *, center_ids: Iterable[int], start: datetime, end: datetime
) -> dict[int, dict[str, int]]:
    """{centre id: rating_counts of that centre} for every centre asked (one query)."""
    ids = list(center_ids)
    result = {center_id: _empty_counts() for center_id in ids}
    rows = (
        _window(Rating.objects.all(), "center_id", ids, start, end)
        .order_by()
        .values_list("center_id", "value")
        .annotate(n=Count("id"))
    )
    for center_id, value, n in rows:
        result[center_id][value] = n
    return result


def complaint_dossier_count_by_center(
    *, center_ids: Iterable[int], start: datetime, end: datetime
) -> dict[int, int]:
    """{centre id: complaint_dossier_count of that centre} for every centre asked (one query)."""
    ids = list(center_ids)
    found = dict(
        _window(Complaint.objects.filter(dossier__isnull=False), "center_id", ids, start, end)
        .order_by()
        .values("center_id")
        .annotate(n=Count("dossier_id", distinct=True))
        .values_list("center_id", "n")
    )
    return {center_id: found.get(center_id, 0) for center_id in ids}


def _score_row(count: int, points: int, max_points: int) -> dict:
    return {
        "count": count,
        "points": points,
        "max_points": max_points,
        "score": survey_rules.score(points, max_points),
    }


def survey_scores(*, center_ids: Iterable[int] | None, start: datetime, end: datetime) -> dict:
    """The Circular 01/2018 scores of the surveys filled in [start, end) (formula in survey.py):

    {"count": surveys, "points": P, "max_points": M, "center_score": 100·P/M or None,
     "centers": {center_id: {"count", "points", "max_points", "score"}},
     "officers": {officer id: {"count", "points", "max_points", "score"}}}

    `center_score` pools every survey of the given centres; "officers" counts the officer's own
    indicators, for officers serving at the centres."""
    centers: dict[int, dict] = {}
    count = points = max_points = 0
    rows = (
        _window(Survey.objects.all(), "center_id", center_ids, start, end)
        .order_by()
        .values_list("center_id")
        .annotate(n=Count("id"), p=Sum("points"), m=Sum("max_points"))
    )
    for center_id, n, p, m in rows:
        centers[center_id] = _score_row(n, p or 0, m or 0)
        count, points, max_points = count + n, points + (p or 0), max_points + (m or 0)
    officers: dict[int, dict] = {}
    rows = (
        _window(Survey.objects.filter(officer__isnull=False), "officer_center_id", center_ids, start, end)
        .order_by()
        .values_list("officer_id")
        .annotate(n=Count("id"), p=Sum("officer_points"), m=Sum("officer_max_points"))
    )
    for officer_id, n, p, m in rows:
        officers[officer_id] = _score_row(n, p or 0, m or 0)
    return {
        "count": count,
        "points": points,
        "max_points": max_points,
        "center_score": survey_rules.score(points, max_points),
        "centers": centers,
        "officers": officers,
    }


def dossier_has_complaint(dossier_id: int) -> bool:
    return Complaint.objects.filter(dossier_id=dossier_id).exists()


# -- the citizen's view of one dossier -----------------------------------------------------------------
def feedback_state(dossier: Dossier) -> dict:
    """Whether the dossier is rated and surveyed (one query)."""
    row = Dossier.objects.filter(pk=dossier.pk).values("rating__id", "survey__id").first() or {}
    return {"rated": row.get("rating__id") is not None, "surveyed": row.get("survey__id") is not None}


def dossier_complaints(dossier: Dossier) -> list[Complaint]:
    return list(Complaint.objects.filter(dossier=dossier).order_by("created_at", "id"))


# -- staff lists (scoped) -------------------------------------------------------------------------
def readable_center_ids(user) -> frozenset[int] | None:
    """Centres whose feedback `user` may read (None: every centre, for superusers)."""
    scope = user_scope(user)
    if scope.everything:
        return None
    return frozenset(c for c, roles in scope.roles_by_center.items() if roles & READ_ROLES)


def _scoped(qs: QuerySet, user, field: str = "center_id") -> QuerySet:
    ids = readable_center_ids(user)
    if ids is None:
        return qs
    return qs.filter(**{f"{field}__in": ids}) if ids else qs.none()


def followups_for_user(user, *, status: str | None = FollowUpStatus.OPEN) -> QuerySet:
    qs = FollowUp.objects.select_related(
        "rating__dossier__procedure_version", "rating__officer", "center", "assigned_to"
    )
    if status:
        qs = qs.filter(status=status)
    qs = _scoped(qs, user)
    return (
        qs.order_by("created_at", "id")
        if status == FollowUpStatus.OPEN
        else qs.order_by("-created_at", "-id")
    )


def followup_get_for_user(user, pk) -> FollowUp:
    try:
        return followups_for_user(user, status=None).get(pk=int(pk))
    except (FollowUp.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Follow-up not found.")) from None


def complaints_for_user(user, *, status: str | None = None) -> QuerySet:
    qs = Complaint.objects.select_related("center", "dossier__procedure_version")
    if status:
        qs = qs.filter(status=status)
    return _scoped(qs, user).order_by("-created_at", "-id")


def complaint_get_for_user(user, pk) -> Complaint:
    try:
        return complaints_for_user(user).get(pk=int(pk))
    except (Complaint.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Complaint not found.")) from None


def ratings_for_user(
    user,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    center_id: int | None = None,
    value: str | None = None,
) -> QuerySet:
    qs = Rating.objects.select_related("dossier", "officer", "center")
    if start:
        qs = qs.filter(created_at__gte=start)
    if end:
        qs = qs.filter(created_at__lt=end)
    if center_id:
        qs = qs.filter(center_id=center_id)
    if value:
        qs = qs.filter(value=value)
    return _scoped(qs, user).order_by("-created_at", "-id")


def new_complaint_count(user) -> int:
    return complaints_for_user(user, status=ComplaintStatus.NEW).count()


# -- the counter tablet -----------------------------------------------------------------------------
def _finished_today(now: datetime | None = None) -> Q:
    """Returned today (or refused today, for the applicant standing at the counter)."""
    now = timezone.localtime(now or timezone.now())
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return Q(state=State.RETURNED, returned_at__gte=day_start) | Q(
        state=State.REFUSED, finished_at__gte=day_start
    )


def returned_today(center_ids: Iterable[int], now: datetime | None = None) -> list[Dossier]:
    """Dossiers of these receiving centres finished today, newest first; `rating` is joined so the
    page can say which are rated."""
    return list(
        Dossier.objects.filter(_finished_today(now), receiving_center_id__in=list(center_ids))
        .select_related("procedure_version", "rating")
        .order_by(Coalesce("returned_at", "finished_at").desc(), "-id")[:COUNTER_LIST_LIMIT]
    )


def counter_dossier(center_ids: Iterable[int], code: str, now: datetime | None = None) -> Dossier:
    """One dossier of the counter list: finished today at one of these centres, else NotFound (a
    tablet cannot rate older dossiers)."""
    dossier = (
        Dossier.objects.filter(
            _finished_today(now),
            receiving_center_id__in=list(center_ids),
            code=(code or "").strip().upper()[:60],
        )
        .select_related("procedure_version", "center", "receiving_center")
        .first()
    )
    if dossier is None:
        raise NotFound(_("This dossier was not returned at your center today."))
    return dossier
