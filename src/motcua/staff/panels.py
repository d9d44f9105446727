"""Panels that other apps add to the counter desk page (/quay/), through `core.panels`:

    from motcua.staff.panels import register_desk_panel
    register_desk_panel("queue", render_console)

`render(request) -> str` returns the panel's HTML, or "" when it has nothing for this user. Panels
show between the page's heading and the procedure search.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from motcua.core.panels import Panels

DESK = Panels()
register_desk_panel = DESK.register


def desk_panels(request: HttpRequest) -> SafeString:
    """The registered panels' HTML for this request, in registration order."""
    if request is None or not request.user.is_authenticated:
        return mark_safe("")
    return DESK.html(request)
