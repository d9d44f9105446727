"""The blank declaration of a procedure as a PDF, to print and fill by hand (public)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from motcua.catalog import selectors
from motcua.core.errors import NotFound
from motcua.eforms.services import render_blank


@require_safe
def blank_form(request: HttpRequest, national_code: str) -> HttpResponse:
    try:
        version = selectors.procedure_page_version(national_code, selectors.today_local())
    except NotFound as exc:
        raise Http404(_("No such procedure.")) from exc
    if not version.form:
        raise Http404(_("This procedure has no e-form."))
    response = HttpResponse(render_blank(version), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="to-khai-{version.procedure.national_code}.pdf"'
    response["Cache-Control"] = "public, max-age=3600"
    return response
