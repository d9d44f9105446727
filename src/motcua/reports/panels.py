"""Panels that other apps add to the dashboard of a commune or a service center (/bao-cao/...),
through `core.panels`:

    from motcua.reports.panels import register_unit_panel
    register_unit_panel("queue", queue_panel)

`render(request, unit, period) -> str` returns the panel's HTML for the unit (`selectors.Unit`: its
`center_ids`) and the report period (`periods.Period`: `start`, `end`, `label`), or "" when it has
nothing to show. Panels show after the dashboard's charts; each must cost a fixed number of queries.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.safestring import SafeString

from motcua.core.panels import Panels

UNIT = Panels()
register_unit_panel = UNIT.register


def unit_panels(request: HttpRequest, unit, period) -> SafeString:
    """The registered panels' HTML for this dashboard, in registration order."""
    return UNIT.html(request, unit, period)
