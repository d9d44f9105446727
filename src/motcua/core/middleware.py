"""Input hygiene for every request, before any view runs: query strings and form fields lose
their control characters (a NUL byte reaches PostgreSQL as an error, not as a search), and a path
holding one is answered 404 — no page or record has such a name."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.utils.translation import gettext as _

from .text import clean, has_controls


def _cleaned(data: QueryDict) -> QueryDict:
    if not any(has_controls(k) or any(has_controls(v) for v in data.getlist(k)) for k in data):
        return data
    copy = QueryDict(mutable=True, encoding=data.encoding)
    for key in data:
        copy.setlist(clean(key), [clean(v) for v in data.getlist(key)])
    copy._mutable = False
    return copy


class InputHygieneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_controls(request.path_info):
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
            raise Http404(_("Not found."))
        request.GET = _cleaned(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = _cleaned(request.POST)
        return self.get_response(request)
