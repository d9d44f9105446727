"""Vietnamese first: every page opens in Vietnamese, English only when the visitor chose it.

Django's LocaleMiddleware follows the browser's Accept-Language, so a center PC or a kiosk with an
English Windows showed English pages. Here the language is the one chosen with the switch (the
language cookie set by /i18n/setlang/), else Vietnamese. The JSON API still honours
Accept-Language: a program asking for English messages has chosen them.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation

API_PREFIX = "/api/"


def chosen_language(request) -> str:
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if code in dict(settings.LANGUAGES):
        return code
    if request.path.startswith(API_PREFIX):
        return translation.get_language_from_request(request)
    return settings.LANGUAGE_CODE


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_request(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()
