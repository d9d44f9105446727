"""The counter desk: procedure search, ID card scan, the one-POST intake with scans, its slip."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.core.models import IdempotencyRecord
from motcua.dossiers import documents
from motcua.dossiers.models import Document, Dossier
from tests import factories

from .support import CARD, birth_registration, pdf_bytes, receive, signed_in, staffed

pytestmark = pytest.mark.django_db

MAX_QUERIES = 20


@pytest.fixture
def env():
    return staffed(), birth_registration()


def intake(c, v, **overrides) -> dict:
    first, second = v.components.all()
    data = {
        "p": v.procedure.national_code,
        "idempotency_key": "key-1",
        "center": c.center.pk,
        "applicant_name": "Trần Thị Ánh Nguyệt",
        "id_number": "087190001234",
        "birth_date": "15/03/1990",
        "address": "Ấp 3, xã Mỹ An Hưng",
        "phone": "0909123456",
        "channel": "counter",
        "result_delivery": "counter",
        f"provided-{first.pk}": "1",
        f"provided-{second.pk}": "1",
        "decision": "receive",
        "reason": "",
    }
    data.update(overrides)
    return data


def test_the_desk_finds_procedures_without_accents(env, django_assert_max_num_queries):
    c, v = env
    client = signed_in(c.desk)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/quay/tim-thu-tuc/?q=dang ky khai sinh")
    assert f"?p={v.procedure.national_code}" in response.content.decode()
    page = client.get("/quay/?q=DANG KY khai").content.decode()
    assert "Đăng ký khai sinh" in page and 'accesskey="p"' in page


def test_the_intake_form_lists_the_papers_with_the_scan_field_focused(env, django_assert_max_num_queries):
    c, v = env
    client = signed_in(c.desk)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(f"/quay/?p={v.procedure.national_code}")
    page = response.content.decode()
    for component in v.components.all():
        assert f'name="provided-{component.pk}"' in page and f'name="file-{component.pk}"' in page
        assert component.name in page
    scan = re.search(r"<input id=\"cccd-scan\"[^>]*>", page, re.S).group(0)
    assert "autofocus" in scan and 'accesskey="q"' in scan and "hx-post" in scan
    assert re.search(r'name="idempotency_key" value="[0-9a-f]{32}"', page)
    # the first submit button (what Enter presses) only reads the card
    first_submit = re.search(r'<button type="submit"[^>]*>', page.split('id="intake"')[1]).group(0)
    assert 'value="scan"' in first_submit
    assert 'accesskey="t"' in page and 'accesskey="b"' in page and 'accesskey="c"' in page


def test_a_fragment_is_answered_to_htmx(env):
    c, v = env
    response = signed_in(c.desk).get(
        f"/quay/?p={v.procedure.national_code}", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="intake"
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="intake"') and "<html" not in page


def test_scanning_the_id_card_fills_the_applicant_without_saving_anything(env):
    c, v = env
    response = signed_in(c.desk).post("/quay/quet-the/", {"scan": CARD, "p": v.procedure.national_code})
    page = response.content.decode()
    assert response.status_code == 200 and "cccd-read" in response["HX-Trigger"]
    assert 'hx-swap-oob="true"' in page
    for value in ("Trần Thị Ánh Nguyệt", "087190001234", "15/03/1990", "Ấp 3, xã Mỹ An Hưng, tỉnh Đồng Tháp"):
        assert f'value="{value}"' in page
    assert not Dossier.objects.exists()


def test_a_bad_scan_says_so(env):
    c, v = env
    response = signed_in(c.desk).post("/quay/quet-the/", {"scan": "hello", "p": v.procedure.national_code})
    assert response.status_code == 200 and "HX-Trigger" not in response
    assert "không phải mã QR" in response.content.decode()


def test_enter_without_javascript_reads_the_card_and_never_makes_a_dossier(env):
    c, v = env
    response = signed_in(c.desk).post("/quay/", intake(c, v, decision="scan", scan=CARD, applicant_name=""))
    page = response.content.decode()
    assert response.status_code == 200 and 'value="Trần Thị Ánh Nguyệt"' in page
    assert not Dossier.objects.exists()


def test_one_post_receives_the_dossier_with_its_scans_and_opens_the_slip(env, django_assert_max_num_queries):
    c, v = env
    first, second = v.components.all()
    client = signed_in(c.desk)
    data = intake(
        c,
        v,
        **{
            f"file-{first.pk}": SimpleUploadedFile("to-khai.pdf", pdf_bytes("To khai"), "application/pdf"),
            f"file-{second.pk}": SimpleUploadedFile(
                "giay-chung-sinh.pdf", pdf_bytes("GCS"), "application/pdf"
            ),
        },
    )
    # 60 before the payments and notifications listeners (fees owed, outbox rows)
    with django_assert_max_num_queries(
        70
    ) as captured:  # 60 before the payments and notifications listeners (fees owed, outbox rows)
        response = client.post("/quay/", data)
    print(f"intake POST with two scans: {len(captured.captured_queries)} queries")
    assert response.status_code == 303
    dossier = Dossier.objects.get()
    assert response["Location"] == f"/quay/ket-qua/{dossier.pk}/"
    assert dossier.state in ("received", "in_progress") and dossier.code
    assert dossier.applicant_birth_date.strftime("%d/%m/%Y") == "15/03/1990"
    assert sorted(d.component_id for d in dossier.documents.all()) == [first.pk, second.pk]

    with django_assert_max_num_queries(MAX_QUERIES):
        result = client.get(response["Location"])
    page = result.content.decode()
    assert dossier.code in page and dossier.due_at.astimezone().strftime("%d/%m/%Y") in page
    slip_url = f"/ho-so/{dossier.code}/phieu/01/"
    assert f'src="{slip_url}"' in page and "data-print-frame" in page and 'accesskey="n"' in page
    slip = client.get(slip_url)
    assert slip.status_code == 200 and slip["Content-Type"] == "application/pdf"
    assert slip.content.startswith(b"%PDF") and slip["X-Frame-Options"] == "SAMEORIGIN"


def test_the_same_form_sent_twice_makes_one_dossier(env):
    c, v = env
    client = signed_in(c.desk)
    first = client.post("/quay/", intake(c, v))
    second = client.post("/quay/", intake(c, v))
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    assert Dossier.objects.count() == 1 and IdempotencyRecord.objects.count() == 1
    changed = client.post("/quay/", intake(c, v, applicant_name="Người khác"))
    assert changed.status_code == 409 and Dossier.objects.count() == 1
    assert client.post("/quay/", intake(c, v, idempotency_key="key-2")).status_code == 303
    assert Dossier.objects.count() == 2


def test_receiving_an_incomplete_dossier_is_refused_and_nothing_is_saved(env):
    c, v = env
    first, second = v.components.all()
    data = intake(c, v)
    del data[f"provided-{second.pk}"]
    response = signed_in(c.desk).post("/quay/", data)
    page = response.content.decode()
    assert response.status_code == 400 and second.name in page and "Không có gì được lưu" in page
    assert not Dossier.objects.exists()
    assert f'id="provided-{first.pk}" name="provided-{first.pk}" value="1" checked' in page  # ticks kept


def test_a_supplement_request_lists_what_is_missing_on_slip_02(env):
    c, v = env
    _first, second = v.components.all()
    data = intake(c, v, decision="supplement", **{f"problem-{second.pk}": "Bản mờ, không đọc được"})
    response = signed_in(c.desk).post("/quay/", data)
    dossier = Dossier.objects.get()
    assert dossier.state == "reception_supplement" and not dossier.code
    page = signed_in(c.desk).get(response["Location"]).content.decode()
    assert "Bản mờ, không đọc được" in page and f"/ho-so/{dossier.pk}/phieu/02/" in page


def test_refusing_needs_a_reason(env):
    c, v = env
    client = signed_in(c.desk)
    response = client.post("/quay/", intake(c, v, decision="refuse"))
    assert response.status_code == 422 and not Dossier.objects.exists()
    response = client.post("/quay/", intake(c, v, decision="refuse", reason="Không thuộc thẩm quyền"))
    assert response.status_code == 303
    assert Dossier.objects.get().state == "reception_refused"
    assert "/phieu/03/" in client.get(response["Location"]).content.decode()


def test_a_file_that_is_not_a_scan_is_refused_before_anything_is_made(env):
    c, v = env
    first, _second = v.components.all()
    data = intake(c, v, **{f"file-{first.pk}": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf")})
    response = signed_in(c.desk).post("/quay/", data)
    page = response.content.decode()
    assert response.status_code == 422 and "virus.pdf" in page
    assert not Dossier.objects.exists() and not Document.objects.exists()


def test_a_postal_dossier_needs_its_tracking_number(env):
    c, v = env
    client = signed_in(c.desk)
    assert client.post("/quay/", intake(c, v, channel="post")).status_code == 422
    assert (
        client.post(
            "/quay/", intake(c, v, channel="post", postal_tracking_number="EB123456789VN")
        ).status_code
        == 303
    )
    assert Dossier.objects.get().postal_tracking_number == "EB123456789VN"


def test_earlier_scans_of_the_citizen_are_offered_and_re_used(env):
    c, v = env
    first, second = v.components.all()
    earlier = receive(c, v)
    original = documents.document_upload(
        actor=c.desk, dossier=earlier, component_id=second.pk, upload=("gcs.pdf", pdf_bytes("GCS"))
    )
    client = signed_in(c.desk)
    fragment = client.get(f"/quay/giay-to-cu/?id_number=087190001234&p={v.procedure.national_code}")
    assert f'name="reuse-{original.pk}"' in fragment.content.decode()
    assert (
        "gcs.pdf"
        in client.post("/quay/quet-the/", {"scan": CARD, "p": v.procedure.national_code}).content.decode()
    )
    assert (
        client.get(f"/quay/giay-to-cu/?id_number=12&p={v.procedure.national_code}").content.decode().strip()
        == ""
    )

    data = intake(c, v, idempotency_key="key-reuse", **{f"reuse-{original.pk}": str(second.pk)})
    del data[f"provided-{second.pk}"]  # the re-used scan counts as provided
    assert client.post("/quay/", data).status_code == 303
    dossier = Dossier.objects.exclude(pk=earlier.pk).get()
    reused = dossier.documents.get()
    assert reused.reused_from_id == original.pk and reused.component_id == second.pk


def test_a_boundary_free_procedure_can_go_to_another_center_of_the_province(env):
    c, _v = env
    v = birth_registration(boundary_free=True, national_code="1.999001")
    other = factories.center()
    client = signed_in(c.desk)
    page = client.get(f"/quay/?p={v.procedure.national_code}").content.decode()
    assert 'name="handling_center"' in page and other.commune.name in page
    assert client.post("/quay/", intake(c, v, handling_center=other.pk)).status_code == 303
    dossier = Dossier.objects.get()
    assert dossier.center_id == other.pk and dossier.boundary_free
    plain = birth_registration(national_code="1.999002")
    assert (
        'name="handling_center"'
        not in client.get(f"/quay/?p={plain.procedure.national_code}").content.decode()
    )


def test_only_desk_officers_use_the_counter(env):
    c, _v = env
    assert signed_in(c.specialist).get("/quay/").status_code == 403
    assert Client().get("/quay/")["Location"] == "/dang-nhap/?next=%2Fquay%2F"


def test_pages_and_copies_are_asked_only_where_a_fee_counts_them(env):
    from motcua.catalog.models import Fee
    from motcua.payments.models import Charge

    c, v = env
    client = signed_in(c.desk)
    page = client.get(f"/quay/?p={v.procedure.national_code}").content.decode()
    assert 'name="pages"' not in page and 'name="copies"' not in page  # a free procedure
    Fee.objects.create(
        version=v, position=9, name="Phí chứng thực bản sao", kind="per_page", amount=2000,
        pages_at_first_rate=2, later_page_amount=1000, cap=200000,
    )  # fmt: skip
    page = client.get(f"/quay/?p={v.procedure.national_code}").content.decode()
    assert "Số trang của bản chính" in page and "Số bản sao yêu cầu" in page
    refused = client.post("/quay/", intake(c, v, pages="0"))
    assert refused.status_code == 422 and not Dossier.objects.exists()
    assert (
        client.post("/quay/", intake(c, v, idempotency_key="key-2", pages="5", copies="2")).status_code == 303
    )
    dossier = Dossier.objects.get()
    assert (dossier.fee_pages, dossier.fee_copies) == (5, 2)
    assert Charge.objects.get(dossier=dossier, position=9).amount == 2 * 7000
