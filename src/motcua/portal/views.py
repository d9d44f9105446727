"""Public, read-only pages: home, procedure search and the procedure page with its QR code.

No login; each page reads through catalog selectors in a handful of queries.
"""

from datetime import date, datetime

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from motcua.catalog import selectors
from motcua.core.errors import NotFound

from . import qr
from .selectors import offers_online

PAGE_SIZE = 30


def _on_date(request: HttpRequest) -> tuple[date, str]:
    """The date asked for with ?on= (YYYY-MM-DD or DD/MM/YYYY), else today in Vietnam."""
    raw = request.GET.get("on", "").strip()
    if raw:
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.strptime(raw, pattern).date(), ""
            except ValueError:
                continue
        return selectors.today_local(), _("“%(value)s” is not a date; showing the rules in force today.") % {
            "value": raw[:20]
        }
    return selectors.today_local(), ""


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    fields = selectors.fields_with_counts(selectors.today_local())
    return render(request, "portal/home.html", {"fields": fields})


@require_safe
def procedure_list(request: HttpRequest) -> HttpResponse:
    on, date_problem = _on_date(request)
    query = request.GET.get("q", "")[:200]
    field_code = request.GET.get("field", "")[:40]
    versions = selectors.procedure_versions_in_force(on, query=query, field_code=field_code)
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "field_code": field_code,
        "fields": selectors.fields_with_counts(on),
        "on": on,
        "on_param": request.GET.get("on", "") if not date_problem else "",
        "date_problem": date_problem,
    }
    return render(request, "portal/procedure_list.html", context)


@require_safe
def procedure_detail(request: HttpRequest, national_code: str) -> HttpResponse:
    on, date_problem = _on_date(request)
    try:
        version = selectors.procedure_page_version(national_code, on)
    except NotFound:
        return _not_in_force(request, national_code, on)
    public_url = qr.procedure_public_url(version.procedure.national_code)
    context = {
        "version": version,
        "procedure": version.procedure,
        "on": on,
        "date_problem": date_problem,
        "history": selectors.procedure_version_history(version.procedure_id),
        "public_url": public_url,
        "qr_svg": qr.svg_inline(public_url, title=_("QR code of this page")),
        "online": offers_online(version),
    }
    return render(request, "portal/procedure_detail.html", context)


def _not_in_force(request: HttpRequest, national_code: str, on: date) -> HttpResponse:
    try:
        procedure = selectors.procedure_get(national_code)
    except NotFound as exc:
        raise Http404(_("No such procedure.")) from exc
    context = {"procedure": procedure, "on": on, "history": selectors.procedure_version_history(procedure.pk)}
    return render(request, "portal/procedure_not_in_force.html", context, status=404)


@require_safe
def procedure_qr(request: HttpRequest, national_code: str, kind: str) -> HttpResponse:
    try:
        procedure = selectors.procedure_get(national_code)
    except NotFound as exc:
        raise Http404(_("No such procedure.")) from exc
    url = qr.procedure_public_url(procedure.national_code)
    if kind == "png":
        response = HttpResponse(qr.png(url), content_type="image/png")
    else:
        response = HttpResponse(qr.svg_document(url), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Disposition"] = f'inline; filename="qr-{procedure.national_code}.{kind}"'
    return response
