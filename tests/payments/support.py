"""Building blocks for payments tests: a staffed center with a collecting account and a priced procedure."""

import hashlib
import hmac
import json

from motcua.catalog.models import Fee
from motcua.payments.models import CollectingAccount
from tests.dossiers import support as dossier_support
from tests.dossiers.support import APPLICANT, all_provided, at, staffed_center  # noqa: F401

ACCOUNT = "257678859"
BIN = "970416"


def priced_version(**kwargs):
    """Permanent residence: 20,000 VND lệ phí at the counter, 10,000 online; plus a 5,000 VND phí."""
    version = dossier_support.version(name="Đăng ký thường trú", **kwargs)
    Fee.objects.create(
        version=version, position=1, name="Lệ phí đăng ký thường trú", kind="fixed", amount=20000
    )
    Fee.objects.create(
        version=version,
        position=2,
        name="Lệ phí đăng ký thường trú (nộp trực tuyến)",
        kind="fixed",
        channel="online_full",
        amount=10000,
    )
    Fee.objects.create(version=version, position=3, name="Phí khai thác thông tin", kind="fixed", amount=5000)
    return version


def account(center):
    return CollectingAccount.objects.create(
        center=center,
        bank_bin=BIN,
        bank_name="ACB",
        account_number=ACCOUNT,
        account_name="TTPVHCC XA MY AN HUNG",
    )


def receive(staffed, version, *, when="2026-03-02 09:00", **kwargs):
    dossier = dossier_support.receive(staffed, version, when=at(when), **kwargs)
    _assess(dossier)
    return dossier


def _assess(dossier):
    # The listener froze what is owed in the transaction that gave the dossier its code.
    from motcua.payments.models import Charge

    assert Charge.objects.filter(dossier=dossier).exists() or not dossier.procedure_version.fees.exists()
    return dossier


def submit_online(staffed, version, *, when="2026-03-02 09:00"):
    from motcua.dossiers import services

    dossier = services.dossier_submit_online(
        center=staffed.center,
        procedure_version=version,
        applicant=APPLICANT,
        components=all_provided(version),
        at=at(when),
    )
    return _assess(dossier)


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_body(**fields) -> bytes:
    data = {
        "transaction_id": "FT2606100001",
        "amount": 25000,
        "description": "",
        "account_number": ACCOUNT,
        "bank_bin": BIN,
        "payer_name": "TRAN THI ANH NGUYET",
        "transaction_time": "2026-03-02T10:15:00+07:00",
    }
    data.update(fields)
    return json.dumps(data).encode()
