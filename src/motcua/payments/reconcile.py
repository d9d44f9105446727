"""Daily reconciliation per center and collecting account (đối soát): expected, confirmed, cash,
exceptions and refunds, with the checks that the records agree with each other.

A row does not match when the cash collected differs from its receipts (current ones, a replaced
receipt counted once through its replacement), or when the payments settled differ from the
payment events in the dossiers' histories. `motcua payments reconcile --date D` exits 1 then.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, Sum
from django.http import HttpResponse
from django.utils import timezone

from motcua.dossiers.models import DossierEvent

from . import history
from .models import Charge, Method, Payment, PaymentStatus, Receipt
from .selectors import SETTLED, account_for_center

COLUMNS = (
    "center",
    "account",
    "expected",
    "confirmed",
    "cash",
    "exceptions",
    "refunds",
    "receipts",
    "history",
    "matches",
)


@dataclass
class Row:
    center: str
    account: str
    expected: int = 0
    confirmed: int = 0
    cash: int = 0
    exceptions: int = 0
    refunds: int = 0
    receipts: int = 0
    history: int = 0

    @property
    def matches(self) -> bool:
        return self.receipts == self.cash and self.history == self.confirmed + self.cash

    def as_dict(self) -> dict:
        return asdict(self) | {"matches": self.matches}


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def _account_label(account) -> str:
    return f"{account.bank_bin} {account.account_number}" if account else "—"


def daily_rows(day: date, *, user=None, center_codes: list[str] | None = None) -> list[Row]:
    """One row per (center, account) with anything that day; scoped to `user` when given."""
    from .selectors import payments_for_user

    start, end = day_bounds(day)
    payments = (payments_for_user(user) if user is not None else Payment.objects.all()).select_related(
        "center", "account"
    )
    payments = payments.filter(
        Q(paid_at__gte=start, paid_at__lt=end) | Q(resolved_at__gte=start, resolved_at__lt=end)
    )
    if center_codes:
        payments = payments.filter(center__agency_code__in=center_codes)
    rows: dict[tuple, Row] = {}

    def row(center, account) -> Row:
        key = (center.pk if center else None, account.pk if account else None)
        if key not in rows:
            rows[key] = Row(center=center.name if center else "—", account=_account_label(account))
        return rows[key]

    for payment in payments:
        r = row(payment.center, None if payment.method == Method.CASH else payment.account)
        in_day = start <= payment.paid_at < end
        if payment.status in SETTLED and (in_day or payment.status == PaymentStatus.ATTACHED):
            if payment.method == Method.CASH:
                r.cash += payment.amount
                r.receipts += _receipt_total(payment)
            else:
                r.confirmed += payment.amount
            r.history += _history_amount(payment)
        elif payment.status == PaymentStatus.EXCEPTION and in_day:
            r.exceptions += payment.amount
        elif payment.status == PaymentStatus.REFUNDED:
            r.refunds += payment.amount
    _expected(rows, row, start, end, user, center_codes)
    return sorted(rows.values(), key=lambda r: (r.center, r.account))


def _expected(rows, row, start, end, user, center_codes) -> None:
    from motcua.units.scoping import scope_queryset

    # what the dossiers received (or filed online) that day owe, at the center that collects
    charges = Charge.objects.filter(exempt=False, amount__isnull=False).filter(
        Q(dossier__received_at__gte=start, dossier__received_at__lt=end)
        | Q(
            dossier__received_at__isnull=True, dossier__submitted_at__gte=start, dossier__submitted_at__lt=end
        )
    )
    if user is not None:
        charges = scope_queryset(charges, user, center_field="dossier__receiving_center")
    if center_codes:
        charges = charges.filter(dossier__receiving_center__agency_code__in=center_codes)
    totals = charges.values("dossier__receiving_center").annotate(total=Sum("amount"))
    from motcua.units.models import ServiceCenter

    centers = ServiceCenter.objects.select_related("commune").in_bulk(
        [t["dossier__receiving_center"] for t in totals]
    )
    for t in totals:
        center = centers[t["dossier__receiving_center"]]
        row(center, account_for_center(center)).expected += t["total"]


def _receipt_total(payment: Payment) -> int:
    current = Receipt.objects.filter(payment=payment, replaced_by__isnull=True)
    return current.aggregate(s=Sum("total"))["s"] or 0


def _history_amount(payment: Payment) -> int:
    if not payment.dossier_id:
        return 0
    events = DossierEvent.objects.filter(
        dossier_id=payment.dossier_id, action=history.PAYMENT_CONFIRMED, payload__payment=payment.pk
    ).values_list("payload", flat=True)
    return sum(int(p.get("amount", 0)) for p in events)


def mismatched(rows: list[Row]) -> list[Row]:
    return [r for r in rows if not r.matches]


def to_csv(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for r in rows:
        writer.writerow(r.as_dict())
    return out.getvalue()


def to_xlsx(rows: list[Row], day: date) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = f"{day:%Y-%m-%d}"
    sheet.append(list(COLUMNS))
    for r in rows:
        d = r.as_dict()
        sheet.append([d[c] for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_response(rows: list[Row], day: date, fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        response = HttpResponse(
            to_xlsx(rows, day),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse("\ufeff" + to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="doi-soat-{day:%Y-%m-%d}.{fmt}"'
    return response
