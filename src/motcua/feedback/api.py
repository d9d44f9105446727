"""JSON API for feedback (`/api/v1/feedback/...`).

Public (the citizen proves the dossier with its code and lookup secret, rate-limited like
tracking): read what can be rated, rate, answer the survey, file a complaint. Staff (bearer
token or session, scoped to the centres where the user is a leader or administrator): list
ratings, follow-ups and complaints; leaders close follow-ups and answer complaints.
POSTs accept `Idempotency-Key`: a retry gets the first answer back and changes nothing.
Errors are `{"detail", "code"}` (plus `field` for a wrong input).
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from motcua.api.auth import staff_auth
from motcua.api.fields import OFFSET_MAX, Code, Column, Day, Id, Secret, Text
from motcua.api.idempotency import once
from motcua.core.errors import RateLimited, ValidationFailed
from motcua.core.ratelimit import client_ip, hit
from motcua.units.models import ServiceCenter

from . import citizen, selectors, services
from .models import Complaint, FeedbackChannel, FollowUp, Rating

router = Router(tags=["feedback"])

PUBLIC_CHANNELS = (FeedbackChannel.WEB, FeedbackChannel.KIOSK)
COMPLAINTS_PER_HOUR = 10


class ErrorOut(Schema):
    detail: str
    code: str


ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: dict, 429: ErrorOut}


# -- shapes ---------------------------------------------------------------------------------------
def _iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def rating_out(rating: Rating) -> dict:
    return {
        "id": rating.pk,
        "dossier": rating.dossier.code,
        "center": rating.center_id,
        "value": rating.value,
        "comment": rating.comment,
        "officer": rating.officer_id,
        "officer_value": rating.officer_value or None,
        "channel": rating.channel,
        "created_at": _iso(rating.created_at),
    }


def followup_out(followup: FollowUp) -> dict:
    return {
        "id": followup.pk,
        "rating": rating_out(followup.rating),
        "center": followup.center_id,
        "status": followup.status,
        "assigned_to": followup.assigned_to_id,
        "action_taken": followup.action_taken,
        "done_at": _iso(followup.done_at),
        "done_by": followup.done_by_id,
        "done_by_name": followup.done_by_name,
        "created_at": _iso(followup.created_at),
    }


def complaint_out(complaint: Complaint, *, staff: bool = True) -> dict:
    body = {
        "id": complaint.pk,
        "dossier": complaint.dossier.code if complaint.dossier_id else None,
        "center": complaint.center_id,
        "text": complaint.text,
        "channel": complaint.channel,
        "status": complaint.status,
        "answer": complaint.answer,
        "answered_at": _iso(complaint.answered_at),
        "created_at": _iso(complaint.created_at),
    }
    if staff:
        body |= {
            "name": complaint.name,
            "phone": complaint.phone,
            "answered_by_name": complaint.answered_by_name,
        }
    return body


def _public_channel(channel: str) -> str:
    if channel not in PUBLIC_CHANNELS:
        raise ValidationFailed(_("The channel must be web or kiosk."), field="channel")
    return channel


# -- public ---------------------------------------------------------------------------------------
@router.get("/dossiers/{code}", response={200: dict, 404: ErrorOut, 429: ErrorOut})
def dossier_feedback(request, code: str, secret: str = ""):
    """What the applicant can do for this dossier: rate it (and whom), the survey, complaints."""
    dossier = citizen.dossier_for_citizen(code=code, secret=secret, client=client_ip(request))
    state = selectors.feedback_state(dossier)
    return {
        "code": dossier.code,
        "rateable": services.rating_refusal(dossier) is None and not state["rated"],
        "rated": state["rated"],
        "surveyed": state["surveyed"],
        "officers": [{"id": o.id, "name": o.name} for o in services.officers_for(dossier)],
        "complaints": [complaint_out(c, staff=False) for c in selectors.dossier_complaints(dossier)],
    }


class RatingIn(Schema):
    code: Code
    secret: Secret
    value: Column(Rating, "value") = Field(..., description="very_satisfied, satisfied or not_satisfied")
    comment: Text(services.MAX_COMMENT) = ""
    officer: Id | None = Field(None, description="id of one of the officers listed for the dossier")
    officer_value: Column(Rating, "officer_value") | None = Field(
        None, description="the officer's rating; default: `value`"
    )
    channel: Column(Rating, "channel") = Field("web", description="web or kiosk")


@router.post("/ratings", response={201: dict, **ERRORS})
def create_rating(request, payload: RatingIn):
    """Rate a returned (or refused) dossier, once. A second rating is refused (409 already_rated)."""

    def run():
        channel = _public_channel(payload.channel)
        dossier = citizen.dossier_for_citizen(
            code=payload.code, secret=payload.secret, client=client_ip(request)
        )
        rating = services.rating_create(
            dossier=dossier,
            value=payload.value,
            channel=channel,
            comment=payload.comment,
            officer_id=payload.officer,
            officer_value=payload.officer_value or "",
        )
        return 201, rating_out(rating) | {"follow_up": hasattr(rating, "followup")}

    return once(
        request,
        scope=f"feedback:{payload.code.strip().upper()[:60]}",
        route="POST /feedback/ratings",
        payload=payload,
        run=run,
    )


class SurveyIn(Schema):
    code: Code
    secret: Secret
    scores: list[int | None] = Field(
        ..., max_length=9, description="9 answers, indicator 1 to 9: 2, 1, 0 or null (skipped)"
    )
    channel: Column(Rating, "channel") = "web"


@router.post("/surveys", response={201: dict, **ERRORS})
def create_survey(request, payload: SurveyIn):
    """The 9-indicator survey of Circular 01/2018, after the rating, once per dossier."""

    def run():
        channel = _public_channel(payload.channel)
        dossier = citizen.dossier_for_citizen(
            code=payload.code, secret=payload.secret, client=client_ip(request)
        )
        survey = services.survey_submit(dossier=dossier, scores=payload.scores, channel=channel)
        return 201, {
            "dossier": dossier.code,
            "scores": list(survey.scores()),
            "points": survey.points,
            "max_points": survey.max_points,
            "created_at": _iso(survey.created_at),
        }

    return once(
        request,
        scope=f"feedback:{payload.code.strip().upper()[:60]}",
        route="POST /feedback/surveys",
        payload=payload,
        run=run,
    )


class ComplaintIn(Schema):
    text: Text(services.MAX_COMPLAINT)
    code: Code = Field("", description="a dossier's code, with its secret: a complaint about that dossier")
    secret: Secret = ""
    center: Code = Field("", description="agency code of the center (for a general complaint)")
    name: Text(services.MAX_NAME) = Field("", description="required for a general complaint")
    phone: Column(Complaint, "phone") = ""
    channel: Column(Complaint, "channel") = "web"


@router.post("/complaints", response={201: dict, **ERRORS})
def create_complaint(request, payload: ComplaintIn):
    """Phản ánh kiến nghị about a dossier (code + secret) or about a center (agency code + name)."""
    client = client_ip(request)

    def run():
        channel = _public_channel(payload.channel)
        if not hit("complaint", client, limit=COMPLAINTS_PER_HOUR, window_seconds=3600):
            raise RateLimited(
                _("Too many complaints from this device. Please try again later or call the center.")
            )
        dossier = center = None
        if payload.code:
            dossier = citizen.dossier_for_citizen(code=payload.code, secret=payload.secret, client=client)
        else:
            center = ServiceCenter.objects.filter(
                agency_code=payload.center.strip().upper(), is_active=True
            ).first()
            if center is None:
                raise ValidationFailed(_("Choose the center your complaint is about."), field="center")
        complaint = services.complaint_file(
            dossier=dossier,
            center=center,
            name=payload.name,
            phone=payload.phone,
            text=payload.text,
            channel=channel,
        )
        return 201, complaint_out(complaint, staff=False)

    scope = f"feedback:{payload.code.strip().upper()[:60]}" if payload.code else f"feedback-ip:{client}"
    return once(request, scope=scope, route="POST /feedback/complaints", payload=payload, run=run)


# -- staff ----------------------------------------------------------------------------------------
def _start(day: date | None) -> datetime | None:
    return timezone.make_aware(datetime.combine(day, time.min)) if day else None


@router.get("/ratings", response=dict, auth=staff_auth)
def list_ratings(
    request,
    start: Day | None = None,
    end: Day | None = None,
    center: Id | None = None,
    value: str | None = None,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=OFFSET_MAX),
):
    """Ratings of the dossiers handled by your centers, newest first; `start` is the first local day,
    `end` the day after the last."""
    qs = selectors.ratings_for_user(
        request.auth, start=_start(start), end=_start(end), center_id=center, value=value
    )
    return {"count": qs.count(), "results": [rating_out(r) for r in qs[offset : offset + limit]]}


@router.get("/followups", response=dict, auth=staff_auth)
def list_followups(
    request,
    status: str = Query("open", description="open, done or all"),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=OFFSET_MAX),
):
    qs = selectors.followups_for_user(request.auth, status=None if status == "all" else status)
    return {"count": qs.count(), "results": [followup_out(f) for f in qs[offset : offset + limit]]}


class FollowUpDoneIn(Schema):
    action_taken: Text(services.MAX_ANSWER)


@router.post("/followups/{followup_id}/done", response={200: dict, **ERRORS}, auth=staff_auth)
def followup_done(request, followup_id: Id, payload: FollowUpDoneIn):
    """A leader of the center records what was done; the follow-up is closed."""
    user = request.auth

    def run():
        followup = selectors.followup_get_for_user(user, followup_id)
        return 200, followup_out(
            services.followup_complete(actor=user, followup=followup, action_taken=payload.action_taken)
        )

    return once(
        request,
        scope=f"user:{user.pk}",
        route=f"POST /feedback/followups/{followup_id}/done",
        payload=payload,
        run=run,
    )


class AssignIn(Schema):
    assignee: Id


@router.post("/followups/{followup_id}/assign", response={200: dict, **ERRORS}, auth=staff_auth)
def followup_assign(request, followup_id: Id, payload: AssignIn):
    followup = selectors.followup_get_for_user(request.auth, followup_id)
    return followup_out(
        services.followup_assign(actor=request.auth, followup=followup, assignee_id=payload.assignee)
    )


@router.get("/complaints", response=dict, auth=staff_auth)
def list_complaints(
    request,
    status: str | None = Query(None, description="new or answered; all by default"),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=OFFSET_MAX),
):
    qs = selectors.complaints_for_user(request.auth, status=status)
    return {"count": qs.count(), "results": [complaint_out(c) for c in qs[offset : offset + limit]]}


class AnswerIn(Schema):
    answer: Text(services.MAX_ANSWER)


@router.post("/complaints/{complaint_id}/answer", response={200: dict, **ERRORS}, auth=staff_auth)
def answer_complaint(request, complaint_id: Id, payload: AnswerIn):
    user = request.auth

    def run():
        complaint = selectors.complaint_get_for_user(user, complaint_id)
        return 200, complaint_out(
            services.complaint_answer(actor=user, complaint=complaint, answer=payload.answer)
        )

    return once(
        request,
        scope=f"user:{user.pk}",
        route=f"POST /feedback/complaints/{complaint_id}/answer",
        payload=payload,
        run=run,
    )
