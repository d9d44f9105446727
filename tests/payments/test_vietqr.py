"""VietQR payloads: the published vectors byte for byte, and properties of every payload."""

import re
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from motcua.payments.vietqr import (
    VietQRError,
    ascii_purpose,
    crc16_ccitt_false,
    parse_tlv,
    vietqr_parse,
    vietqr_payload,
)

STATIC_ACB = "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F"
DYNAMIC_ACB = (
    "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN"
    "62150811Chuyen tien630453E6"
)


def test_crc_check_value():
    # CRC-16/CCITT-FALSE's catalogued check value over "123456789".
    assert crc16_ccitt_false(b"123456789") == 0x29B1


def test_published_static_vector():
    assert vietqr_payload(bin="970416", account="257678859") == STATIC_ACB


def test_published_dynamic_vector():
    assert (
        vietqr_payload(bin="970416", account="257678859", amount=10000, purpose="Chuyen tien") == DYNAMIC_ACB
    )


def test_vietnamese_purpose_is_written_without_diacritics():
    # A peer implementation's published example (VietinBank, 120,000 VND, "ủng hộ lũ lụt").
    assert vietqr_payload(bin="970415", account="0011001932418", amount=120000, purpose="ủng hộ lũ lụt") == (
        "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN"
        "62170813ung ho lu lut6304C15C"
    )


def test_purpose_is_cut_at_25_characters():
    payload = vietqr_payload(
        bin="970436", account="1234567890", amount=20000, purpose="Nộp lệ phí hồ sơ H15.50.05.13-261008-0975"
    )
    assert vietqr_parse(payload).purpose == "Nop le phi ho so H15.50.0"
    assert "62290825Nop le phi ho so H15.50.0" in payload


def test_crc_is_zero_padded_upper_case():
    # Search a few accounts for a CRC below 0x1000: its payload still ends in four hex digits.
    for n in range(2000):
        payload = vietqr_payload(bin="970422", account=str(1000 + n), amount=5000)
        crc = payload[-4:]
        assert re.fullmatch(r"[0-9A-F]{4}", crc)
        if crc.startswith("0"):
            break
    else:  # pragma: no cover - 2000 tries without a leading zero is a 1-in-10^56 event
        pytest.fail("no payload with a leading zero CRC found")


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"bin": "97041", "account": "1"}, "bin"),
        ({"bin": "9704161", "account": "1"}, "bin"),
        ({"bin": "97041a", "account": "1"}, "bin"),
        ({"bin": "970416", "account": ""}, "account"),
        ({"bin": "970416", "account": "12345678901234567890"}, "account"),
        ({"bin": "970416", "account": "123-456"}, "account"),
        ({"bin": "970416", "account": "1", "amount": 0}, "amount"),
        ({"bin": "970416", "account": "1", "amount": -5}, "amount"),
        ({"bin": "970416", "account": "1", "amount": 10**13}, "amount"),
    ],
)
def test_bad_input_is_refused_with_the_field(kwargs, field):
    with pytest.raises(VietQRError) as info:
        vietqr_payload(**kwargs)
    assert info.value.field == field


bins = st.from_regex(r"\A97[0-9]{4}\Z")
accounts = st.from_regex(r"\A[0-9A-Z]{1,19}\Z")
amounts = st.none() | st.integers(min_value=1, max_value=10**12)


@given(bin=bins, account=accounts, amount=amounts, purpose=st.text(max_size=60))
def test_every_payload_reads_back_with_a_valid_crc(bin, account, amount, purpose):
    payload = vietqr_payload(bin=bin, account=account, amount=amount, purpose=purpose)
    assert payload.isascii()
    read = vietqr_parse(payload)  # checks the CRC
    assert (read.bin, read.account, read.amount) == (bin, account, amount)
    assert read.purpose == ascii_purpose(purpose)
    assert len(read.purpose) <= 25
    top = parse_tlv(payload[:-8])
    assert list(top)[:2] == ["00", "01"]
    assert top["00"] == "01"
    assert top["01"] == ("12" if amount is not None else "11")
    assert top["53"] == "704" and top["58"] == "VN"
    assert ("62" in top) == bool(read.purpose)


@given(bin=bins, account=accounts, amount=amounts, purpose=st.text(max_size=30))
def test_one_changed_character_breaks_the_crc(bin, account, amount, purpose):
    payload = vietqr_payload(bin=bin, account=account, amount=amount, purpose=purpose)
    i = len(payload) // 3
    changed = payload[:i] + ("1" if payload[i] != "1" else "2") + payload[i + 1 :]
    with pytest.raises(VietQRError):
        vietqr_parse(changed)


@given(st.text(max_size=80))
def test_purpose_is_printable_ascii_at_most_25(text):
    out = ascii_purpose(text)
    assert len(out) <= 25
    assert all(" " <= ch <= "~" for ch in out)


# -- the command -----------------------------------------------------------------------------------------
def test_command_prints_the_payload_alone(capsys):
    call_command(
        "vietqr", "--bin", "970416", "--account", "257678859", "--amount", "10000", "--purpose", "Chuyen tien"
    )
    assert capsys.readouterr().out == DYNAMIC_ACB + "\n"


def test_command_static(capsys):
    call_command("vietqr", "--bin", "970416", "--account", "257678859")
    assert capsys.readouterr().out == STATIC_ACB + "\n"


@pytest.mark.parametrize(
    "args",
    [
        ["--bin", "97041", "--account", "1"],
        ["--bin", "970416", "--account", "12-3"],
        ["--bin", "970416", "--account", "1", "--amount", "0"],
        ["--bin", "970416", "--account", "1", "--amount", "10.5"],
        ["--bin", "970416", "--account", "1", "--amount", "-3"],
        ["--bin", "970416", "--account", "1", "--amount", "abc"],
    ],
)
def test_command_refuses_bad_input(args):
    with pytest.raises(CommandError) as info:
        call_command("vietqr", *args)
    assert info.value.returncode == 2


def test_console_command_exit_code_and_message():
    done = subprocess.run(
        [sys.executable, "-m", "motcua.cli", "vietqr", "--bin", "12", "--account", "1"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert "BIN" in done.stderr
