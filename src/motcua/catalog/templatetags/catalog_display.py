"""Template filters that word catalog values the way `catalog.display` does."""

from django import template

from motcua.catalog import display
from motcua.catalog.models import Fee, ProcedureVersion

register = template.Library()


@register.filter
def limit_text(version: ProcedureVersion) -> str:
    return display.limit_text(version.time_limit)


@register.filter
def fee_text(fee: Fee) -> str:
    return display.fee_text(fee.rule)


@register.filter
def channel_text(channel: str) -> str:
    return display.channel_text(channel)


@register.filter
def with_channel_labels(fees) -> list[tuple[Fee, str]]:
    """Each fee with the channels it applies to: a row without a channel covers "other
    channels" once some channel has rows of its own (see rules.fees_for_channel)."""
    fees = list(fees)
    return [(fee, display.fee_channel_text(fee.channel, [f.channel for f in fees])) for fee in fees]


@register.filter
def role_text(role: str) -> str:
    from motcua.units.models import Role

    try:
        return str(Role(role).label)
    except ValueError:
        return role


@register.filter
def budget_text(value) -> str:
    return display.number_text(value)
