import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.identity.cccd import CCCDError, parse_cccd_qr

SAMPLE = "087190001234|341234567|Trần Thị Ánh Nguyệt|15081990|Nữ|Ấp 3, Xã Mỹ An Hưng, Tỉnh Đồng Tháp|01072021"


def test_a_scanned_card_fills_the_applicant():
    card = parse_cccd_qr(SAMPLE + "\r\n")
    assert card.id_number == "087190001234" and card.old_id_number == "341234567"
    assert card.full_name == "Trần Thị Ánh Nguyệt" and card.sex == "Nữ"
    assert card.birth_date == date(1990, 8, 15) and card.issue_date == date(2021, 7, 1)
    assert card.address == "Ấp 3, Xã Mỹ An Hưng, Tỉnh Đồng Tháp"


def test_decomposed_text_from_a_scanner_is_normalized():
    card = parse_cccd_qr(unicodedata.normalize("NFD", SAMPLE))
    assert card.full_name == "Trần Thị Ánh Nguyệt"


def test_the_old_id_may_be_empty():
    assert parse_cccd_qr(SAMPLE.replace("341234567", "")).old_id_number == ""


@pytest.mark.parametrize(
    "text",
    [
        "",
        "087190001234|Trần Thị Ánh Nguyệt",
        SAMPLE.replace("087190001234", "08719000123"),
        SAMPLE.replace("15081990", "31021990"),
        SAMPLE.replace("Nữ", "F"),
        SAMPLE.replace("01072021", "01071980"),
        SAMPLE.replace("Trần Thị Ánh Nguyệt", " "),
    ],
)
def test_bad_scans_are_refused_with_a_reason(text):
    with pytest.raises(CCCDError):
        parse_cccd_qr(text)


@given(
    number=st.from_regex(r"\d{12}", fullmatch=True),
    name=st.text(alphabet="ÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬĐÈÉẺẼẸÊẾỀỂỄỆabcdefghiklmnopqrstuvxy ", min_size=1).filter(
        str.strip
    ),
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)),
)
def test_any_well_formed_card_round_trips(number, name, birth):
    text = f"{number}||{name}|{birth:%d%m%Y}|Nam|Hà Nội|{date(2021, 1, 1):%d%m%Y}"
    card = parse_cccd_qr(text)
    assert (card.id_number, card.birth_date) == (number, birth)
    assert card.full_name == " ".join(unicodedata.normalize("NFC", name).split())
