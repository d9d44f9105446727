"""How catalog values read for people: time limits, fees and amounts, in the active language.

No database; the portal, the admin, slips and error messages all word a limit the same way.
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.workdays.core import DEFAULT_CUTOFF, LimitKind, TimeLimit

from .choices import Channel, FeeKind
from .rules import FeeRule


def number_text(value: Decimal | int) -> str:
    """A quantity without trailing zeros, with the language's decimal separator ("1,5" in vi)."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return number_format(int(value))
    return number_format(value.normalize())


def clock_text(value: time) -> str:
    """A time of day; Vietnamese says "15 giờ" rather than "15:00"."""
    if value.minute == 0:
        return _("%(hour)d:00") % {"hour": value.hour}
    return _("%(hour)d:%(minute)02d") % {"hour": value.hour, "minute": value.minute}


def limit_text(limit: TimeLimit, *, cutoff: time | None = None) -> str:
    """E.g. "3 working days", or "Same day (after 15:00: the next working day)"."""
    if limit.kind is LimitKind.SAME_DAY:
        cutoff = cutoff or time.fromisoformat(DEFAULT_CUTOFF)
        return _("Same day (after %(cutoff)s: the next working day)") % {"cutoff": clock_text(cutoff)}
    amount = limit.amount
    # Plural forms need an integer; a fractional amount reads as plural in every language we ship.
    count = int(amount) if amount == amount.to_integral_value() else 2
    values = {"count": number_text(amount)}
    if limit.kind is LimitKind.WORKING_DAYS:
        return ngettext("%(count)s working day", "%(count)s working days", count) % values
    if limit.kind is LimitKind.WORKING_HOURS:
        return ngettext("%(count)s working hour", "%(count)s working hours", count) % values
    return ngettext("%(count)s day", "%(count)s days", count) % values


def money_text(amount: int) -> str:
    """An amount in VND with the language's grouping ("20.000 đồng" in vi)."""
    return _("%(amount)s VND") % {"amount": number_format(amount, force_grouping=True)}


def fee_text(rule: FeeRule) -> str:
    """The fee of one row as a sentence fragment, without its channel."""
    if rule.kind == FeeKind.FREE:
        return _("Free")
    if rule.kind == FeeKind.SET_BY_PROVINCE:
        return _("Set by the province")
    if rule.kind == FeeKind.FIXED:
        return money_text(rule.amount)
    parts = [_("%(amount)s per page") % {"amount": money_text(rule.amount)}]
    if rule.pages_at_first_rate is not None and rule.later_page_amount is not None:
        parts.append(
            _("%(amount)s per page from page %(page)d")
            % {"amount": money_text(rule.later_page_amount), "page": rule.pages_at_first_rate + 1}
        )
    if rule.cap is not None:
        parts.append(_("at most %(amount)s per copy") % {"amount": money_text(rule.cap)})
    return "; ".join(parts)


def channel_text(channel: str) -> str:
    """The label of a channel; an empty channel means every channel."""
    if not channel:
        return _("Every channel")
    try:
        return str(Channel(channel).label)
    except ValueError:
        return channel


def fee_channel_text(channel: str, all_channels: list[str]) -> str:
    """Where a fee row applies, read against its siblings (rules.fees_for_channel)."""
    if channel:
        return channel_text(channel)
    return _("Other channels") if any(all_channels) else _("Every channel")
