"""Staff pages of the feedback app.

* `/danh-gia/quay/`: the counter tablet. A desk officer signs in and hands the tablet to the
  citizen, who finds their dossier among those returned at this centre today (code, initials,
  procedure) and taps a rating. Only today's dossiers can be rated there, and the officer whose
  tablet it was is recorded, so a tablet cannot be used to rate old dossiers in bulk.
* `/danh-gia/theo-doi/`: a leader's open follow-ups of "not satisfied" ratings in their centres,
  where they record what was done.
* `/phan-anh/xu-ly/`: a leader's complaints, answered on the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.core.errors import DomainError, NotFound
from motcua.dossiers.tracking import initials
from motcua.staff.access import staff_required
from motcua.staff.selectors import desk_centers
from motcua.units.models import Role

from . import selectors, services
from .models import ComplaintStatus, FollowUpStatus
from .views import COUNTER, rating_page, survey_page

LIST_LIMIT = 100


# -- the counter tablet ---------------------------------------------------------------------------
def _desk_center_ids(request: HttpRequest) -> list[int]:
    return [c.pk for c in desk_centers(request.user)]


def _counter_dossier(request: HttpRequest, code: str):
    try:
        return selectors.counter_dossier(_desk_center_ids(request), code)
    except NotFound as exc:
        raise Http404(exc.message) from None


@never_cache
@staff_required(Role.DESK_OFFICER)
@require_safe
def counter(request: HttpRequest) -> HttpResponse:
    centers = desk_centers(request.user)
    rows = [
        {
            "code": d.code,
            "initials": initials(d.applicant_name),
            "procedure": d.procedure_version.name,
            "at": d.returned_at or d.finished_at,
            "rated": hasattr(d, "rating"),
        }
        for d in selectors.returned_today([c.pk for c in centers])
    ]
    return render(
        request,
        "feedback/counter.html",
        {"rows": rows, "centers": centers, "base_template": COUNTER.base_template},
    )


@never_cache
@staff_required(Role.DESK_OFFICER)
@require_http_methods(["GET", "POST"])
def counter_rate(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _counter_dossier(request, code)
    return rating_page(
        request, COUNTER, dossier, recorded_by=request.user, done_url=reverse("feedback:counter")
    )


@never_cache
@staff_required(Role.DESK_OFFICER)
@require_http_methods(["GET", "POST"])
def counter_survey(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _counter_dossier(request, code)
    response = survey_page(
        request, COUNTER, dossier, recorded_by=request.user, done_url=reverse("feedback:counter")
    )
    if response.status_code == 302:
        messages.success(request, _("Thank you! Your answers have been recorded."))
    return response


# -- follow-ups -----------------------------------------------------------------------------------
@never_cache
@staff_required(Role.LEADER)
@require_safe
def followups(request: HttpRequest) -> HttpResponse:
    show_done = request.GET.get("xem") == "da-xong"
    qs = selectors.followups_for_user(
        request.user, status=FollowUpStatus.DONE if show_done else FollowUpStatus.OPEN
    )
    rows = list(qs[:LIST_LIMIT])
    return render(
        request,
        "feedback/followups.html",
        {
            "rows": rows,
            "show_done": show_done,
            "limit": LIST_LIMIT,
            "max_text": services.MAX_ANSWER,
        },
    )


def _back_to_followups() -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("feedback:followups"))


@staff_required(Role.LEADER)
@require_POST
def followup_done(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        followup = selectors.followup_get_for_user(request.user, pk)
        services.followup_complete(
            actor=request.user, followup=followup, action_taken=request.POST.get("action_taken", "")
        )
    except NotFound:
        raise Http404(_("Follow-up not found.")) from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Recorded. The follow-up is closed."))
    return _back_to_followups()


@staff_required(Role.LEADER)
@require_POST
def followup_take(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        followup = selectors.followup_get_for_user(request.user, pk)
        services.followup_assign(actor=request.user, followup=followup, assignee_id=request.user.pk)
    except NotFound:
        raise Http404(_("Follow-up not found.")) from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The follow-up is assigned to you."))
    return _back_to_followups()


# -- complaints -----------------------------------------------------------------------------------
@never_cache
@staff_required(Role.LEADER)
@require_safe
def complaints(request: HttpRequest) -> HttpResponse:
    answered = request.GET.get("xem") == "da-tra-loi"
    qs = selectors.complaints_for_user(
        request.user, status=ComplaintStatus.ANSWERED if answered else ComplaintStatus.NEW
    )
    rows = list(qs[:LIST_LIMIT])
    return render(
        request,
        "feedback/complaints.html",
        {
            "rows": rows,
            "answered": answered,
            "limit": LIST_LIMIT,
            "max_text": services.MAX_ANSWER,
        },
    )


@staff_required(Role.LEADER)
@require_POST
def complaint_answer(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        complaint = selectors.complaint_get_for_user(request.user, pk)
        services.complaint_answer(
            actor=request.user, complaint=complaint, answer=request.POST.get("answer", "")
        )
    except NotFound:
        raise Http404(_("Complaint not found.")) from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The answer is recorded."))
    return HttpResponseRedirect(reverse("feedback:complaints"))
