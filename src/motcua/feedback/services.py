"""Every write of the feedback app: one keyword-only, atomic function per business action.

Pages, the API and tests all call these. A second rating (or survey) of a dossier is refused
with a Conflict and nothing changed; the unique constraint on the dossier decides races, inside a
savepoint, so a concurrent double tap gets the same clear message (and `idempotent` never sees a
bare IntegrityError it would mistake for a key collision).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from motcua.core.text import nfc
from motcua.dossiers.models import Dossier, DossierEvent, State
from motcua.units.models import Role, ServiceCenter, StaffRole
from motcua.units.scoping import user_scope

from . import survey as survey_rules
from .models import (
    Complaint,
    ComplaintStatus,
    FeedbackChannel,
    FollowUp,
    FollowUpStatus,
    Rating,
    RatingValue,
    Survey,
)

RATEABLE_STATES = frozenset({State.RETURNED, State.REFUSED})
# The desk officer's own work on a dossier: reception and the return of the result.
OFFICER_ACTIONS = ("intake", "receive", "return")
MAX_COMMENT = 1000
MAX_COMPLAINT = 2000
MAX_NAME = 200
MAX_ANSWER = 2000
PHONE_RE = re.compile(r"^(?:0|\+84|84)\d{9,10}$")


# -- who served the applicant -------------------------------------------------------------------
@dataclass(frozen=True)
class Officer:
    id: int
    name: str
    center_id: int


def officers_for(dossier: Dossier) -> list[Officer]:
    """The desk officers who received or returned the dossier, by the name the citizen saw: the
    actors of its intake/receive/return events, first seen first (one query)."""
    rows = (
        DossierEvent.objects.filter(dossier=dossier, action__in=OFFICER_ACTIONS, actor__isnull=False)
        .order_by("seq")
        .values_list("actor_id", "actor__full_name", "actor_name", "center_id")
    )
    found: dict[int, Officer] = {}
    for actor_id, full_name, actor_name, center_id in rows:
        # the latest event says where the officer worked; the first fixes the order shown
        name = nfc(full_name) or actor_name
        found[actor_id] = Officer(actor_id, name, center_id)
    return list(found.values())


def rating_refusal(dossier: Dossier) -> str | None:
    """Why the dossier cannot be rated now (None when it can); pages use it to show the form."""
    if dossier.state not in RATEABLE_STATES:
        return _("A dossier can be rated once its result has been returned.")
    return None


def _check_value(value: str, field: str) -> str:
    if value not in RatingValue.values:
        raise ValidationFailed(_("Choose very satisfied, satisfied or not satisfied."), field=field)
    return value


def _check_channel(channel: str) -> str:
    if channel not in FeedbackChannel.values:
        raise ValidationFailed(_("Unknown channel %(channel)s.") % {"channel": channel}, field="channel")
    return channel


def _check_counter(channel: str, recorded_by, dossier: Dossier) -> None:
    """The counter tablet belongs to a desk officer of the centre that returned the dossier."""
    if channel != FeedbackChannel.COUNTER:
        return
    scope = user_scope(recorded_by)
    if recorded_by is None or not (
        scope.has_role(dossier.receiving_center_id, Role.DESK_OFFICER)
        or scope.has_role(dossier.center_id, Role.DESK_OFFICER)
    ):
        raise PermissionDenied(_("Only a desk officer of this center can take ratings at the counter."))


def already_rated() -> Conflict:
    return Conflict(
        _("This dossier has already been rated. A dossier can be rated only once."), code="already_rated"
    )


# -- ratings --------------------------------------------------------------------------------------
@transaction.atomic
def rating_create(
    *,
    dossier: Dossier,
    value: str,
    channel: str,
    comment: str = "",
    officer_id: int | None = None,
    officer_value: str = "",
    recorded_by=None,
    at: datetime | None = None,
) -> Rating:
    """The applicant's one rating of a returned or refused dossier.

    `officer_id` must be one of `officers_for(dossier)`; without `officer_value` the overall value
    applies to the officer too. A "not satisfied" rating (overall or of the officer) opens a
    follow-up for the leaders of the dossier's handling centre."""
    at = at or timezone.now()
    _check_channel(channel)
    _check_value(value, "value")
    _check_counter(channel, recorded_by, dossier)
    refusal = rating_refusal(dossier)
    if refusal:
        raise Conflict(refusal, code="not_rateable")
    comment = nfc(comment)
    if len(comment) > MAX_COMMENT:
        raise ValidationFailed(
            _("The comment is too long: at most %(n)s characters.") % {"n": MAX_COMMENT}, field="comment"
        )
    officer = None
    if officer_id is not None:
        officer = next((o for o in officers_for(dossier) if o.id == officer_id), None)
        if officer is None:
            raise ValidationFailed(_("Choose one of the officers who served you."), field="officer")
        officer_value = _check_value(officer_value or value, "officer_value")
    elif officer_value:
        raise ValidationFailed(_("Choose the officer you are rating."), field="officer")
    if Rating.objects.filter(dossier=dossier).exists():
        raise already_rated()
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                dossier=dossier,
                center_id=dossier.center_id,
                value=value,
                comment=comment,
                officer_id=officer.id if officer else None,
                officer_center_id=officer.center_id if officer else None,
                officer_value=officer_value if officer else "",
                channel=channel,
                recorded_by=recorded_by if channel == FeedbackChannel.COUNTER else None,
                created_at=at,
            )
    except IntegrityError:
        raise already_rated() from None
    if RatingValue.NOT_SATISFIED in (rating.value, rating.officer_value):
        FollowUp.objects.create(rating=rating, center_id=rating.center_id, created_at=at)
    return rating


# -- the Circular 01/2018 survey -------------------------------------------------------------------
@transaction.atomic
def survey_submit(
    *,
    dossier: Dossier,
    scores: Sequence,
    channel: str,
    recorded_by=None,
    at: datetime | None = None,
) -> Survey:
    """The optional 9-indicator survey, once per dossier, after its rating (whose officer it
    scores). Skipped indicators are None."""
    at = at or timezone.now()
    _check_channel(channel)
    _check_counter(channel, recorded_by, dossier)
    try:
        answers = survey_rules.validate(scores)
    except survey_rules.SurveyError:
        raise ValidationFailed(
            _("Each indicator is scored 2, 1 or 0, or left empty."), field="scores"
        ) from None
    result = survey_rules.tally(answers)
    if result.max_points == 0:
        raise ValidationFailed(_("Answer at least one question, or skip the survey."), field="scores")
    rating = Rating.objects.filter(dossier=dossier).first()
    if rating is None:
        raise Conflict(_("Rate the service first; the survey comes after the rating."), code="not_rated")
    if Survey.objects.filter(dossier=dossier).exists():
        raise Conflict(_("The survey of this dossier has already been filled in."), code="already_surveyed")
    try:
        with transaction.atomic():
            return Survey.objects.create(
                dossier=dossier,
                center_id=rating.center_id,
                officer_id=rating.officer_id,
                officer_center_id=rating.officer_center_id,
                **{f"indicator_{n}": answers[n - 1] for n in range(1, survey_rules.INDICATOR_COUNT + 1)},
                points=result.points,
                max_points=result.max_points,
                officer_points=result.officer_points if rating.officer_id else 0,
                officer_max_points=result.officer_max_points if rating.officer_id else 0,
                channel=channel,
                created_at=at,
            )
    except IntegrityError:
        raise Conflict(
            _("The survey of this dossier has already been filled in."), code="already_surveyed"
        ) from None


# -- follow-ups -----------------------------------------------------------------------------------
def _leader_of(actor, center_id: int) -> None:
    if not user_scope(actor).has_role(center_id, Role.LEADER):
        raise PermissionDenied(_("Only a leader of this center can do this."))


def _lock_followup(followup: FollowUp) -> FollowUp:
    return FollowUp.objects.select_for_update().get(pk=followup.pk)


@transaction.atomic
def followup_assign(*, actor, followup: FollowUp, assignee_id: int, at: datetime | None = None) -> FollowUp:
    """Give the follow-up to one leader of its centre (a leader may take it themselves)."""
    followup = _lock_followup(followup)
    _leader_of(actor, followup.center_id)
    if followup.status != FollowUpStatus.OPEN:
        raise Conflict(_("This follow-up is already done."), code="followup_done")
    if not StaffRole.objects.filter(
        center_id=followup.center_id, user_id=assignee_id, role=Role.LEADER, user__is_active=True
    ).exists():
        raise ValidationFailed(_("Assign the follow-up to a leader of the center."), field="assignee")
    followup.assigned_to_id = assignee_id
    followup.assigned_at = at or timezone.now()
    followup.save(update_fields=["assigned_to", "assigned_at"])
    return followup


@transaction.atomic
def followup_complete(
    *, actor, followup: FollowUp, action_taken: str, at: datetime | None = None
) -> FollowUp:
    """A leader of the centre records what was done about a "not satisfied" rating; the task is
    closed with who and when, and cannot be closed twice."""
    followup = _lock_followup(followup)
    _leader_of(actor, followup.center_id)
    if followup.status != FollowUpStatus.OPEN:
        raise Conflict(_("This follow-up is already done."), code="followup_done")
    action_taken = nfc(action_taken)
    if not action_taken:
        raise ValidationFailed(_("Say what was done."), field="action_taken")
    if len(action_taken) > MAX_ANSWER:
        raise ValidationFailed(
            _("The text is too long: at most %(n)s characters.") % {"n": MAX_ANSWER}, field="action_taken"
        )
    followup.status = FollowUpStatus.DONE
    followup.action_taken = action_taken
    followup.done_at = at or timezone.now()
    followup.done_by = actor
    followup.done_by_name = str(actor)
    followup.save(update_fields=["status", "action_taken", "done_at", "done_by", "done_by_name"])
    return followup


# -- complaints -----------------------------------------------------------------------------------
@transaction.atomic
def complaint_file(
    *,
    text: str,
    channel: str,
    dossier: Dossier | None = None,
    center: ServiceCenter | None = None,
    name: str = "",
    phone: str = "",
    at: datetime | None = None,
) -> Complaint:
    """Phản ánh kiến nghị about a dossier (its handling centre answers) or about a centre. A general
    complaint needs the citizen's name; the phone is optional (for a call back)."""
    _check_channel(channel)
    text, name = nfc(text), nfc(name)
    phone = re.sub(r"[\s.\-()]", "", nfc(phone))
    if dossier is None and center is None:
        raise ValidationFailed(_("Choose the center your complaint is about."), field="center")
    if dossier is not None:
        center_id = dossier.center_id
    else:
        if not center.is_active:
            raise NotFound(_("Service center not found."))
        center_id = center.pk
        if not name:
            raise ValidationFailed(_("Enter your name."), field="name")
    if not text:
        raise ValidationFailed(_("Write your complaint or suggestion."), field="text")
    if len(text) > MAX_COMPLAINT:
        raise ValidationFailed(
            _("The text is too long: at most %(n)s characters.") % {"n": MAX_COMPLAINT}, field="text"
        )
    if len(name) > MAX_NAME:
        raise ValidationFailed(_("The name is too long."), field="name")
    if phone and not PHONE_RE.match(phone):
        raise ValidationFailed(_("Enter a Vietnamese phone number, e.g. 0909 123 456."), field="phone")
    return Complaint.objects.create(
        center_id=center_id,
        dossier=dossier,
        name=name,
        phone=phone,
        text=text,
        channel=channel,
        created_at=at or timezone.now(),
    )


@transaction.atomic
def complaint_answer(*, actor, complaint: Complaint, answer: str, at: datetime | None = None) -> Complaint:
    """A leader of the centre answers a complaint, once."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    _leader_of(actor, complaint.center_id)
    if complaint.status != ComplaintStatus.NEW:
        raise Conflict(_("This complaint has already been answered."), code="already_answered")
    answer = nfc(answer)
    if not answer:
        raise ValidationFailed(_("Write the answer."), field="answer")
    if len(answer) > MAX_ANSWER:
        raise ValidationFailed(
            _("The text is too long: at most %(n)s characters.") % {"n": MAX_ANSWER}, field="answer"
        )
    complaint.status = ComplaintStatus.ANSWERED
    complaint.answer = answer
    complaint.answered_at = at or timezone.now()
    complaint.answered_by = actor
    complaint.answered_by_name = str(actor)
    complaint.save(update_fields=["status", "answer", "answered_at", "answered_by", "answered_by_name"])
    return complaint
