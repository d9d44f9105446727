"""The last guard before the database: no text is saved longer than its column or with a control
character in it, and no e-mail address that Django's EmailValidator refuses (`a@b.c"><script>…`
is not one), whatever path it came by (API, page, admin, command, import).

Inputs are validated at the edge (schemas and forms take their limits from the same columns); this
guard turns what slipped through into the same clear 422/form error instead of PostgreSQL's
"value too long" (a 500) — and SQLite, which stores anything, now refuses it the same way."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models.signals import pre_save
from django.utils.translation import gettext as _

from .errors import ValidationFailed
from .text import has_controls


def column_max(model, name: str) -> int:
    """The max_length of a model's text column: the one number both the edge and the guard use."""
    return model._meta.get_field(name).max_length


def too_long(label, limit: int) -> str:
    return _("“%(field)s” is too long: at most %(max)d characters.") % {"field": label, "max": limit}


def _valid_email(value: str) -> bool:
    try:
        validate_email(value)
    except DjangoValidationError:
        return False
    return True


def check_texts(instance) -> None:
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = getattr(instance, field.attname)
        if not isinstance(value, str):
            continue
        if field.max_length and len(value) > field.max_length:
            raise ValidationFailed(too_long(field.verbose_name, field.max_length), field=field.name)
        if isinstance(field, models.EmailField) and value and not _valid_email(value):
            raise ValidationFailed(
                _("“%(field)s” is not a valid e-mail address.") % {"field": field.verbose_name},
                field=field.name,
            )
        if has_controls(value):
            raise ValidationFailed(
                _("“%(field)s” contains control characters.") % {"field": field.verbose_name},
                field=field.name,
            )


def _guard(sender, instance, raw=False, **kwargs) -> None:
    if not raw and sender.__module__.startswith("motcua."):
        check_texts(instance)


def connect() -> None:
    pre_save.connect(_guard, dispatch_uid="motcua.core.limits")
