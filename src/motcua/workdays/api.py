"""Calendar endpoints under /api/v1/calendar/: thin wrappers over the selectors."""

from ninja import Router, Schema

from . import selectors
from .core import format_instant
from .inputs import parse_limit, parse_received

router = Router(tags=["calendar"])


class DueOut(Schema):
    due: str


@router.get("/due", response=DueOut, summary="Due instant of a time limit")
def due(request, received: str, limit: str, unit: str | None = None):
    """When a limit counted from `received` runs out, in ISO 8601 at +07:00.

    `limit`: "same day", "N working days", "N working hours" or "N calendar days". `unit`: a
    service center's agency code, a commune code or a province code; national defaults without.
    """
    instant = selectors.due_date(received=parse_received(received), limit=parse_limit(limit), unit=unit)
    return {"due": format_instant(instant)}
