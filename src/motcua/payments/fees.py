"""What a dossier owes, from its procedure version's fee rows: pure, no database.

The amount of each row comes from `catalog.rules` (one rule, one place); this module only adds what
payments need on top: which budget item a row is (a fee, phí, and a charge, lệ phí, are receipted
and reported apart), when it is payable (on receipt, or at the return where the fee says so), which
catalog channel a dossier's intake channel pays as, and exemptions. Amounts are whole VND (int).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from motcua.catalog.rules import FeeRule, fee_amount, fees_for_channel


class Item(StrEnum):
    """The budget item: phí (a fee for a service) or lệ phí (a charge for a state act).

    The values are PayGov's `LoaiPhiLePhi` codes.
    """

    FEE = "1"
    CHARGE = "2"


class PayableAt(StrEnum):
    RECEIPT = "receipt"
    RETURN = "return"


# A dossier's intake channel -> the catalog channel whose fee rows it pays. The kiosk stands in
# the center and files like the counter (the online discount is for filing from home).
FEE_CHANNEL = {
    "counter": "counter",
    "kiosk": "counter",
    "post": "post",
    "online": "online_full",
}


def item_from_name(name: str) -> Item:
    """Lệ phí when the row's name says so ("Lệ phí đăng ký..."), else phí."""
    text = unicodedata.normalize("NFC", name or "").strip().casefold()
    return Item.CHARGE if text.startswith("lệ phí") else Item.FEE


@dataclass(frozen=True)
class FeeRow:
    """One catalog fee row with what payments know about it."""

    position: int
    name: str
    rule: FeeRule
    item: Item
    payable_at: PayableAt = PayableAt.RECEIPT

    # fees_for_channel reads `.channel`
    @property
    def channel(self) -> str:
        return self.rule.channel


@dataclass(frozen=True)
class Line:
    """One line of what a dossier owes. `amount` None: set by the province, not priced yet."""

    position: int
    name: str
    item: Item
    payable_at: PayableAt
    amount: int | None
    exempt: bool = False

    @property
    def due(self) -> int:
        """What is to be paid for this line now (0 when exempt or not priced)."""
        return 0 if self.exempt or self.amount is None else self.amount


def assess(rows: Iterable[FeeRow], *, channel: str, pages: int = 1, copies: int = 1) -> list[Line]:
    """The lines a dossier filed through intake `channel` owes, in the catalog's order."""
    fee_channel = FEE_CHANNEL.get(channel, channel)
    chosen = fees_for_channel(list(rows), fee_channel)
    lines = []
    for row in sorted(chosen, key=lambda r: r.position):
        lines.append(
            Line(
                position=row.position,
                name=row.name,
                item=row.item,
                payable_at=row.payable_at,
                amount=fee_amount(row.rule, pages=pages, copies=copies),
            )
        )
    return lines


def exempt(lines: Sequence[Line], positions: Iterable[int] | None = None) -> list[Line]:
    """The lines with `positions` (all when None) exempted; amounts are kept for the record."""
    wanted = None if positions is None else set(positions)
    return [
        replace(line, exempt=True) if wanted is None or line.position in wanted else line for line in lines
    ]


@dataclass(frozen=True)
class Totals:
    fee: int
    charge: int
    unpriced: int  # lines whose amount the province sets and nobody has entered yet

    @property
    def total(self) -> int:
        return self.fee + self.charge


def totals(lines: Iterable[Line], *, stage: PayableAt | None = None) -> Totals:
    """Phí and lệ phí apart, for one stage or all."""
    fee = charge = unpriced = 0
    for line in lines:
        if stage is not None and line.payable_at != stage:
            continue
        if line.amount is None and not line.exempt:
            unpriced += 1
        elif line.item == Item.FEE:
            fee += line.due
        else:
            charge += line.due
    return Totals(fee=fee, charge=charge, unpriced=unpriced)
