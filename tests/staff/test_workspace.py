"""The workspace: inbox, dossier page with exactly the available actions, documents, approvals."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from motcua.dossiers import documents, services
from motcua.dossiers.models import Dossier
from motcua.units.models import Role
from tests import factories

from .support import at_step, birth_registration, pdf_bytes, receive, signed_in, staffed, verified_client

pytestmark = pytest.mark.django_db

MAX_QUERIES = 20


@pytest.fixture
def env():
    return staffed(), birth_registration()


def shown_actions(page: str) -> list[str]:
    return re.findall(r'data-action="([a-z_]+)"', page)


def ref(dossier) -> str:
    return dossier.code or str(dossier.pk)


# -- inbox ----------------------------------------------------------------------------------------
def test_the_inbox_sorts_by_due_and_marks_overdue_and_due_soon_in_words(env, django_assert_max_num_queries):
    c, v = env
    late, soon, later = (at_step(c, v, "specialist") for _ in range(3))
    now = timezone.now()
    Dossier.objects.filter(pk=late.pk).update(due_at=now - timedelta(hours=2))
    Dossier.objects.filter(pk=soon.pk).update(due_at=now + timedelta(minutes=30))
    Dossier.objects.filter(pk=later.pk).update(due_at=now + timedelta(days=30))
    client = signed_in(c.specialist)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/viec/")
    page = response.content.decode()
    assert [page.index(d.code) for d in (late, soon, later)] == sorted(
        page.index(d.code) for d in (late, soon, later)
    )
    assert page.count("Quá hạn") == 1 and page.count("Sắp đến hạn") == 1
    assert 'class="row-overdue"' in page and 'class="row-due_soon"' in page
    assert "Thẩm định hồ sơ" in page  # the current step


def test_the_inbox_filters_and_pages(env, django_assert_max_num_queries):
    c, v = env
    other = birth_registration(name="Đăng ký kết hôn", national_code="1.000894")
    mine = at_step(c, v, "specialist")
    services.dossier_act(actor=c.leader, dossier=mine, action="assign", assignee_id=c.specialist.pk)
    for _ in range(26):
        receive(c, other)
    client = signed_in(c.specialist)
    page = client.get("/viec/?who=mine").content.decode()
    assert mine.code in page and "1 hồ sơ" in page
    page = client.get(f"/viec/?procedure={other.procedure.national_code}").content.decode()
    assert mine.code not in page and "26 hồ sơ" in page and 'rel="next"' in page
    with django_assert_max_num_queries(MAX_QUERIES):
        second = client.get(f"/viec/?procedure={other.procedure.national_code}&page=2")
    assert second.content.decode().count('href="/ho-so/') == 1
    assert mine.code in client.get("/viec/?state=in_progress&channel=counter&field=HOTICH").content.decode()
    assert mine.code not in client.get("/viec/?state=received").content.decode()
    assert mine.code in client.get("/viec/?who=department").content.decode()


# -- the dossier page -----------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["desk", "specialist", "leader"])
def test_the_page_shows_exactly_the_available_actions(env, who, django_assert_max_num_queries):
    c, v = env
    dossier = at_step(c, v, "specialist")
    user = getattr(c, who)
    client = verified_client(user) if who == "leader" else signed_in(user)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(f"/ho-so/{dossier.code}/")
    assert response.status_code == 200
    expected = services.available_actions(Dossier.objects.get(pk=dossier.pk), user)
    assert shown_actions(response.content.decode()) == expected
    assert expected  # every role has something to do here


def test_the_page_shows_applicant_papers_history_and_slips(env):
    c, v = env
    dossier = at_step(c, v, "specialist")
    first = v.components.first()
    doc = documents.document_upload(
        actor=c.desk, dossier=dossier, component_id=first.pk, upload=("to-khai.pdf", pdf_bytes())
    )
    client = signed_in(c.specialist)
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "Trần Thị Ánh Nguyệt" in page and "087190001234" in page
    assert f'hx-get="/tai-lieu/{doc.pk}/xem/"' in page and "to-khai.pdf" in page
    local = timezone.localtime(dossier.received_at)
    assert local.strftime("%d/%m/%Y %H:%M") in page  # the timeline, dd/mm/yyyy HH:MM
    assert "Tiếp nhận tại quầy" in page and "Chuyển xử lý" in page
    assert f"/ho-so/{dossier.code}/phieu/01/" in page and f"/ho-so/{dossier.code}/phieu/05/" in page
    viewer = client.get(f"/tai-lieu/{doc.pk}/xem/").content.decode()
    assert f'<iframe class="doc-frame" src="/tai-lieu/{doc.pk}/"' in viewer
    file = client.get(f"/tai-lieu/{doc.pk}/")
    assert file.status_code == 200 and file["Content-Type"] == "application/pdf"
    assert file["X-Frame-Options"] == "SAMEORIGIN" and b"".join(file.streaming_content).startswith(b"%PDF")


def test_a_codeless_intake_is_found_by_its_id(env):
    c, v = env
    result = services.dossier_intake(
        actor=c.desk,
        center=c.center,
        procedure_version=v,
        channel="counter",
        applicant=services.Applicant(name="Lê Văn Tám"),
        components=[],
        decision="refuse",
        reason="Sai thẩm quyền",
    )
    page = signed_in(c.desk).get(f"/ho-so/{result.dossier.pk}/").content.decode()
    assert (
        "Lê Văn Tám" in page and "Sai thẩm quyền" in page and f"/ho-so/{result.dossier.pk}/phieu/03/" in page
    )


def test_an_illegal_action_is_refused_with_a_message_and_nothing_changes(env):
    c, v = env
    dossier = at_step(c, v, "specialist")
    before = Dossier.objects.get(pk=dossier.pk)
    response = signed_in(c.desk).post(f"/ho-so/{dossier.code}/xu-ly/forward/", {"idempotency_key": "x"})
    assert response.status_code == 409
    page = response.content.decode()
    assert 'id="action-error"' in page and "Không có gì thay đổi" in page
    after = Dossier.objects.get(pk=dossier.pk)
    assert (after.state, after.step_position, after.event_count) == (
        before.state,
        before.step_position,
        before.event_count,
    )
    # the page shown with the error still offers only what the desk officer may do
    assert shown_actions(page) == services.available_actions(after, c.desk)
    assert signed_in(c.desk).post(f"/ho-so/{dossier.code}/xu-ly/fly/").status_code == 404


def test_an_action_without_its_reason_is_refused(env):
    c, v = env
    dossier = at_step(c, v, "specialist")
    response = signed_in(c.specialist).post(f"/ho-so/{dossier.code}/xu-ly/send_back/", {"reason": ""})
    assert response.status_code in (409, 422)
    assert Dossier.objects.get(pk=dossier.pk).event_count == dossier.event_count


def test_the_internal_process_through_the_pages_to_return(env):
    c, v = env
    dossier = receive(c, v)
    desk, specialist, leader = signed_in(c.desk), signed_in(c.specialist), verified_client(c.leader)
    url = f"/ho-so/{dossier.code}/"

    def act(client, action, **data):
        response = client.post(f"{url}xu-ly/{action}/", {"idempotency_key": f"{action}-{len(data)}", **data})
        assert response.status_code == 303, response.content.decode()[:2000]
        return Dossier.objects.get(pk=dossier.pk)

    assert act(desk, "transfer").state == "in_progress"
    assert act(leader, "assign", assignee=c.specialist.pk).assignee_id == c.specialist.pk
    assert act(specialist, "forward", assignee=c.leader.pk).assignee_id == c.leader.pk
    assert act(leader, "approve").step_position == 4
    assert act(specialist, "forward").state == "result_ready"
    done = act(desk, "return", method="counter")
    assert done.state == "returned" and done.return_method == "counter"
    page = desk.get(url).content.decode()
    assert "Đã trả kết quả" in page and shown_actions(page) == []
    # the same action form sent twice is applied once
    again = desk.post(f"{url}xu-ly/return/", {"idempotency_key": "return-1", "method": "counter"})
    assert again.status_code == 303 and Dossier.objects.get(pk=dossier.pk).event_count == done.event_count


def test_staff_of_another_commune_do_not_see_the_dossier_nor_its_papers(env):
    c, v = env
    dossier = at_step(c, v, "specialist")
    doc = documents.document_upload(
        actor=c.desk, dossier=dossier, component_id=None, upload=("giay.pdf", pdf_bytes())
    )
    stranger = staffed(prefix="x")
    for user in (stranger.desk, stranger.specialist):
        client = signed_in(user)
        for path in (
            f"/ho-so/{dossier.code}/",
            f"/ho-so/{dossier.pk}/",
            f"/tai-lieu/{doc.pk}/",
            f"/tai-lieu/{doc.pk}/xem/",
            f"/ho-so/{dossier.code}/phieu/01/",
        ):
            assert client.get(path).status_code == 404, path
        response = client.post(f"/ho-so/{dossier.code}/xu-ly/transfer/")
        assert response.status_code == 404
    assert dossier.code not in signed_in(stranger.specialist).get("/viec/").content.decode()


# -- approvals ------------------------------------------------------------------------------------
def test_the_approval_queue_holds_dossiers_at_a_leaders_step(env, django_assert_max_num_queries):
    c, v = env
    waiting = at_step(c, v, "leader")
    not_yet = at_step(c, v, "specialist")
    client = verified_client(c.leader)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/phe-duyet/")
    page = response.content.decode()
    assert waiting.code in page and not_yet.code not in page
    assert f'name="dossier" value="{waiting.pk}"' in page and "data-select-all" in page
    assert signed_in(c.specialist).get("/phe-duyet/").status_code == 403


def test_bulk_approval_approves_each_and_reports_what_failed(env):
    c, v = env
    one, two = at_step(c, v, "leader"), at_step(c, v, "leader")
    stuck = at_step(c, v, "specialist")
    client = verified_client(c.leader)
    response = client.post("/phe-duyet/", {"dossier": [one.pk, two.pk, stuck.pk]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 hồ sơ đã được phê duyệt" in page and stuck.code in page and "Chưa phê duyệt" in page
    states = dict(Dossier.objects.values_list("pk", "step_position"))
    assert states[one.pk] == states[two.pk] == 4 and states[stuck.pk] == 2
    all_ok = client.post("/phe-duyet/", {"dossier": []})
    assert "Chọn ít nhất một hồ sơ" in all_ok.content.decode()
    three = at_step(c, v, "leader")
    assert client.post("/phe-duyet/", {"dossier": [three.pk]})["Location"] == "/phe-duyet/"


def test_a_province_administrator_sees_every_center_of_the_province(env):
    c, v = env
    dossier = at_step(c, v, "specialist")
    admin = factories.user(Role.PROVINCE_ADMIN, province_obj=c.center.commune.province)
    assert dossier.code in verified_client(admin).get("/viec/").content.decode()
    assert Client().get(f"/ho-so/{dossier.code}/").status_code == 302
