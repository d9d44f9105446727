"""Text types of the API's input schemas: every text has a limit, taken from the model column it is
stored in (or from `motcua.core.text` for free texts), so the OpenAPI document states it, pydantic
refuses what exceeds it with a 422 naming the field, and nothing reaches the database to fail
there. Control characters are gone before validation (see `motcua.api_root.CleanParser`)."""

from datetime import date
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from pydantic import AfterValidator, Field

from motcua.core.limits import column_max
from motcua.core.text import LONG_TEXT_MAX, REASON_MAX


def Text(max_length: int, *, min_length: int = 0, description: str | None = None):  # noqa: N802
    """A text of at most `max_length` characters."""
    return Annotated[str, Field(min_length=min_length, max_length=max_length, description=description)]


def Column(model, name: str, *, min_length: int = 0, description: str | None = None):  # noqa: N802
    """A text bounded by the column `model.name` it is saved to."""
    return Text(column_max(model, name), min_length=min_length, description=description)


def _email(value: str) -> str:
    value = value.strip()
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError("not a valid e-mail address") from None
    return value


# Django's own validator, as the pages' EmailField uses: `a@b.c"><script>` is not an address.
Email = Annotated[str, Field(max_length=254), AfterValidator(_email)]
Reason = Text(REASON_MAX)
LongText = Text(LONG_TEXT_MAX)
Code = Text(60)  # a dossier code, an agency code, a procedure code: anything longer matches nothing
Secret = Text(64)  # a lookup secret as typed (spaces and dashes allowed around its 10 characters)
# A row id: beyond a 64-bit integer the databases raise instead of finding nothing.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
OFFSET_MAX = 1_000_000
# A calendar day: year 1 or 9999 overflow the time-zone arithmetic; nobody means them.
Day = Annotated[date, Field(ge=date(1900, 1, 1), le=date(2999, 12, 31))]
