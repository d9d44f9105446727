"""Pure catalog rules, no database: fee formulas and the fit of internal-process budgets.

Fees (Circular 226/2016/TT-BTC for certification, Circular 75/2022/TT-BTC for residence...):
- fixed: an amount per result (per copy asked for), e.g. 10,000 VND per signature certified;
- per page: the first K pages at one rate, later pages at another, capped per copy
  (certified copy: 2,000 VND a page, 1,000 from page 3, at most 200,000 VND a copy);
- free; or set by the province's People's Council, which the catalog cannot price (None).

A procedure may price channels differently (permanent residence: 20,000 VND at the counter,
10,000 online): a fee row names a channel, or none for every channel.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol, TypeVar

from motcua.workdays.core import TimeLimit

from .choices import FeeKind


@dataclass(frozen=True)
class FeeRule:
    """How one fee row is computed; `channel` empty means it applies to every channel."""

    kind: str
    amount: int = 0
    pages_at_first_rate: int | None = None
    later_page_amount: int | None = None
    cap: int | None = None
    channel: str = ""


def per_copy_amount(rule: FeeRule, pages: int) -> int:
    """The per-page price of one copy of `pages` pages, before multiplying by copies."""
    if rule.pages_at_first_rate is None or rule.later_page_amount is None:
        total = rule.amount * pages
    else:
        first = min(pages, rule.pages_at_first_rate)
        total = rule.amount * first + rule.later_page_amount * (pages - first)
    if rule.cap is not None:
        total = min(total, rule.cap)
    return total


def fee_counts(kinds: Iterable[str]) -> set[str]:
    """What the desk officer counts at intake for fees of these kinds: "pages" where a fee is per
    page, "copies" where any fee is priced (each copy asked for pays it again)."""
    kinds = set(kinds)
    counts = set()
    if FeeKind.PER_PAGE in kinds:
        counts |= {"pages", "copies"}
    if FeeKind.FIXED in kinds:
        counts.add("copies")
    return counts


def fee_amount(rule: FeeRule, *, pages: int = 1, copies: int = 1) -> int | None:
    """The amount in VND of one fee row, or None when the province sets it (no amount known).

    `copies` multiplies both kinds of priced fee: a fixed fee is per result asked for, a
    per-page fee is capped per copy.
    """
    if pages < 0 or copies < 0:
        raise ValueError("Pages and copies cannot be negative.")
    if rule.kind == FeeKind.FREE:
        return 0
    if rule.kind == FeeKind.SET_BY_PROVINCE:
        return None
    if rule.kind == FeeKind.FIXED:
        return rule.amount * copies
    if rule.kind == FeeKind.PER_PAGE:
        return per_copy_amount(rule, pages) * copies
    raise ValueError(f"Unknown fee kind {rule.kind!r}.")


class _HasChannel(Protocol):
    channel: str


T = TypeVar("T", bound=_HasChannel)


def fees_for_channel(rules: Iterable[T], channel: str) -> list[T]:
    """The rows that apply to a channel: its own rows if it has any, else the rows for every channel.

    So a procedure lists its general fee once and only the channels that differ (online
    discount) get rows of their own.
    """
    rules = list(rules)
    own = [r for r in rules if r.channel == channel]
    return own or [r for r in rules if not r.channel]


def total_fee(rules: Iterable[FeeRule], *, channel: str, pages: int = 1, copies: int = 1) -> int | None:
    """What a dossier filed through `channel` pays; None when any row is set by the province."""
    total = 0
    for rule in fees_for_channel(rules, channel):
        amount = fee_amount(rule, pages=pages, copies=copies)
        if amount is None:
            return None
        total += amount
    return total


# -- internal process ------------------------------------------------------------------------------
@dataclass(frozen=True)
class BudgetProblem:
    """The internal-process budgets need more working days than the statutory limit gives."""

    total: Decimal
    allowed: Decimal
    limit: TimeLimit


def check_step_budgets(
    limit: TimeLimit, budgets: Sequence[Decimal], daily_hours: Decimal = Decimal(8)
) -> BudgetProblem | None:
    """None when the steps fit inside the limit, else the figures that do not fit.

    The comparison is against the working days the limit guarantees at least
    (`TimeLimit.in_working_days`), so a plan that fits is never late by construction.
    """
    total = sum((Decimal(b) for b in budgets), Decimal(0))
    allowed = limit.in_working_days(daily_hours)
    if total > allowed:
        return BudgetProblem(total=total, allowed=allowed, limit=limit)
    return None


def duplicate_positions(positions: Iterable[int | None]) -> list[int]:
    """Positions given more than once, in order; blanks are ignored."""
    seen: set[int] = set()
    duplicates: list[int] = []
    for position in positions:
        if position is None:
            continue
        if position in seen and position not in duplicates:
            duplicates.append(position)
        seen.add(position)
    return duplicates
