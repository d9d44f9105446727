"""The pages: the citizen's download from tracking, the public check (QR and upload), the staff's
result page."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.dossiers.models import State
from motcua.results.models import ResultDocument
from tests.language import english_client
from tests.staff.support import signed_in, verified_client

from .support import approve, plain_pdf, receive, to_leader

pytestmark = pytest.mark.django_db


def _signed(env):
    dossier = approve(env, to_leader(env, receive(env)))
    return dossier, ResultDocument.objects.get(dossier=dossier)


def test_the_tracking_page_offers_the_signed_result_and_the_download_returns_it(env):
    dossier, result = _signed(env)
    page = Client().get(f"/tra-cuu/{dossier.code}/?s={dossier.secret}")
    assert "Tải kết quả đã ký số (PDF)" in page.content.decode()
    download = Client().get(f"/tra-cuu/{dossier.code}/ket-qua/?s={dossier.secret}")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == result.signed_sha256
    dossier.refresh_from_db()
    assert dossier.state == State.RETURNED and dossier.return_method == "electronic"


def test_the_download_needs_the_secret(env):
    dossier, _result = _signed(env)
    response = Client().get(f"/tra-cuu/{dossier.code}/ket-qua/?s=WRONG-SECRET")
    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.state == State.RESULT_READY


def test_the_check_page_says_valid_in_vietnamese_and_in_english(env):
    _dossier, result = _signed(env)
    page = Client().get(f"/xac-thuc/{result.check_id}/").content.decode()
    assert "Hợp lệ" in page and "Võ Thành Nhân" in page and "T. T. Á. N." in page
    assert "087190001234" not in page and "Trần Thị Ánh Nguyệt" not in page
    english = english_client().get(f"/xac-thuc/{result.check_id}/").content.decode()
    assert "Valid: an unaltered result signed by the issuing agency" in english


def test_a_guessed_id_and_an_unknown_id_get_the_same_404(env):
    _dossier, result = _signed(env)
    guessed = Client().get(f"/xac-thuc/{result.check_id[:-2]}AA/")
    unknown = Client().get("/xac-thuc/khong-co/")
    assert guessed.status_code == unknown.status_code == 404

    def bare(response) -> str:  # the page less its per-response CSRF token and its own address
        page = response.content.decode().replace(response.request["PATH_INFO"], "PATH")
        return re.sub(r'value="[^"]{64}"', "", page)

    assert bare(guessed) == bare(unknown)
    assert "Không có kết quả nào khớp với địa chỉ này." in bare(guessed)


def test_the_upload_check_recognizes_the_result_and_refuses_others(env):
    dossier, _result = _signed(env)
    data = b"".join(Client().get(f"/tra-cuu/{dossier.code}/ket-qua/?s={dossier.secret}").streaming_content)
    valid = Client().post("/xac-thuc/", {"file": SimpleUploadedFile("kq.pdf", data, "application/pdf")})
    assert 'data-status="valid"' in valid.content.decode()
    other = Client().post("/xac-thuc/", {"file": SimpleUploadedFile("x.pdf", plain_pdf(), "application/pdf")})
    assert 'data-status="unknown"' in other.content.decode()
    assert Client().post("/xac-thuc/", {}).status_code == 422


def test_staff_render_sign_and_revoke_from_the_result_page(env):
    dossier = approve(env, to_leader(env, receive(env)), leader=env.other_leader)
    url = f"/ho-so/{dossier.code}/ket-qua/"
    specialist = signed_in(env.specialist)
    assert specialist.post(url, {"do": "render"}).status_code == 303
    leader = verified_client(env.leader)
    assert "Ký số kết quả" in leader.get(url).content.decode()
    assert leader.post(url, {"do": "sign"}).status_code == 303
    result = ResultDocument.objects.get(dossier=dossier)
    assert result.signed
    refused = leader.post(url, {"do": "revoke", "result": result.pk, "reason": ""})
    assert refused.status_code == 422 and "Không có gì thay đổi." in refused.content.decode()
    assert leader.post(url, {"do": "revoke", "result": result.pk, "reason": "Cấp nhầm"}).status_code == 303
    result.refresh_from_db()
    assert result.revoked


def test_the_attach_form_refuses_a_non_pdf_with_a_clear_message(env):
    dossier = to_leader(env, receive(env))
    client = signed_in(env.specialist)
    upload = SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")
    response = client.post(f"/ho-so/{dossier.code}/ket-qua/", {"do": "attach", "file": upload})
    assert response.status_code == 422
    assert "Chưa thực hiện được" in response.content.decode() and "PDF" in response.content.decode()
    assert not ResultDocument.objects.exists()


def test_the_staff_dossier_page_links_to_the_result(env):
    dossier, _result = _signed(env)
    page = signed_in(env.desk).get(f"/ho-so/{dossier.code}/").content.decode()
    assert f"/ho-so/{dossier.code}/ket-qua/" in page


def test_a_bulk_approval_signs_every_result_with_the_key_opened_once(env, monkeypatch):
    from cryptography.hazmat.primitives.serialization import pkcs12

    from motcua.results import signing

    dossiers = [to_leader(env, receive(env)) for _ in range(3)]
    signing.clear_cache()
    opened = []
    real = pkcs12.load_key_and_certificates
    monkeypatch.setattr(pkcs12, "load_key_and_certificates", lambda *a: opened.append(1) or real(*a))
    response = verified_client(env.leader).post("/phe-duyet/", {"dossier": [d.pk for d in dossiers]})
    assert response.status_code == 303
    signed = ResultDocument.objects.filter(dossier__in=dossiers).exclude(signed_sha256="")
    assert signed.count() == 3
    assert len(opened) == 2  # the leader's key and the seal's, once each for the three results
