"""Panels that other apps add to the dashboard of a commune or a service center (/bao-cao/...).

The reports app imports none of them (imports go one way): an app above it registers a panel in
its `AppConfig.ready()`:

    from motcua.reports.panels import register_unit_panel
    register_unit_panel("queue", queue_panel)

`render(request, unit, period) -> str` returns the panel's HTML (escaped, e.g. from
`render_to_string`) for the unit (`selectors.Unit`: its `center_ids`) and the report period
(`periods.Period`: `start`, `end`, `label`), or "" when it has nothing to show. Panels show in the
order they were registered, after the dashboard's charts; each must cost a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

UnitPanel = Callable[..., str]

_unit_panels: dict[str, UnitPanel] = {}


def register_unit_panel(name: str, render: UnitPanel) -> UnitPanel:
    """Add (or replace, by `name`) a panel of the commune and center dashboards."""
    _unit_panels[name] = render
    return render


def unregister_unit_panel(name: str) -> None:
    _unit_panels.pop(name, None)


def unit_panels(request: HttpRequest, unit, period) -> SafeString:
    """The registered panels' HTML for this dashboard, in registration order."""
    html = (str(render(request, unit, period) or "") for render in list(_unit_panels.values()))
    return mark_safe("".join(html))
