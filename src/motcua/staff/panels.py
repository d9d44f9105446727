"""Panels that other apps add to the counter desk page (/quay/).

The staff app imports none of them (imports go one way): an app above it registers a panel in its
`AppConfig.ready()`:

    from motcua.staff.panels import register_desk_panel
    register_desk_panel("queue", render_console)

`render(request) -> str` returns the panel's HTML (already escaped, e.g. from `render_to_string`),
or "" when it has nothing for this user. Panels show in the order they were registered, between
the page's heading and the procedure search.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

DeskPanel = Callable[[HttpRequest], str]

_desk_panels: dict[str, DeskPanel] = {}


def register_desk_panel(name: str, render: DeskPanel) -> DeskPanel:
    """Add (or replace, by `name`) a panel of the counter desk page."""
    _desk_panels[name] = render
    return render


def unregister_desk_panel(name: str) -> None:
    _desk_panels.pop(name, None)


def desk_panels(request: HttpRequest) -> SafeString:
    """The registered panels' HTML for this request, in registration order."""
    if request is None or not request.user.is_authenticated:
        return mark_safe("")
    return mark_safe("".join(str(render(request) or "") for render in list(_desk_panels.values())))
