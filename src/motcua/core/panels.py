"""A page of a lower app that apps above it add panels to, without the lower app importing them
(imports go one way): the counter desk (`staff.panels`), the dashboards of a commune or center
(`reports.panels`). An app registers its panel in its `AppConfig.ready()`; panels show in the order
they were registered."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

Render = Callable[..., str]


class Panels:
    def __init__(self) -> None:
        self.renders: dict[str, Render] = {}

    def register(self, name: str, render: Render) -> Render:
        """Add (or replace, by `name`) a panel: `render(*args)` returns its HTML, already escaped
        (e.g. from `render_to_string`), or "" when it has nothing to show."""
        self.renders[name] = render
        return render

    def html(self, *args) -> SafeString:
        """The registered panels' HTML for these arguments, in registration order."""
        return mark_safe("".join(str(render(*args) or "") for render in list(self.renders.values())))
