"""Printable slips 01-05: A5 PDFs with embedded fonts, Vietnamese text in NFC, code or reference."""

import io
import time
import unicodedata
from datetime import date

import pytest
from django.conf import settings
from pypdf import PdfReader

from motcua.core.errors import DomainError
from motcua.dossiers import lifecycle, services
from motcua.dossiers.models import Document, Dossier, State
from motcua.dossiers.slips import TITLES, render_slip, slip_kind, slips_available
from motcua.dossiers.slips import vi as slip_vi
from motcua.dossiers.slips.context import SlipContext
from motcua.dossiers.slips.forms import event_note

from .support import APPLICANT, all_provided, at, receive, staffed_center, version

pytestmark = pytest.mark.django_db

NAME = "Trần Thị Ánh Nguyệt"
A5_POINTS = (419.53, 595.28)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def flat(text: str) -> str:
    """Extracted text with every run of whitespace as one space (titles may wrap)."""
    return " ".join(nfc(text).split())


def pdf_text(data: bytes) -> tuple[PdfReader, str]:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return reader, flat("\n".join(page.extract_text() for page in reader.pages))


def assert_a5(reader: PdfReader) -> None:
    for page in reader.pages:
        box = page.mediabox
        assert float(box.width) == pytest.approx(A5_POINTS[0], abs=0.05)
        assert float(box.height) == pytest.approx(A5_POINTS[1], abs=0.05)


def act(dossier, actor, action, when, **kwargs):
    return services.dossier_act(actor=actor, dossier=dossier, action=action, at=at(when), **kwargs)


@pytest.fixture
def s():
    return staffed_center()


@pytest.fixture
def v():
    return version()


def in_progress(s, v, when="2026-03-02 09:00"):
    return act(receive(s, v, when=at(when)), s.desk, "transfer", when)


def supplement_at_reception(s):
    v = version(components=("Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "Giấy tờ tùy thân"))
    first, _second, _third = v.components.all()
    return services.dossier_intake(
        actor=s.desk,
        center=s.center,
        procedure_version=v,
        channel="counter",
        applicant=APPLICANT,
        components=[services.ComponentCheck(first.id, True, problem="Ảnh mờ, không đọc được")],
        at=at("2026-03-02 09:00"),
    ).dossier


def refused_at_reception(s, v):
    return receive(
        s,
        v,
        when=at("2026-03-02 09:00"),
        decision="refuse",
        reason="Thủ tục không thuộc thẩm quyền của UBND xã",
    )


# -- 01 -------------------------------------------------------------------------------------------
def test_receipt_slip_is_an_a5_pdf_with_code_name_components_appointment_and_officer(s, v):
    # given a complete dossier received at the counter on Monday 2 March 2026 at 09:00
    d = receive(s, v, when=at("2026-03-02 09:00"))
    # when its receipt and appointment slip is printed
    reader, text = pdf_text(render_slip(d, "01"))
    # then it is one A5 page with the header, the title, code, applicant and appointment
    assert_a5(reader)
    assert len(reader.pages) == 1
    assert flat(TITLES["01"]) in text
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG " + s.center.commune.name.upper() in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert d.code in text and NAME in text
    assert "Ấp 3, xã Mỹ An Hưng" in text and "0909123456" in text and "087190001234" in text
    assert "Tờ khai đăng ký khai sinh" in text and "Giấy chứng sinh" in text
    assert "09 giờ 00 phút, ngày 02/03/2026" in text  # received
    assert "17 giờ 00 phút, ngày 05/03/2026" in text  # appointment: 3 working days
    assert "ngày 02 tháng 3 năm 2026" in text
    assert f"Mã tra cứu: {d.secret[:5]}-{d.secret[5:]}" in text
    assert "NGƯỜI NỘP HỒ SƠ" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in text and "Nguyễn Thị Hồng" in text


def test_receipt_slip_embeds_the_dejavu_fonts(s, v):
    d = receive(s, v, when=at("2026-03-02 09:00"))
    reader = PdfReader(io.BytesIO(render_slip(d, "receipt")))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = {str(f.get_object()["/BaseFont"]) for f in fonts.values()}
    assert any("DejaVuSans" in n for n in names) and any("Bold" in n for n in names)
    for f in fonts.values():
        descendant = f.get_object()
        descriptor = descendant.get("/FontDescriptor")
        if descriptor is not None:
            assert "/FontFile2" in descriptor.get_object()


def test_an_nfd_typed_name_prints_as_nfc(s, v):
    # given an applicant whose name was typed with combining marks (NFD)...
    typed = unicodedata.normalize("NFD", NAME)
    assert typed != NAME
    d = receive(s, v, when=at("2026-03-02 09:00"), applicant=services.Applicant(name=typed, address="Ấp 3"))
    # ...and, worse, stored that way by an import that bypassed the services
    Dossier.objects.filter(pk=d.pk).update(
        applicant_name=typed, applicant_address=unicodedata.normalize("NFD", "Ấp 3")
    )
    # when the receipt is printed
    reader = PdfReader(io.BytesIO(render_slip(d, "01")))
    raw = "\n".join(page.extract_text() for page in reader.pages)
    # then the name extracts exactly as precomposed characters, with no combining marks left
    assert NAME in raw and "Ấp 3" in raw
    assert not any(unicodedata.combining(ch) for ch in raw)


def test_receipt_marks_scanned_components_and_prints_the_restarted_appointment(s, v):
    d = in_progress(s, v)
    first = v.components.first()
    Document.objects.create(
        dossier=d,
        component=first,
        file="x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )
    d = act(d, s.specialist, "request_supplement", "2026-03-03 10:00", problems=["Bản sao giấy chứng sinh"])
    d = act(d, s.desk, "supplement", "2026-03-10 14:00")  # the clock restarts: due Fri 13 March
    _reader, text = pdf_text(render_slip(d, "01"))
    assert "✓" in text
    assert "17 giờ 00 phút, ngày 13/03/2026" in text
    assert "14 giờ 00 phút, ngày 10/03/2026" in text  # when the supplement completed it


def test_online_submission_gets_a_receipt_once_received(s, v):
    d = services.dossier_submit_online(
        center=s.center,
        procedure_version=v,
        applicant=APPLICANT,
        components=all_provided(v),
        at=at("2026-03-02 08:00"),
    )
    assert slips_available(d) == ["05"]
    with pytest.raises(DomainError) as excinfo:
        render_slip(d, "01")
    assert excinfo.value.code == "slip_not_available"
    d = services.dossier_act(actor=s.desk, dossier=d, action="receive", at=at("2026-03-02 09:30"))
    _reader, text = pdf_text(render_slip(d, "01"))
    assert d.code in text and NAME in text and "09 giờ 30 phút, ngày 02/03/2026" in text


# -- 02 -------------------------------------------------------------------------------------------
def test_supplement_slip_at_reception_lists_every_problem_and_has_a_reference_not_a_code(s):
    # given an intake missing two components and with a blurred third: not received, no code
    d = supplement_at_reception(s)
    assert d.code is None
    # when the supplement request slip is printed
    reader, text = pdf_text(render_slip(d, "02"))
    # then it lists every problem, with the reference instead of a code
    assert_a5(reader)
    assert flat(TITLES["02"]) in text and NAME in text
    assert f"Mã tham chiếu: #{d.pk}" in text and "Mã hồ sơ" not in text
    assert "Tờ khai đăng ký khai sinh: Ảnh mờ, không đọc được" in text
    assert "Giấy chứng sinh: Còn thiếu" in text and "Giấy tờ tùy thân: Còn thiếu" in text
    assert "NGƯỜI HƯỚNG DẪN" in text and "Nguyễn Thị Hồng" in text


def test_supplement_slip_during_processing_has_problems_reason_and_the_code(s, v):
    d = in_progress(s, v)
    d = act(
        d,
        s.specialist,
        "request_supplement",
        "2026-03-03 10:00",
        problems=["Bản sao giấy chứng sinh có chứng thực", "Giấy xác nhận nơi cư trú"],
        reason="Giấy chứng sinh nộp là bản photo",
    )
    _reader, text = pdf_text(render_slip(d, "supplement"))
    assert d.code in text and NAME in text and flat(TITLES["02"]) in text
    assert "1. Bản sao giấy chứng sinh có chứng thực" in text and "2. Giấy xác nhận nơi cư trú" in text
    assert "Lý do: Giấy chứng sinh nộp là bản photo" in text
    assert "10 giờ 00 phút, ngày 03/03/2026" in text


def test_supplement_slip_for_an_online_submission_sent_back_at_reception(s, v):
    d = services.dossier_submit_online(
        center=s.center, procedure_version=v, applicant=APPLICANT, components=all_provided(v)
    )
    d = services.dossier_act(
        actor=s.desk, dossier=d, action="reception_supplement", problems=["Giấy chứng sinh bị mờ"]
    )
    _reader, text = pdf_text(render_slip(d, "02"))
    assert d.code in text and "1. Giấy chứng sinh bị mờ" in text


# -- 03 -------------------------------------------------------------------------------------------
def test_refusal_slip_at_reception_gives_the_reason(s, v):
    d = refused_at_reception(s, v)
    reader, text = pdf_text(render_slip(d, "03"))
    assert_a5(reader)
    assert flat(TITLES["03"]) in text and NAME in text and f"Mã tham chiếu: #{d.pk}" in text
    assert "Thủ tục không thuộc thẩm quyền của UBND xã" in text
    assert settings.PUBLIC_URL + f"/thu-tuc/{v.procedure.national_code}/" in text


def test_refusal_slip_during_processing(s, v):
    d = in_progress(s, v)
    d = act(d, s.leader, "refuse", "2026-03-03 10:00", reason="Không đủ điều kiện theo quy định")
    _reader, text = pdf_text(render_slip(d, "refusal"))
    assert d.code in text and NAME in text and "Không đủ điều kiện theo quy định" in text


# -- 04 -------------------------------------------------------------------------------------------
def test_apology_slip_has_the_previous_and_new_appointment_and_the_reason(s, v):
    d = in_progress(s, v)  # due Thu 5 Mar 17:00
    d = act(
        d,
        s.leader,
        "reappoint",
        "2026-03-04 10:00",
        reason="Cần xác minh thêm tại Công an xã",
        new_due=date(2026, 3, 10),
    )
    reader, text = pdf_text(render_slip(d, "04"))
    assert_a5(reader)
    assert flat(TITLES["04"]) in text and d.code in text and NAME in text
    assert "17 giờ 00 phút, ngày 05/03/2026" in text and "17 giờ 00 phút, ngày 10/03/2026" in text
    assert "Cần xác minh thêm tại Công an xã" in text


def test_apology_slip_after_a_restarted_clock_shows_the_appointment_it_replaced(s, v):
    d = in_progress(s, v)
    d = act(d, s.specialist, "request_supplement", "2026-03-03 10:00", problems=["Giấy chứng sinh"])
    d = act(d, s.desk, "supplement", "2026-03-10 14:00")  # due Fri 13 March 17:00
    d = act(d, s.leader, "reappoint", "2026-03-11 10:00", reason="Chờ xác minh", new_due=date(2026, 3, 18))
    _reader, text = pdf_text(render_slip(d, "04"))
    assert "17 giờ 00 phút, ngày 13/03/2026" in text and "17 giờ 00 phút, ngày 18/03/2026" in text


# -- 05 -------------------------------------------------------------------------------------------
def test_process_control_slip_lists_every_event_in_order(s, v):
    # given a dossier that went through the whole internal process
    d = receive(s, v, when=at("2026-03-02 09:00"))
    d = act(d, s.desk, "transfer", "2026-03-02 09:30")
    d = act(d, s.leader, "assign", "2026-03-02 10:00", assignee_id=s.specialist.id)
    d = act(
        d,
        s.specialist,
        "interagency_transfer",
        "2026-03-02 11:00",
        reason="Xác minh nơi cư trú",
        agency="Công an xã Mỹ An Hưng",
        budget_days=1,
    )
    d = act(d, s.desk, "interagency_return", "2026-03-02 15:00")
    d = act(d, s.specialist, "forward", "2026-03-03 10:00")
    d = act(d, s.leader, "send_back", "2026-03-03 11:00", reason="Thẩm định lại giấy chứng sinh")
    d = act(d, s.specialist, "forward", "2026-03-03 14:00")
    d = act(d, s.leader, "approve", "2026-03-04 09:00")
    d = act(d, s.specialist, "forward", "2026-03-04 16:00")
    d = act(d, s.desk, "return", "2026-03-05 08:00", method="counter")
    # when the process control slip is printed
    reader, text = pdf_text(render_slip(d, "05"))
    # then every hand-over is there, with its time, who, the states and the reasons
    assert_a5(reader)
    assert flat(TITLES["05"]) in text and d.code in text and NAME in text
    events = list(d.events.order_by("seq"))
    assert len(events) == 11
    positions = []
    for event in events:
        stamp = slip_vi.short(event.at)
        assert stamp in text
        positions.append(text.index(stamp))
    assert positions == sorted(positions)
    for label in (
        "Tiếp nhận hồ sơ",
        "Chuyển hồ sơ đến bộ phận giải quyết",
        "Phân công xử lý",
        "Chuyển cơ quan phối hợp",
        "Nhận lại hồ sơ từ cơ quan phối hợp",
        "Trả lại bước trước",
        "Phê duyệt",
        "Trả kết quả",
    ):
        assert flat(label) in text
    assert "Thẩm định lại giấy chứng sinh" in text and "Công an xã Mỹ An Hưng" in text
    assert "Nguyễn Thị Hồng" in text
    assert "Đang giải quyết → Đang xử lý liên thông" in text
    assert "Đã có kết quả → Đã trả kết quả" in text


def test_a_long_process_control_slip_spans_pages_with_the_header_row_repeated(s, v):
    d = in_progress(s, v)
    for i in range(14):
        d = act(d, s.leader, "assign", f"2026-03-02 1{i % 7}:{i:02d}", assignee_id=s.specialist.id)
        d = act(d, s.specialist, "forward", f"2026-03-02 1{i % 7}:{i + 1:02d}")
        d = act(
            d,
            s.leader,
            "send_back",
            f"2026-03-02 1{i % 7}:{i + 2:02d}",
            reason=f"Lần {i + 1}: kiểm tra lại nội dung tờ khai và giấy chứng sinh",
        )
    reader, text = pdf_text(render_slip(d, "05"))
    assert len(reader.pages) >= 2
    assert_a5(reader)
    for page in reader.pages:
        assert "Người thực hiện" in flat(page.extract_text())
    assert text.count("Lần ") == 14 and d.event_count == 44


def test_every_action_has_a_vietnamese_label_and_every_state_too():
    for name, action in lifecycle.ACTIONS.items():
        assert action.slip and slip_vi.action(name) == action.slip
        assert any(ch in action.slip for ch in "ăâđêôơưáàảãạ"), name  # written in Vietnamese
    assert set(State.values) <= set(slip_vi.STATE)


def test_process_notes_name_the_step(s, v):
    d = in_progress(s, v)
    ctx = SlipContext.load(d)
    assert event_note(ctx, ctx.events[-1]) == "Bước: Thẩm định hồ sơ"


# -- availability ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("scenario", "available"),
    [
        ("received", ["01", "05"]),
        ("supplement_at_reception", ["02", "05"]),
        ("refused_at_reception", ["03", "05"]),
        ("reappointed", ["01", "04", "05"]),
    ],
)
def test_slips_available_follow_the_history(s, v, scenario, available):
    if scenario == "received":
        d = receive(s, v, when=at("2026-03-02 09:00"))
    elif scenario == "supplement_at_reception":
        d = supplement_at_reception(s)
    elif scenario == "refused_at_reception":
        d = refused_at_reception(s, v)
    else:
        d = act(
            in_progress(s, v),
            s.leader,
            "reappoint",
            "2026-03-03 10:00",
            reason="Xác minh",
            new_due=date(2026, 3, 10),
        )
    assert slips_available(d) == available
    for kind in {"01", "02", "03", "04", "05"} - set(available):
        with pytest.raises(DomainError) as excinfo:
            render_slip(d, kind)
        assert excinfo.value.code == "slip_not_available" and excinfo.value.message


def test_receipt_for_a_dossier_never_received_is_refused_with_a_clear_message(s):
    d = supplement_at_reception(s)
    with pytest.raises(DomainError) as excinfo:
        render_slip(d, "receipt")
    assert excinfo.value.code == "slip_not_available"
    assert "never received" in excinfo.value.message or "chưa" in excinfo.value.message


def test_an_unknown_slip_kind_is_refused(s, v):
    d = receive(s, v, when=at("2026-03-02 09:00"))
    with pytest.raises(DomainError) as excinfo:
        render_slip(d, "06")
    assert excinfo.value.code == "unknown_slip"


def test_the_qr_code_links_to_tracking_with_the_secret(s, v):
    d = receive(s, v, when=at("2026-03-02 09:00"))
    assert SlipContext.load(d).qr_url == f"{settings.PUBLIC_URL}/tra-cuu/{d.code}/?s={d.secret}"


def test_rendering_is_fast(s, v):
    d = receive(s, v, when=at("2026-03-02 09:00"))
    render_slip(d, "01")  # fonts registered once per process
    started = time.process_time()
    for _ in range(5):
        render_slip(d, "01")
    assert (time.process_time() - started) / 5 < 0.15  # CPU time, ~20-30 ms here; generous for slow CI


@pytest.mark.parametrize(
    ("kind", "number"),
    [
        ("receipt", "01"),
        ("supplement", "02"),
        ("refusal", "03"),
        ("apology", "04"),
        ("process", "05"),
        ("05", "05"),
    ],
)
def test_slip_kinds_accept_numbers_and_names(kind, number):
    assert slip_kind(kind) == number


def test_the_quick_slip_list_agrees_with_the_history_for_every_kind_of_dossier(db):
    from datetime import date as _date

    from motcua.dossiers import services
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.slips import slips_available, slips_available_from_history

    from .support import at, receive, staffed_center, version

    s, v = staffed_center(), version()
    receive(s, v, when=at("2026-03-02 09:00"))
    receive(s, v, when=at("2026-03-02 09:00"), components=[])
    receive(s, v, when=at("2026-03-02 09:00"), decision="refuse", reason="Sai thẩm quyền")
    d = receive(s, v, when=at("2026-03-02 09:00"))
    d = services.dossier_act(actor=s.desk, dossier=d, action="transfer", at=at("2026-03-02 09:10"))
    d = services.dossier_act(
        actor=s.leader,
        dossier=d,
        action="reappoint",
        reason="Xác minh",
        new_due=_date(2026, 3, 10),
        at=at("2026-03-03 09:00"),
    )
    d = services.dossier_act(
        actor=s.specialist,
        dossier=d,
        action="request_supplement",
        reason="Thiếu giấy",
        at=at("2026-03-03 10:00"),
    )
    d = services.dossier_act(actor=s.desk, dossier=d, action="supplement", at=at("2026-03-04 10:00"))
    d = services.dossier_act(
        actor=s.leader, dossier=d, action="refuse", reason="Không đủ điều kiện", at=at("2026-03-05 10:00")
    )
    submitted = services.dossier_submit_online(
        center=s.center, procedure_version=v, applicant=services.Applicant(name="Lê Văn Tám"), components=[]
    )
    services.dossier_act(actor=s.desk, dossier=submitted, action="reception_refuse", reason="Sai thẩm quyền")
    for dossier in Dossier.objects.all():
        assert slips_available(dossier) == slips_available_from_history(dossier), dossier.state
