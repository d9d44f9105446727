"""Complaints (phản ánh kiến nghị): filed by citizens about a dossier or a centre, answered by its
leaders, counted for the service index."""

import pytest
from django.test import Client

from motcua.core.errors import NotFound, PermissionDenied, ValidationFailed
from motcua.feedback import selectors, services
from motcua.feedback.models import Complaint
from tests import factories
from tests.staff.support import signed_in, verified_client

from .support import at, returned, staffed_center, version

pytestmark = pytest.mark.django_db
MAX_QUERIES = 20


@pytest.fixture
def s():
    return staffed_center()


@pytest.fixture
def v():
    return version()


def test_a_complaint_about_a_dossier_goes_to_its_handling_center(s, v):
    dossier = returned(s, v)
    complaint = services.complaint_file(dossier=dossier, text="  Trả kết quả chậm  ", channel="web")
    assert (complaint.center_id, complaint.dossier, complaint.text, complaint.status) == (
        s.center.pk,
        dossier,
        "Trả kết quả chậm",
        "new",
    )


def test_a_general_complaint_needs_a_name_a_text_and_a_valid_phone(s):
    with pytest.raises(ValidationFailed) as no_name:
        services.complaint_file(center=s.center, text="Thiếu ghế", channel="web")
    assert no_name.value.field == "name"
    with pytest.raises(ValidationFailed) as no_text:
        services.complaint_file(center=s.center, name="Lê Văn Tám", text=" ", channel="web")
    assert no_text.value.field == "text"
    with pytest.raises(ValidationFailed) as bad_phone:
        services.complaint_file(
            center=s.center, name="Lê Văn Tám", text="Thiếu ghế", phone="12", channel="web"
        )
    assert bad_phone.value.field == "phone"
    with pytest.raises(ValidationFailed):
        services.complaint_file(center=s.center, name="Lê Văn Tám", text="x" * 2001, channel="web")
    inactive = factories.center(is_active=False)
    with pytest.raises(NotFound):
        services.complaint_file(center=inactive, name="Lê Văn Tám", text="Thiếu ghế", channel="web")
    complaint = services.complaint_file(
        center=s.center, name="Lê Văn Tám", phone="0909 123 456", text="Thiếu ghế chờ", channel="web"
    )
    assert (complaint.phone, complaint.dossier) == ("0909123456", None)
    assert Complaint.objects.count() == 1


def test_a_leader_of_the_center_answers_once(s, v):
    complaint = services.complaint_file(dossier=returned(s, v), text="Chậm", channel="web")
    with pytest.raises(PermissionDenied):
        services.complaint_answer(actor=staffed_center().leader, complaint=complaint, answer="Xin lỗi")
    answered = services.complaint_answer(
        actor=s.leader, complaint=complaint, answer="Đã chấn chỉnh", at=at("2026-03-10 09:00")
    )
    assert (answered.status, answered.answer, answered.answered_by, answered.answered_at) == (
        "answered",
        "Đã chấn chỉnh",
        s.leader,
        at("2026-03-10 09:00"),
    )
    with pytest.raises(Exception) as again:
        services.complaint_answer(actor=s.leader, complaint=complaint, answer="Lần hai")
    assert getattr(again.value, "code", "") == "already_answered"


def test_the_staff_list_is_scoped_to_leaders_and_admins_of_the_center(s, v):
    other = staffed_center()
    mine = services.complaint_file(dossier=returned(s, v), text="Chậm", channel="web")
    services.complaint_file(dossier=returned(other, v), text="Sai", channel="web")
    assert list(selectors.complaints_for_user(s.leader)) == [mine]
    assert list(selectors.complaints_for_user(s.province_admin).order_by("id"))[0] == mine
    assert list(selectors.complaints_for_user(s.desk)) == []  # names and phones are for leaders
    with pytest.raises(NotFound):
        selectors.complaint_get_for_user(other.leader, mine.pk)


# -- pages ------------------------------------------------------------------------------------------
def test_a_citizen_files_a_general_complaint_on_the_page(en, s, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        form = en.get("/phan-anh/")
    page = form.content.decode()
    assert form.status_code == 200 and s.center.name in page and '<label for="text">' in page
    nonce = page.split('name="nonce" value="')[1].split('"')[0]
    body = {
        "nonce": nonce,
        "center": str(s.center.pk),
        "name": "Lê Văn Tám",
        "phone": "0909123456",
        "text": "Nhà vệ sinh hỏng",
    }
    with django_assert_max_num_queries(MAX_QUERIES):
        sent = en.post("/phan-anh/", body)
    assert sent.status_code == 200 and "your complaint has been sent" in sent.content.decode()
    # a double tap (same form) files nothing new
    en.post("/phan-anh/", body)
    complaint = Complaint.objects.get()
    assert (complaint.center, complaint.name, complaint.channel) == (s.center, "Lê Văn Tám", "web")
    missing = en.post("/phan-anh/", {"nonce": "n2", "center": str(s.center.pk), "text": "Không tên"})
    assert missing.status_code == 422 and "Enter your name." in missing.content.decode()


def test_a_complaint_about_a_dossier_shows_the_centers_answer_to_the_citizen(en, s, v):
    dossier = returned(s, v)
    url = f"/phan-anh/{dossier.code}/"
    assert en.get(url, {"s": "WRONGWRONG"}).status_code == 404
    page = en.get(url, {"s": dossier.secret}).content.decode()
    nonce = page.split('name="nonce" value="')[1].split('"')[0]
    en.post(url, {"s": dossier.secret, "nonce": nonce, "text": "Sai tên trong giấy khai sinh"})
    complaint = Complaint.objects.get()
    assert complaint.dossier == dossier and complaint.name == ""
    services.complaint_answer(
        actor=s.leader, complaint=complaint, answer="Đã đính chính, mời ông bà đến nhận"
    )
    page = en.get(url, {"s": dossier.secret}).content.decode()
    assert "Sai tên trong giấy khai sinh" in page and "Đã đính chính, mời ông bà đến nhận" in page


def test_complaints_from_one_device_are_rate_limited(en, s):
    statuses = [
        en.post(
            "/phan-anh/", {"nonce": f"n{i}", "center": str(s.center.pk), "name": "A", "text": f"Ý kiến {i}"}
        ).status_code
        for i in range(12)
    ]
    assert statuses.count(200) == 10 and statuses[-1] == 429
    assert Complaint.objects.count() == 10


def test_the_leader_answers_on_the_complaints_page(en, s, v, django_assert_max_num_queries):
    other = staffed_center()
    mine = services.complaint_file(
        dossier=returned(s, v), text="Chậm trả kết quả", channel="web", name="Bà Lan", phone="0909123456"
    )
    theirs = services.complaint_file(center=other.center, name="Ông Tư", text="Thiếu ghế", channel="web")
    leader = verified_client(s.leader)
    leader.cookies["django_language"] = "en"
    with django_assert_max_num_queries(MAX_QUERIES):
        page = leader.get("/phan-anh/xu-ly/").content.decode()
    assert "Chậm trả kết quả" in page and "0909123456" in page and "Thiếu ghế" not in page
    assert (
        verified_client(other.leader).post(f"/phan-anh/xu-ly/{mine.pk}/tra-loi/", {"answer": "x"}).status_code
        == 404
    )
    leader.post(f"/phan-anh/xu-ly/{mine.pk}/tra-loi/", {"answer": "Đã nhắc nhở bộ phận chuyên môn"})
    mine.refresh_from_db()
    assert mine.status == "answered" and mine.answered_by == s.leader
    assert "Đã nhắc nhở bộ phận chuyên môn" in leader.get("/phan-anh/xu-ly/?xem=da-tra-loi").content.decode()
    theirs.refresh_from_db()
    assert theirs.status == "new"
    assert signed_in(s.desk).get("/phan-anh/xu-ly/").status_code == 403
    assert Client().get("/phan-anh/xu-ly/").status_code == 302
