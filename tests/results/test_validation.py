"""Signing real PDFs with a CA made by the tests, and detecting each kind of alteration."""

from __future__ import annotations

import hashlib
import io

import pytest
from pypdf import PdfWriter
from pypdf.annotations import FreeText
from pypdf.generic import ArrayObject, FloatObject, NameObject

from motcua.results import signing, validation

from .conftest import PASSWORD
from .support import plain_pdf

STAMP = signing.Stamp("Ký số bởi / Signed by:", "http://testserver/xac-thuc/abc/")


@pytest.fixture
def signer(pki_root):
    return signing.load_pkcs12(pki_root.leader_p12, PASSWORD)


@pytest.fixture
def signed(signer) -> bytes:
    return signing.sign_pdf(plain_pdf(), signer=signer, field_name=signing.SIGNER_FIELD, stamp=STAMP)


def _incremental(data: bytes, change) -> bytes:
    writer = PdfWriter(io.BytesIO(data), incremental=True)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_signed_result_with_its_stamp_is_valid_and_names_its_signer(signed, roots):
    verdict = validation.validate_pdf(signed, roots=roots)
    assert verdict.status == validation.VALID
    assert [s.name for s in verdict.signatures] == ["Võ Thành Nhân"]
    assert verdict.signatures[0].covers_file


def test_the_seal_added_after_the_leader_keeps_the_result_valid(signed, pki_root, roots):
    seal = signing.load_pkcs12(pki_root.seal_p12, PASSWORD)
    sealed = signing.sign_pdf(signed, signer=seal, field_name=signing.SEAL_FIELD, stamp=STAMP, left=True)
    verdict = validation.validate_pdf(sealed, roots=roots)
    assert verdict.status == validation.VALID
    assert [s.name for s in verdict.signatures] == ["Võ Thành Nhân", "UBND xã Mỹ An Hưng"]


def test_one_byte_changed_is_an_alteration(signed, roots):
    data = bytearray(signed)
    where = data.find(b"/MediaBox")
    data[where + 12] = ord("9") if data[where + 12] != ord("9") else ord("8")
    assert validation.validate_pdf(bytes(data), roots=roots).status == validation.ALTERED


def test_a_byte_changed_in_the_signature_value_is_an_alteration(signed, roots):
    data = bytearray(signed)
    start = data.index(b"/Contents <") + len(b"/Contents <")
    end = data.index(b">", start)
    used = start + len(bytes(data[start:end]).rstrip(b"0"))  # the CMS ends with the RSA signature
    where = used - 20
    data[where] = ord("1") if data[where] != ord("1") else ord("2")  # another hex digit's value
    assert validation.validate_pdf(bytes(data), roots=roots).status == validation.ALTERED


def test_any_changed_byte_makes_the_file_differ_from_the_recorded_hash(signed):
    # Bytes that no signature covers (the zero padding of the signature container) do not break
    # the cryptography, which is why the public check also compares the whole file's SHA-256.
    data = bytearray(signed)
    padding = data.index(b"0000000000>", data.index(b"/Contents <"))
    data[padding] = ord("1")
    assert hashlib.sha256(bytes(data)).hexdigest() != hashlib.sha256(signed).hexdigest()


def test_an_incremental_update_that_adds_a_page_is_an_alteration(signed, roots):
    altered = _incremental(signed, lambda w: w.add_blank_page(595, 842))
    verdict = validation.validate_pdf(altered, roots=roots)
    assert verdict.status == validation.ALTERED
    assert verdict.problem == "appended_after_last_signature"


def test_an_added_annotation_is_an_alteration(signed, roots):
    note = FreeText(text="Đã sửa", rect=(50, 50, 200, 100))
    altered = _incremental(signed, lambda w: w.add_annotation(page_number=0, annotation=note))
    assert validation.validate_pdf(altered, roots=roots).status == validation.ALTERED


def test_a_changed_stamp_annotation_is_an_alteration(signed, roots):
    def move_stamp(writer):
        for annotation in writer.pages[0]["/Annots"]:
            widget = annotation.get_object()
            widget[NameObject("/Rect")] = ArrayObject([FloatObject(v) for v in (10, 10, 100, 40)])

    altered = _incremental(signed, move_stamp)
    assert validation.validate_pdf(altered, roots=roots).status == validation.ALTERED


def test_a_later_signature_from_a_foreign_certificate_is_not_trusted(signed, pki_root, roots):
    rogue = signing.load_pkcs12(pki_root.rogue_p12, PASSWORD)
    resigned = signing.sign_pdf(signed, signer=rogue, field_name="Them", stamp=None)
    assert validation.validate_pdf(resigned, roots=roots).status == validation.UNTRUSTED


def test_a_certificate_not_issued_by_the_configured_ca_is_not_trusted(pki_root, roots):
    rogue = signing.load_pkcs12(pki_root.rogue_p12, PASSWORD)
    data = signing.sign_pdf(plain_pdf(), signer=rogue, field_name=signing.SIGNER_FIELD, stamp=STAMP)
    verdict = validation.validate_pdf(data, roots=roots)
    assert verdict.status == validation.UNTRUSTED
    assert verdict.signatures[0].name == "Võ Thành Nhân"  # the same name does not make it ours


def test_unsigned_and_damaged_files(roots):
    assert validation.validate_pdf(plain_pdf(), roots=roots).status == validation.UNSIGNED
    assert validation.validate_pdf(b"not a pdf", roots=roots).status == validation.DAMAGED


def test_the_key_file_is_opened_once_for_many_signatures(pki_root, monkeypatch):
    from cryptography.hazmat.primitives.serialization import pkcs12

    signing.clear_cache()
    opened = []
    real = pkcs12.load_key_and_certificates
    monkeypatch.setattr(pkcs12, "load_key_and_certificates", lambda *a: opened.append(1) or real(*a))
    signers = {id(signing.load_pkcs12(pki_root.leader_p12, PASSWORD)) for _ in range(5)}
    assert len(opened) == 1 and len(signers) == 1


def test_a_wrong_password_is_a_clear_key_error(pki_root):
    signing.clear_cache()
    with pytest.raises(signing.KeyError_):
        signing.load_pkcs12(pki_root.leader_p12, "sai-mat-khau")
