"""The province dashboard's body, rendered at most once a minute per province, period and language.

The page ranks every commune of the province (a hundred rows of scores, charts and the fields
table): computing and rendering it costs about a hundred milliseconds, and several province staff
watch it at once. Its figures come from the rollups, which change with every dossier event, so the
body is kept for `SECONDS` and the page says when its figures were computed. The key also holds
the rollups' generation (a rebuild starts a new one) and everything the page's query string says;
the navigation around the body is rendered for each request."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .dashboards import kept

SECONDS = 60


def province_body(
    unit_key: str, query: list[tuple[str, str]], render: Callable[[], str]
) -> tuple[str, datetime]:
    """(the body's HTML, when its figures were computed): from the cache, or rendered now."""
    parts = repr((unit_key, sorted(query), get_language(), timezone.localdate().isoformat()))
    digest = hashlib.sha256(parts.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    html, at = kept(f"province-body:{digest}", SECONDS, lambda: (render(), timezone.now()))
    return mark_safe(html), at  # noqa: S308 - rendered by our own template above
