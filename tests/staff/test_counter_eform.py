"""The declaration e-form on the counter desk: filled from the card, sent with the intake, stored
as the declaration paper; printed for a handwritten signature; blank forms on procedure pages."""

import io

import pytest
from pypdf import PdfReader

from motcua.catalog import services as catalog_services
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.models import Dossier
from motcua.eforms.models import Declaration

from .support import CARD, signed_in, staffed

pytestmark = pytest.mark.django_db


@pytest.fixture
def env():
    catalog_services.catalog_load_demo()
    version = ProcedureVersion.objects.select_related("procedure").get(procedure__national_code="1.001193")
    return staffed(), version


def text_of(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def intake(c, v, **overrides) -> dict:
    components = {comp.position: comp.pk for comp in v.components.all()}
    data = {
        "p": v.procedure.national_code,
        "idempotency_key": "key-1",
        "center": c.center.pk,
        "applicant_name": "Trần Thị Ánh Nguyệt",
        "id_number": "087190001234",
        "channel": "counter",
        "result_delivery": "counter",
        f"provided-{components[2]}": "1",
        f"provided-{components[3]}": "1",
        "decision": "receive",
        "ef-requester_name": "Trần Thị Ánh Nguyệt",
        "ef-requester_id_number": "087190001234",
        "ef-requester_address": "Ấp 3, xã Mỹ An Hưng",
        "ef-requester_relationship": "Mẹ",
        "ef-child_name": "Lê Minh Khôi",
        "ef-child_birth_date": "02/11/2026",
        "ef-child_sex": "Nam",
        "ef-child_birth_place": "Bệnh viện Đa khoa tỉnh Đồng Tháp",
    }
    data.update(overrides)
    return data


def test_the_intake_page_shows_the_e_form_and_its_script(env):
    c, v = env
    page = signed_in(c.desk).get(f"/quay/?p={v.procedure.national_code}").content.decode()
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in page and 'name="ef-child_birth_date"' in page
    assert "data-signature-canvas" in page and "staff/eform.js" in page


def test_the_card_fills_the_form_and_keeps_what_was_typed(env):
    c, v = env
    response = signed_in(c.desk).post(
        "/quay/to-khai/dien/",
        {"p": v.procedure.national_code, "scan": CARD, "ef-requester_address": "Số 5, ấp Mỹ Thuận"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="ef-requester_name" type="text" autocomplete="off" value="Trần Thị Ánh Nguyệt"' in page
    assert 'value="087190001234"' in page and 'value="15/03/1990"' in page
    assert 'value="Số 5, ấp Mỹ Thuận"' in page and "Ấp 3" not in page  # typed, kept
    assert not Dossier.objects.exists()


def test_a_bad_scan_is_said_and_fills_nothing(env):
    c, v = env
    page = signed_in(c.desk).post("/quay/to-khai/dien/", {"p": v.procedure.national_code, "scan": "hello"})
    assert "field-error" in page.content.decode() and 'value="087190001234"' not in page.content.decode()


def test_the_filled_form_is_received_as_the_declaration_paper(env):
    c, v = env
    response = signed_in(c.desk).post("/quay/", intake(c, v))
    assert response.status_code == 303, response.content.decode()[:3000]
    dossier = Dossier.objects.get()
    assert dossier.state in ("received", "in_progress")
    declaration = Declaration.objects.get()
    assert declaration.document.component.position == 1 and not declaration.signed
    text = text_of(declaration.document.file.open("rb").read())
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in text and "Họ, chữ đệm, tên: Lê Minh Khôi" in text


def test_a_bad_value_in_the_form_is_shown_and_nothing_is_saved(env):
    c, v = env
    response = signed_in(c.desk).post("/quay/", intake(c, v, **{"ef-child_birth_date": "31/02/2026"}))
    page = response.content.decode()
    assert response.status_code == 422
    assert (
        "Ngày, tháng, năm sinh" in page
        and 'aria-invalid="true" aria-describedby="ef-err-child_birth_date"' in page
    )
    assert 'value="Lê Minh Khôi"' in page  # what was typed is shown again
    assert not Dossier.objects.exists() and not Declaration.objects.exists()


def test_without_the_e_form_the_declaration_paper_must_be_ticked_as_before(env):
    c, v = env
    data = {k: v_ for k, v_ in intake(c, v).items() if not k.startswith("ef-")}
    response = signed_in(c.desk).post("/quay/", data)
    assert response.status_code == 400 and "Tờ khai đăng ký khai sinh" in response.content.decode()
    assert not Dossier.objects.exists()


def test_the_declaration_prints_for_a_handwritten_signature(env):
    c, v = env
    response = signed_in(c.desk).post("/quay/to-khai/xem-truoc/", intake(c, v))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "Lê Minh Khôi" in text and "Bản nháp, chưa tiếp nhận" in text and "NGƯỜI YÊU CẦU" in text


def test_only_desk_officers_fill_forms(env):
    c, v = env
    assert signed_in(c.specialist).post(
        "/quay/to-khai/dien/", {"p": v.procedure.national_code}
    ).status_code in (
        302,
        403,
    )


def test_the_blank_form_is_downloadable_from_the_procedure_page(env, client):
    _c, v = env
    page = client.get("/thu-tuc/1.001193/").content.decode()
    assert 'href="/thu-tuc/1.001193/to-khai.pdf"' in page
    response = client.get("/thu-tuc/1.001193/to-khai.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert client.get("/thu-tuc/1.000954/to-khai.pdf").status_code == 404  # no form
    assert "to-khai.pdf" not in client.get("/thu-tuc/1.000954/").content.decode()


def test_without_javascript_the_scanners_enter_fills_the_form_too(env):
    c, v = env
    data = {k: v_ for k, v_ in intake(c, v, decision="scan", scan=CARD).items() if not k.startswith("ef-")}
    data["ef-requester_phone"] = "0909 123 456"
    page = signed_in(c.desk).post("/quay/", data).content.decode()
    assert 'name="ef-requester_name" type="text" autocomplete="off" value="Trần Thị Ánh Nguyệt"' in page
    assert 'value="0909 123 456"' in page and not Dossier.objects.exists()


def test_a_half_filled_form_does_not_stop_a_supplement_request_and_is_listed_missing(env):
    c, v = env
    data = intake(c, v, decision="supplement", **{"ef-child_birth_date": "", "ef-child_name": ""})
    response = signed_in(c.desk).post("/quay/", data)
    assert response.status_code == 303
    dossier = Dossier.objects.get()
    assert dossier.state == "reception_supplement" and not Declaration.objects.exists()
    problems = dossier.events.get(action="intake").payload["problems"]
    assert any("Tờ khai đăng ký khai sinh" in str(p) for p in problems)
