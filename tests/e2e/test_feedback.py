"""Rating the service on a cheap phone, in Chromium: three big targets, the officer by name, the
optional survey; accessible (axe) and light."""

import pytest

from motcua.feedback.models import FollowUp, Rating, Survey
from tests.feedback.support import returned, staffed_center, version

from .conftest import axe_violations, page_weight, screenshot

pytestmark = pytest.mark.browser

LIMIT_BYTES, LIMIT_REQUESTS = 60 * 1024, 15
MIN_TARGET_PX = 48


def small_targets(page) -> list[str]:
    """The rating's choices and buttons that are less than 48 px high on this screen."""
    return page.evaluate(
        """(min) => [...document.querySelectorAll('.fb-choice, .fb-pills label, .fb-submit')]
            .filter(el => el.getBoundingClientRect().height < min)
            .map(el => el.textContent.trim())""",
        MIN_TARGET_PX,
    )


def test_rate_on_a_phone_then_answer_the_survey(phone):
    # given a dossier whose result was returned at the counter
    s = staffed_center()
    dossier = returned(s, version(name="Đăng ký khai sinh"))
    url = f"/danh-gia/{dossier.code}/?s={dossier.secret}"

    # when the citizen opens the link from the tracking page on a 360 px phone
    weight = page_weight(phone, url, phone.get_by_role("heading", level=1))
    assert weight.requests <= LIMIT_REQUESTS and weight.transferred <= LIMIT_BYTES, weight
    assert (
        phone.get_by_role("heading", level=1).inner_text() == "Bạn có hài lòng với chất lượng phục vụ không?"
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    assert small_targets(phone) == []
    assert axe_violations(phone) == []

    # and taps "Hài lòng", names the officer who served them and writes a word
    phone.get_by_role("group", name="Mức độ hài lòng của bạn").get_by_text("Hài lòng", exact=True).click()
    phone.get_by_role("group", name="Ai đã phục vụ bạn?").get_by_text("Nguyễn Thị Hồng", exact=True).click()
    phone.get_by_label("Ý kiến (không bắt buộc)").fill("Cán bộ hướng dẫn tận tình")
    assert phone.locator("#value-satisfied").is_checked() and phone.locator("#officer-1").is_checked()
    screenshot(phone, "feedback-rating")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Gửi đánh giá").click()

    # then the rating is recorded once, from the web, and the optional survey follows
    rating = Rating.objects.get()
    assert (rating.value, rating.channel, rating.officer_id, rating.comment) == (
        "satisfied",
        "web",
        s.desk.pk,
        "Cán bộ hướng dẫn tận tình",
    )
    assert not FollowUp.objects.exists()
    assert "Cảm ơn bạn, đánh giá đã được ghi nhận." in phone.content()
    assert axe_violations(phone) == []
    phone.get_by_role("group", name="7. Thái độ của cán bộ").get_by_label("Lịch sự, tận tình").check()
    phone.get_by_role("group", name="1. Tổng thời gian").get_by_label("Trước hạn").check()
    screenshot(phone, "feedback-survey")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Gửi câu trả lời").click()
    survey = Survey.objects.get()
    assert survey.scores() == (2, None, None, None, None, None, 2, None, None)
    assert phone.get_by_role("heading", level=1).inner_text() == "Xin cảm ơn!"
    assert axe_violations(phone) == []
