"""Issue 10 (defects 3 and 6) and issue 11 (defect 6) in Chromium: a colleague's lock-out passed
with the second factor, a wrong code followed by the right one, and another commune's papers
offered only after the citizen's card is scanned at the desk."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from motcua.dossiers import documents
from motcua.dossiers.models import Dossier
from tests import factories
from tests.staff.support import CARD, PASSWORD, birth_registration, pdf_bytes, receive, staffed

from .conftest import axe_violations

pytestmark = pytest.mark.browser


def code(device) -> str:
    return f"{totp(device.bin_key):06d}"


def submit_sign_in(page, username: str, password: str) -> None:
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()


def test_the_owner_passes_a_lock_out_someone_else_caused_with_password_and_code(page):
    c = staffed()
    device = TOTPDevice.objects.create(user=c.leader, name="phone", confirmed=True)
    page.goto("/dang-nhap/")
    for _ in range(5):  # someone at the same address tries passwords
        submit_sign_in(page, c.leader.username, "doan-mo")
    expect(page.get_by_role("alert").first).to_contain_text("Đăng nhập tạm thời bị khóa")
    submit_sign_in(page, c.leader.username, PASSWORD)  # the right password alone: still locked
    expect(page.get_by_role("alert").first).to_contain_text("Đăng nhập tạm thời bị khóa")
    assert axe_violations(page) == []
    page.get_by_label("Tên đăng nhập").fill(c.leader.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_label("Mã xác thực").fill(code(device))
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/phe-duyet/$"))


def test_a_wrong_code_then_the_right_one_says_wrong_code_then_signs_in(page):
    c = staffed()
    device = TOTPDevice.objects.create(user=c.leader, name="phone", confirmed=True)
    page.goto("/dang-nhap/")
    submit_sign_in(page, c.leader.username, PASSWORD)
    expect(page).to_have_url(re.compile(r"/dang-nhap/xac-thuc/$"))
    page.get_by_label("Mã xác thực").fill("000000" if code(device) != "000000" else "111111")
    page.get_by_role("button", name="Xác nhận").click()
    error = page.locator("#token-error")
    expect(error).to_contain_text("Mã không đúng")
    assert "quá nhiều lần" not in error.inner_text()
    page.get_by_label("Mã xác thực").fill(code(device))
    page.get_by_role("button", name="Xác nhận").click()
    expect(page).to_have_url(re.compile(r"/phe-duyet/$"))


def test_another_communes_paper_is_offered_only_after_the_card_is_scanned(page):
    here = staffed(prefix="a-")
    there = staffed(factories.commune(province_obj=here.center.commune.province), prefix="b-")
    v = birth_registration()
    declaration, certificate = v.components.all()
    earlier = receive(here, v)
    cert = documents.document_upload(
        actor=here.desk, dossier=earlier, component_id=certificate.pk, upload=("gcs.pdf", pdf_bytes("GCS"))
    )
    page.goto("/dang-nhap/")
    submit_sign_in(page, there.desk.username, PASSWORD)
    page.goto(f"/quay/?p={v.procedure.national_code}")
    # the ID number typed by hand: nothing from the other commune
    page.locator("#id_id_number").fill("087190001234")
    page.locator("#id_id_number").dispatch_event("change")
    expect(page.locator("#reuse")).to_contain_text("chỉ hiện sau khi quét thẻ căn cước")
    expect(page.locator(f"#reuse-{cert.pk}")).to_have_count(0)
    # the card scanned at the desk: the paper the procedure needs is offered
    page.locator("#cccd-scan").fill(CARD)
    page.locator("#cccd-scan").press("Enter")
    expect(page.locator(f"#reuse-{cert.pk}")).to_be_visible()
    page.locator(f"#reuse-{cert.pk}").select_option(str(certificate.pk))
    page.locator(f"#provided-{declaration.pk}").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Tiếp nhận").click()
    expect(page.locator("h1")).to_have_text("Đã tiếp nhận hồ sơ")
    made = Dossier.objects.get(receiving_center=there.center)
    assert made.documents.get().reused_from_id == cert.pk
