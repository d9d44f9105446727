"""Issue 11, defect 4: slip 01 fits one A5 page for a usual dossier (up to at least 6 papers, with
their conditions, an e-mail and a long address); a longer list continues on a second page and the
signatures are never alone on the last page. Real PDFs, read back with pypdf."""

import io
import unicodedata

import pytest
from pypdf import PdfReader

from motcua.dossiers import services
from motcua.dossiers.slips import render_slip

from .support import at, staffed_center, version

pytestmark = pytest.mark.django_db

PAPERS = [
    "Tờ khai đăng ký khai sinh (theo mẫu)",
    "Giấy chứng sinh",
    "Giấy tờ tùy thân của người yêu cầu (Căn cước, Căn cước công dân, hộ chiếu) hoặc tài khoản định "
    "danh điện tử",
    "Giấy chứng nhận kết hôn của cha, mẹ",
    "Văn bản ủy quyền có chứng thực (trường hợp nộp thay)",
    "Giấy tờ chứng minh nơi cư trú",
    "Văn bản xác nhận của người làm chứng",
    "Bản sao giấy tờ khác có liên quan",
]
CONDITION = "Không có Giấy chứng sinh thì nộp văn bản của người làm chứng hoặc giấy cam đoan về việc sinh"


def pages(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    return [" ".join(unicodedata.normalize("NFC", page.extract_text()).split()) for page in reader.pages]


def slip_for(s, count: int) -> list[str]:
    names = [PAPERS[i % len(PAPERS)] + ("" if i < len(PAPERS) else f" ({i + 1})") for i in range(count)]
    v = version(components=tuple(names))
    second = v.components.get(position=2) if count > 1 else None
    if second is not None:
        second.condition = CONDITION
        second.save()
    applicant = services.Applicant(
        name="Trần Thị Ánh Nguyệt",
        id_number="087190001234",
        phone="0909123456",
        email="nguyet.tran@example.vn",
        address="Số 123, đường Nguyễn Văn Cừ, khóm 3, phường Mỹ An Hưng, tỉnh Đồng Tháp",
        representative_name="Lê Văn Tám",
    )
    d = services.dossier_intake(
        actor=s.desk,
        center=s.center,
        procedure_version=v,
        channel="post",
        postal_tracking_number="EB123456789VN",
        applicant=applicant,
        components=[services.ComponentCheck(c.id, True) for c in v.components.all()],
        at=at("2026-03-02 09:00"),
    ).dossier
    return pages(render_slip(d, "01"))


@pytest.mark.parametrize("count", [1, 3, 6])
def test_slip_01_fits_one_a5_page_up_to_six_papers(count):
    s = staffed_center()
    text = slip_for(s, count)
    assert len(text) == 1, [t[-200:] for t in text]
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text[0] and "Nguyễn Thị Hồng" in text[0]


@pytest.mark.parametrize("count", [12, 25])
def test_a_long_slip_01_continues_and_the_signatures_are_never_alone(count):
    s = staffed_center()
    text = slip_for(s, count)
    assert len(text) >= 2
    last = text[-1]
    assert "NGƯỜI NỘP HỒ SƠ" in last and "NGƯỜI TIẾP NHẬN HỒ SƠ" in last
    assert all("NGƯỜI TIẾP NHẬN HỒ SƠ" not in page for page in text[:-1])
    # the last page carries the end of the slip with the signatures, not the signatures alone
    assert "Thời gian trả kết quả giải quyết hồ sơ" in last
    assert "Hình thức nhận kết quả" in last
