"""Declarations: the PDF (blank and filled, with a drawn signature), the stored document, and
what the applicant declared before."""

import base64
import hashlib
import io

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from motcua.catalog import services as catalog_services
from motcua.catalog.eform import form_from_dict
from motcua.catalog.models import ProcedureVersion
from motcua.core.errors import ValidationFailed
from motcua.dossiers import services as dossier_services
from motcua.eforms import pdf, services
from motcua.eforms.models import Declaration
from motcua.eforms.selectors import earlier_values
from motcua.eforms.signature import SignatureError, signature_png
from tests import factories
from tests.staff.support import staffed

BIRTH = {
    "requester_name": "Trần Thị Ánh Nguyệt",
    "requester_birth_date": "15/03/1990",
    "requester_id_number": "087190001234",
    "requester_address": "Ấp 3, xã Mỹ An Hưng, tỉnh Đồng Tháp",
    "requester_phone": "0909123456",
    "requester_relationship": "Mẹ",
    "child_name": "Lê Minh Khôi",
    "child_birth_date": "2/11/2026",
    "child_sex": "nam",
    "child_birth_place": "Bệnh viện Đa khoa tỉnh Đồng Tháp",
    "mother_name": "Trần Thị Ánh Nguyệt",
    "father_name": "Lê Văn Tâm",
}


LONG = {  # long but real values: a long name, an address as people write it out in full
    "text": "Nguyễn Thị Minh Khai Phương Thảo Ngọc",
    "date": "15/03/1990",
    "id_number": "087190001234",
    "address": "Số 123 đường Nguyễn Trãi, ấp Mỹ Thuận, xã Mỹ An Hưng, tỉnh Đồng Tháp, Việt Nam",
}


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def drawn_signature() -> str:
    picture = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    ImageDraw.Draw(picture).line(
        [(40, 150), (200, 40), (380, 160), (560, 60)], fill=(10, 31, 107, 255), width=5
    )
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


@pytest.fixture
def birth(db):
    catalog_services.catalog_load_demo()
    return ProcedureVersion.objects.select_related("procedure").get(procedure__national_code="1.001193")


def test_the_blank_form_has_the_motto_title_every_label_and_room_to_write(birth):
    content = services.render_blank(birth)
    text = text_of(content)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in text and "Kính gửi: ……" in text
    for f in form_from_dict(birth.form).fields:
        assert f.label in text
    assert "Họ, chữ đệm, tên người yêu cầu: ……" in text
    assert "NGƯỜI YÊU CẦU" in text and "(Ký, ghi rõ họ, chữ đệm, tên)" in text
    assert len(PdfReader(io.BytesIO(content)).pages) == 1


def test_every_demo_form_filled_to_the_brim_fits_one_a4_page(birth):
    for version in ProcedureVersion.objects.exclude(form={}):
        form = form_from_dict(version.form)
        values = {f.key: LONG[f.type] if f.type != "choice" else max(f.options, key=len) for f in form.fields}
        content = pdf.render(form, values, pdf.Paper(addressee="Ủy ban nhân dân xã Mỹ An Hưng"))
        reader = PdfReader(io.BytesIO(content))
        assert len(reader.pages) == 1, version
        assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)  # A4


def test_a_filled_declaration_is_stored_as_the_declaration_component_with_its_hash(birth):
    c = staffed()
    dossier = dossier_services.dossier_intake(
        actor=c.desk,
        center=c.center,
        procedure_version=birth,
        channel="counter",
        applicant=dossier_services.Applicant(name="Trần Thị Ánh Nguyệt", id_number="087190001234"),
        components=[dossier_services.ComponentCheck(comp.pk, True) for comp in birth.components.all()],
    ).dossier
    declaration = services.declaration_attach(
        actor=c.desk, dossier=dossier, values=BIRTH, signature=signature_png(drawn_signature())
    )
    document = declaration.document
    assert document.component == birth.components.get(position=1)
    content = document.file.open("rb").read()
    assert (
        hashlib.sha256(content).hexdigest() == document.sha256 and document.content_type == "application/pdf"
    )
    text = text_of(content)
    assert "Họ, chữ đệm, tên: Lê Minh Khôi" in text
    assert "Ngày, tháng, năm sinh: 02/11/2026" in text and "Giới tính: Nam" in text
    assert f"Kính gửi: Ủy ban nhân dân {c.center.commune.name[:1].lower()}{c.center.commune.name[1:]}" in text
    assert dossier.code in text and "Thủ tục 1.001193, phiên bản 1" in text
    images = PdfReader(io.BytesIO(content)).pages[0].images
    assert len(images) == 1  # the drawn signature
    assert declaration.signed and declaration.values["child_sex"] == "Nam"


def test_a_declaration_with_a_bad_value_is_refused(birth):
    c = staffed()
    dossier = dossier_services.dossier_intake(
        actor=c.desk,
        center=c.center,
        procedure_version=birth,
        channel="counter",
        applicant=dossier_services.Applicant(name="A", id_number="087190001234"),
        components=[dossier_services.ComponentCheck(comp.pk, True) for comp in birth.components.all()],
    ).dossier
    with pytest.raises(ValidationFailed) as caught:
        services.declaration_attach(
            actor=c.desk, dossier=dossier, values={**BIRTH, "child_birth_date": "31/02/2026"}
        )
    assert caught.value.field == "child_birth_date"
    assert not Declaration.objects.exists() and not dossier.documents.exists()


def test_earlier_values_come_from_the_applicants_dossiers_the_officer_may_see(birth):
    c = staffed()
    other = staffed(
        factories.commune(code="30000", name="Xã Khác", province_obj=factories.province("83", "Bến Tre")),
        prefix="o-",
    )
    dossier = dossier_services.dossier_intake(
        actor=c.desk,
        center=c.center,
        procedure_version=birth,
        channel="counter",
        applicant=dossier_services.Applicant(name="A", id_number="087190001234", phone="0911000111"),
        components=[dossier_services.ComponentCheck(comp.pk, True) for comp in birth.components.all()],
    ).dossier
    services.declaration_attach(actor=c.desk, dossier=dossier, values=BIRTH)
    mine = earlier_values(c.desk, "087190001234")
    assert mine["father_name"] == "Lê Văn Tâm" and mine["requester_phone"] == "0909123456"
    assert earlier_values(other.desk, "087190001234") == {}
    assert earlier_values(c.desk, "") == {}


@pytest.mark.parametrize(
    "value",
    [
        "data:image/jpeg;base64,AAAA",
        "data:image/png;base64,@@@",
        "data:image/png;base64," + base64.b64encode(b"GIF89a").decode(),
    ],
)
def test_a_signature_that_is_not_a_png_is_refused(value):
    with pytest.raises(SignatureError):
        signature_png(value)


def test_an_empty_pad_is_no_signature_and_a_drawn_one_is_cropped_onto_white():
    blank = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    out = io.BytesIO()
    blank.save(out, format="PNG")
    assert signature_png("data:image/png;base64," + base64.b64encode(out.getvalue()).decode()) is None
    assert signature_png("") is None
    png = signature_png(drawn_signature())
    with Image.open(io.BytesIO(png)) as picture:
        assert picture.mode == "L" and picture.width < 600 and picture.height < 200
