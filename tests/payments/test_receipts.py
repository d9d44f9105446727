"""Cash at the counter and electronic receipts: numbers, words, PDF, replacement, concurrency."""

import io
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from motcua.core.errors import Conflict, PermissionDenied, ValidationFailed
from motcua.dossiers.models import DossierEvent
from motcua.payments import pdf, receipts, selectors
from motcua.payments.models import Receipt, ReceiptBook, ReceiptCounter
from motcua.payments.words import amount_in_words, number_words
from tests.payments import support

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL"
)


@pytest.mark.parametrize(
    "amount, words",
    [
        (0, "Không đồng"),
        (5000, "Năm nghìn đồng"),
        (10000, "Mười nghìn đồng"),
        (15000, "Mười lăm nghìn đồng"),
        (20000, "Hai mươi nghìn đồng"),
        (21000, "Hai mươi mốt nghìn đồng"),
        (25000, "Hai mươi lăm nghìn đồng"),
        (105000, "Một trăm linh năm nghìn đồng"),
        (110000, "Một trăm mười nghìn đồng"),
        (200000, "Hai trăm nghìn đồng"),
        (1000000, "Một triệu đồng"),
        (1005000, "Một triệu không trăm linh năm nghìn đồng"),
        (1250000, "Một triệu hai trăm năm mươi nghìn đồng"),
        (2000001, "Hai triệu không trăm linh một đồng"),
        (3000000000, "Ba tỷ đồng"),
        (1000000000000, "Một nghìn tỷ đồng"),
    ],
)
def test_amount_in_words(amount, words):
    assert amount_in_words(amount) == words


def _parse(words: str) -> int:
    """A reader of our own wording, to check the words say the number (a round trip)."""
    digits = {
        "không": 0,
        "một": 1,
        "mốt": 1,
        "hai": 2,
        "ba": 3,
        "bốn": 4,
        "năm": 5,
        "lăm": 5,
        "sáu": 6,
        "bảy": 7,
        "tám": 8,
        "chín": 9,
    }
    total = billions = group = current = 0
    tokens = words.split()
    for i, token in enumerate(tokens):
        if token in digits:
            current = digits[token]
        elif token == "mười":
            current = 10
        elif token == "mươi":
            group += current * 10
            current = 0
            continue
        elif token == "trăm":
            group += current * 100
            current = 0
            continue
        elif token == "linh":
            continue
        elif token in ("nghìn", "triệu"):
            group += current
            total += group * (1000 if token == "nghìn" else 10**6)
            group = current = 0
            continue
        elif token == "tỷ":
            group += current
            billions = (total + group) * 10**9
            total = group = current = 0
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if nxt not in ("mươi", "trăm"):
            group += current
            current = 0
    return billions + total + group + current


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_words_say_the_number(n):
    assert _parse(number_words(n)) == n


@pytest.fixture
def counter_setup():
    staffed = support.staffed_center()
    support.account(staffed.center)
    return staffed, support.priced_version()


def _text(data: bytes) -> str:
    import unicodedata

    reader = PdfReader(io.BytesIO(data))
    return unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))


@pytest.mark.django_db
def test_cash_payment_issues_a_numbered_receipt_with_the_amount_in_words(counter_setup):
    staffed, version = counter_setup
    dossier = support.receive(staffed, version)
    receipt = receipts.cash_collect(actor=staffed.desk, dossier=dossier, at=support.at("2026-03-02 09:30"))
    assert (receipt.number, receipt.year, receipt.total) == (1, 2026, 25000)
    assert receipt.total_words == "Hai mươi lăm nghìn đồng"
    assert [(line["item"], line["amount"]) for line in receipt.lines] == [("2", 20000), ("1", 5000)]
    assert selectors.dossier_balance(dossier).status == "paid"
    event = DossierEvent.objects.filter(dossier=dossier).order_by("-seq").first()
    assert event.action == "payment_confirmed" and event.payload["method"] == "cash"
    text = _text(pdf.render_receipt(receipt))
    for expected in (
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        "Hai mươi lăm nghìn đồng",
        "Lệ phí đăng ký thường trú",
        "Trần Thị Ánh Nguyệt",
        "Nguyễn Thị Hồng",
        "0000001",
        receipt.template_symbol,
        dossier.code,
        "25.000",
    ):
        assert expected in text, expected
    with pytest.raises(Conflict):
        receipts.cash_collect(actor=staffed.desk, dossier=dossier)


@pytest.mark.django_db
def test_numbers_follow_each_other_per_series_and_restart_each_year(counter_setup):
    staffed, version = counter_setup
    numbers = []
    for when in ("2026-03-02 09:00", "2026-03-02 10:00", "2026-12-31 16:00", "2027-01-04 08:00"):
        dossier = support.receive(staffed, version, when=when)
        numbers.append(receipts.cash_collect(actor=staffed.desk, dossier=dossier, at=support.at(when)))
    assert [(r.year, r.number) for r in numbers] == [(2026, 1), (2026, 2), (2026, 3), (2027, 1)]
    book = ReceiptBook.objects.create(center=staffed.center, template_symbol="01BLP0-001", series="AB-26E")
    dossier = support.receive(staffed, version, when="2027-01-04 09:00")
    other = receipts.cash_collect(actor=staffed.desk, dossier=dossier, at=support.at("2027-01-04 09:00"))
    assert (other.series, other.number) == (book.series, 1)


@pytest.mark.django_db
def test_only_a_desk_officer_collects(counter_setup):
    staffed, version = counter_setup
    dossier = support.receive(staffed, version)
    with pytest.raises(PermissionDenied):
        receipts.cash_collect(actor=staffed.specialist, dossier=dossier)
    assert not Receipt.objects.exists()


@pytest.mark.django_db
def test_a_wrong_receipt_is_replaced_never_edited(counter_setup):
    staffed, version = counter_setup
    dossier = support.receive(staffed, version)
    first = receipts.cash_collect(actor=staffed.desk, dossier=dossier)
    with pytest.raises(ValidationFailed):
        receipts.receipt_replace(actor=staffed.desk, receipt=first, reason="")
    second = receipts.receipt_replace(
        actor=staffed.desk, receipt=first, reason="Sai tên người nộp", payer_name="Trần Văn Bình"
    )
    assert second.number == 2 and second.replaces == first and second.total == first.total
    first.refresh_from_db()
    assert first.payer_name == "Trần Thị Ánh Nguyệt"  # unchanged
    with pytest.raises(Conflict):
        receipts.receipt_replace(actor=staffed.desk, receipt=first, reason="again")
    text = _text(pdf.render_receipt(second))
    assert "thay thế biên lai" in text and "0000001" in text and "Trần Văn Bình" in text


@pytest.mark.django_db
def test_counter_page_collects_and_prints(client, counter_setup):
    staffed, version = counter_setup
    dossier = support.receive(staffed, version)
    client.force_login(staffed.desk)
    page = client.get(f"/ho-so/{dossier.code}/thu-tien/")
    assert page.status_code == 200 and "25.000" in page.content.decode()
    response = client.post(f"/ho-so/{dossier.code}/thu-tien/", {"payer_name": "Trần Thị Ánh Nguyệt"})
    assert response.status_code == 303
    receipt = Receipt.objects.get()
    assert response["Location"] == f"/thu-tien/bien-lai/{receipt.pk}/"
    pdf_response = client.get(f"/thu-tien/bien-lai/{receipt.pk}/pdf/")
    assert pdf_response["Content-Type"] == "application/pdf"
    assert "Hai mươi lăm nghìn đồng" in _text(pdf_response.content)
    # the QR's public lookup page
    public = client.get(pdf.receipt_url(receipt).replace("http://127.0.0.1:8000", ""))
    assert public.status_code == 200 and "Hai mươi lăm nghìn đồng" in public.content.decode()


@pytest.mark.django_db
def test_another_centers_officer_cannot_open_the_receipt(client, counter_setup):
    staffed, version = counter_setup
    receipt = receipts.cash_collect(actor=staffed.desk, dossier=support.receive(staffed, version))
    other = support.staffed_center()
    client.force_login(other.desk)
    assert client.get(f"/thu-tien/bien-lai/{receipt.pk}/pdf/").status_code == 404


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_cash_payments_get_distinct_gap_free_numbers():
    staffed = support.staffed_center()
    version = support.priced_version()
    dossiers = [support.receive(staffed, version) for _ in range(20)]
    start = threading.Barrier(20)

    def collect(dossier):
        try:
            start.wait()
            return receipts.cash_collect(actor=staffed.desk, dossier=dossier).number
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=20) as pool:
        numbers = list(pool.map(collect, dossiers))
    assert sorted(numbers) == list(range(1, 21))
    assert ReceiptCounter.objects.get().last_number == 20
