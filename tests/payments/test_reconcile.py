"""Daily reconciliation (per center and account), its exports and command, and the service index."""

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from motcua.dossiers.models import DossierEvent
from motcua.payments import receipts, reconcile, services
from motcua.payments.models import Receipt
from motcua.reports import dashboards
from motcua.reports.periods import Kind, containing
from tests.payments import support

DAY = date(2026, 3, 2)


@pytest.fixture
def day_of_payments():
    staffed = support.staffed_center()
    support.account(staffed.center)
    version = support.priced_version()
    by_transfer = support.receive(staffed, version, when="2026-03-02 08:00")
    by_cash = support.receive(staffed, version, when="2026-03-02 09:00")
    unpaid = support.receive(staffed, version, when="2026-03-02 10:00")
    services.transfer_record(
        transfer=services.Transfer(
            "bank",
            "T1",
            25000,
            by_transfer.code,
            support.ACCOUNT,
            support.BIN,
            paid_at=support.at("2026-03-02 11:00"),
        )
    )
    services.transfer_record(
        transfer=services.Transfer(
            "bank",
            "T2",
            7000,
            "khong ro",
            support.ACCOUNT,
            support.BIN,
            paid_at=support.at("2026-03-02 11:30"),
        )
    )
    receipts.cash_collect(actor=staffed.desk, dossier=by_cash, at=support.at("2026-03-02 09:05"))
    return staffed, by_transfer, by_cash, unpaid


@pytest.mark.django_db
def test_a_day_adds_up_per_center_and_account(day_of_payments):
    rows = reconcile.daily_rows(DAY)
    by_account = {r.account: r for r in rows}
    bank = by_account[f"{support.BIN} {support.ACCOUNT}"]
    cash = by_account["—"]
    assert (bank.expected, bank.confirmed, bank.exceptions, bank.refunds) == (75000, 25000, 7000, 0)
    assert (cash.cash, cash.receipts) == (25000, 25000)
    assert all(r.matches for r in rows)
    call_command("payments", "reconcile", "--date", "2026-03-02")  # exits 0


@pytest.mark.django_db
def test_the_command_exits_1_when_sums_do_not_match(day_of_payments, capsys):
    Receipt.objects.update(total=20000)  # a receipt that no longer says what was collected
    with pytest.raises(CommandError) as info:
        call_command("payments", "reconcile", "--date", "2026-03-02")
    assert info.value.returncode == 1


@pytest.mark.django_db
def test_a_confirmation_missing_from_the_history_is_a_mismatch(day_of_payments):
    _staffed, by_transfer, _cash, _unpaid = day_of_payments
    DossierEvent.objects.filter(dossier=by_transfer, action="payment_confirmed").update(payload={"amount": 1})
    assert reconcile.mismatched(reconcile.daily_rows(DAY))


@pytest.mark.django_db
def test_bad_date_exits_2():
    with pytest.raises(CommandError) as info:
        call_command("payments", "reconcile", "--date", "02/03/2026")
    assert info.value.returncode == 2


@pytest.mark.django_db
def test_exports_csv_and_excel(client, day_of_payments):
    staffed = day_of_payments[0]
    client.force_login(staffed.desk)
    page = client.get("/thu-tien/doi-soat/?date=2026-03-02")
    assert page.status_code == 200
    response = client.get("/thu-tien/doi-soat/?date=2026-03-02&format=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sum(int(r["confirmed"]) for r in rows) == 25000 and sum(int(r["cash"]) for r in rows) == 25000
    response = client.get("/thu-tien/doi-soat/?date=2026-03-02&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == list(reconcile.COLUMNS)
    # another center's officer sees nothing of it
    client.force_login(support.staffed_center().desk)
    response = client.get("/thu-tien/doi-soat/?date=2026-03-02&format=csv")
    assert list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))) == []


@pytest.mark.django_db
def test_the_service_index_counts_dossiers_paid_online(day_of_payments):
    staffed = day_of_payments[0]
    period = containing(Kind.QUARTER, DAY)
    ranking = dashboards.province_ranking(staffed.center.commune.province_id, period)
    inputs = ranking.inputs_for([staffed.center.pk])
    assert inputs.paid_online == 1  # the transfer; cash is not online
