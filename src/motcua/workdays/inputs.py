"""Reading a receipt instant and a time limit typed by people (command line, query strings).

The pure core raises plain English `CalendarError`s; here they become `ValidationFailed` with a
translatable message and a stable code, the same for the API and the command line.
"""

import re
from datetime import datetime

from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed

from .core import CalendarError, TimeLimit

# In a query string an unencoded "+" arrives as a space: "2026-02-13T10:00 07:00".
_SPACED_OFFSET = re.compile(r"(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$")


def parse_received(text: str | None) -> datetime:
    """An ISO 8601 instant with an offset; a naive value is refused rather than guessed."""
    raw = (text or "").strip()
    candidate = _SPACED_OFFSET.sub(r"\1+\2", raw)
    try:
        value = datetime.fromisoformat(candidate)
    except ValueError:
        raise ValidationFailed(
            _('"%(value)s" is not a date and time in ISO 8601 form, e.g. 2026-02-13T10:00+07:00.')
            % {"value": raw},
            code="invalid_received",
            field="received",
        ) from None
    if value.tzinfo is None:
        raise ValidationFailed(
            _('"%(value)s" has no time zone offset: add one, e.g. 2026-02-13T10:00+07:00.') % {"value": raw},
            code="naive_received",
            field="received",
        )
    return value


def parse_limit(text: str | None) -> TimeLimit:
    """A statutory limit: "same day", "N working days", "N working hours", "N calendar days".

    The Vietnamese forms the core accepts ("3 ngày làm việc") are fine too.
    """
    raw = (text or "").strip()
    try:
        return TimeLimit.parse(raw)
    except CalendarError:
        raise ValidationFailed(
            _(
                '"%(value)s" is not a time limit: use "same day", "N working days", "N working hours" '
                'or "N calendar days", with N positive (and whole for days).'
            )
            % {"value": raw},
            code="invalid_limit",
            field="limit",
        ) from None
