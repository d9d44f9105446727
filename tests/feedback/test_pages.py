"""The rating, survey, counter-tablet and leader pages, as citizens and staff use them."""

import re

import pytest
from django.test import Client

from motcua.feedback import services
from motcua.feedback.models import FollowUp, Rating, Survey
from tests.staff.support import signed_in, verified_client

from .support import at, in_progress, returned, staffed_center, version

pytestmark = pytest.mark.django_db

MAX_QUERIES = 20
MAX_BYTES = 60 * 1024


@pytest.fixture
def s():
    return staffed_center()


@pytest.fixture
def v():
    return version(name="Đăng ký khai sinh")


def url(dossier, path="danh-gia", suffix=""):
    return f"/{path}/{dossier.code}/{suffix}"


def light(response):
    assert len(response.content) < MAX_BYTES, len(response.content)
    return response.content.decode()


# -- the citizen's rating page (web) ----------------------------------------------------------------
def test_the_rating_page_offers_three_big_choices_and_the_officers_by_name(
    en, s, v, django_assert_max_num_queries
):
    dossier = returned(s, v)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = en.get(url(dossier), {"s": dossier.secret})
    page = light(response)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex" and response["Referrer-Policy"] == "same-origin"
    for value, label in (
        ("very_satisfied", "Very satisfied"),
        ("satisfied", "Satisfied"),
        ("not_satisfied", "Not satisfied"),
    ):
        assert f'id="value-{value}"' in page and f'for="value-{value}"' in page and label in page
    assert "Nguyễn Thị Hồng" in page  # the desk officer, by display name only
    assert f">{s.specialist}<" not in page and f">{s.leader}<" not in page
    assert "Trần Thị Ánh Nguyệt" not in page and "T. T. Á. N." in page
    assert '<main id="main"' in page and "<fieldset" in page and '<label for="comment">' in page


def test_rate_then_survey_then_thanks(en, s, v, django_assert_max_num_queries):
    dossier = returned(s, v)
    # when the citizen taps "not satisfied", names the officer and writes a comment
    with django_assert_max_num_queries(MAX_QUERIES):
        response = en.post(
            url(dossier),
            {
                "s": dossier.secret,
                "value": "not_satisfied",
                "officer": str(s.desk.pk),
                "comment": "Phải chờ lâu",
            },
        )
    # then the rating is recorded from the web, a follow-up is opened, and the survey is next
    assert response.status_code == 302
    assert response["Location"] == f"/danh-gia/{dossier.code}/khao-sat/?s={dossier.secret}"
    rating = Rating.objects.get()
    assert (rating.value, rating.channel, rating.officer, rating.officer_value, rating.comment) == (
        "not_satisfied",
        "web",
        s.desk,
        "not_satisfied",
        "Phải chờ lâu",
    )
    assert FollowUp.objects.filter(rating=rating, status="open").exists()
    with django_assert_max_num_queries(MAX_QUERIES):
        survey_page = en.get(response["Location"])
    page = light(survey_page)
    assert "Thank you, your rating has been recorded." in page
    assert len(re.findall(r'<fieldset class="fb-indicator">', page)) == 9
    # when the survey is sent with some answers skipped
    answers = {"s": dossier.secret, "i1": "2", "i2": "1", "i3": "0", "i7": "2", "i9": ""}
    with django_assert_max_num_queries(MAX_QUERIES):
        done = en.post(f"/danh-gia/{dossier.code}/khao-sat/", answers)
    assert done.status_code == 302 and done["Location"] == f"/danh-gia/{dossier.code}/?s={dossier.secret}"
    assert Survey.objects.get().scores() == (2, 1, 0, None, None, None, 2, None, None)
    thanks = light(en.get(done["Location"]))
    assert "Thank you!" in thanks and "A dossier can be rated only once." in thanks
    assert "Answer 9 short questions" not in thanks  # the survey is done


def test_rating_twice_gives_a_clear_message_and_changes_nothing(en, s, v):
    dossier = returned(s, v)
    en.post(url(dossier), {"s": dossier.secret, "value": "very_satisfied"})
    again = en.post(url(dossier), {"s": dossier.secret, "value": "not_satisfied"})
    assert again.status_code == 409
    assert "This dossier has already been rated. A dossier can be rated only once." in again.content.decode()
    assert list(Rating.objects.values_list("value", flat=True)) == ["very_satisfied"]
    assert not FollowUp.objects.exists()


def test_no_choice_shows_the_form_again_with_the_error(en, s, v):
    dossier = returned(s, v)
    response = en.post(url(dossier), {"s": dossier.secret, "comment": "Tốt"})
    page = response.content.decode()
    assert response.status_code == 422 and "Choose very satisfied, satisfied or not satisfied." in page
    assert "Tốt</textarea>" in page and not Rating.objects.exists()


def test_a_dossier_not_yet_returned_cannot_be_rated(en, s, v):
    dossier = in_progress(s, v)
    page = en.get(url(dossier), {"s": dossier.secret}).content.decode()
    assert "A dossier can be rated once its result has been returned." in page
    assert 'name="value"' not in page
    assert en.post(url(dossier), {"s": dossier.secret, "value": "satisfied"}).status_code == 409
    assert not Rating.objects.exists()


def test_a_wrong_secret_is_refused_like_an_unknown_code_and_rate_limited(en, s, v):
    dossier = returned(s, v)
    wrong = en.get(url(dossier), {"s": "AAAAAAAAAA"})
    unknown = en.get("/danh-gia/H82.00000-260101-0001/", {"s": "AAAAAAAAAA"})
    assert wrong.status_code == unknown.status_code == 404
    assert "No dossier matches this code and lookup secret." in wrong.content.decode()
    assert en.post(url(dossier), {"s": "BBBBBBBBBB", "value": "satisfied"}).status_code == 404
    statuses = [
        en.post(url(dossier), {"s": "CCCCCCCCCC", "value": "satisfied"}).status_code for _ in range(25)
    ]
    assert 429 in statuses
    # once blocked, even the right secret waits: guesses cannot continue
    blocked = en.post(url(dossier), {"s": dossier.secret, "value": "satisfied"})
    assert blocked.status_code == 429 and "Too many failed lookups" in blocked.content.decode()
    assert not Rating.objects.exists()


def test_failed_lookups_on_the_tracking_page_do_not_block_the_rating(en, s, v):
    # Issue 10, defect 5: ratings have their own bucket, so a kiosk's tracking mistakes never
    # block the next citizen's rating.
    dossier = returned(s, v)
    for _ in range(21):
        en.get(f"/tra-cuu/{dossier.code}/", {"s": "AAAAAAAAAA"})
    assert en.get(f"/tra-cuu/{dossier.code}/", {"s": dossier.secret}).status_code == 429
    assert en.get(url(dossier), {"s": dossier.secret}).status_code == 200


def test_without_the_secret_the_page_asks_for_it(en, s, v):
    dossier = returned(s, v)
    response = en.get(url(dossier))
    page = response.content.decode()
    assert response.status_code == 200 and "Enter the lookup secret printed on your receipt." in page
    assert '<label for="s">' in page


def test_the_kiosk_page_records_the_kiosk_channel_in_the_kiosk_frame(en, s, v):
    dossier = returned(s, v)
    page = en.get(f"/danh-gia/kiosk/{dossier.code}/", {"s": dossier.secret}).content.decode()
    assert 'class="kiosk"' in page and 'name="value"' in page
    response = en.post(f"/danh-gia/kiosk/{dossier.code}/", {"s": dossier.secret, "value": "satisfied"})
    assert response["Location"].startswith(f"/danh-gia/kiosk/{dossier.code}/khao-sat/")
    assert Rating.objects.get().channel == "kiosk"
    thanks = en.get(f"/danh-gia/kiosk/{dossier.code}/", {"s": dossier.secret}).content.decode()
    assert 'href="/kiosk/"' in thanks  # "Done" goes back to the kiosk's start


def test_the_pages_speak_vietnamese_by_default(s, v):
    dossier = returned(s, v)
    page = Client().get(url(dossier), {"s": dossier.secret}).content.decode()
    assert "Rất hài lòng" in page and "Hài lòng" in page and "Không hài lòng" in page


def test_the_tracking_links_tag(s, v):
    from django.template import Context, Template

    dossier, busy = returned(s, v), in_progress(s, v)
    tag = Template("{% load feedback_links %}{% feedback_links code secret state %}")
    kiosk = Template("{% load feedback_links %}{% feedback_links code secret state kiosk=True %}")
    html = tag.render(Context({"code": dossier.code, "secret": dossier.secret, "state": dossier.state}))
    assert f'href="/danh-gia/{dossier.code}/?s={dossier.secret}"' in html
    assert f'href="/phan-anh/{dossier.code}/?s={dossier.secret}"' in html
    html = kiosk.render(Context({"code": dossier.code, "secret": dossier.secret, "state": dossier.state}))
    assert f'href="/danh-gia/kiosk/{dossier.code}/?s={dossier.secret}"' in html
    html = tag.render(Context({"code": busy.code, "secret": busy.secret, "state": busy.state}))
    assert "/danh-gia/" not in html and "/phan-anh/" in html
    services.rating_create(dossier=dossier, value="satisfied", channel="web")
    html = tag.render(Context({"code": dossier.code, "secret": dossier.secret, "state": dossier.state}))
    assert "/danh-gia/" not in html


# -- the counter tablet -----------------------------------------------------------------------------
def test_the_counter_tablet_lists_todays_returns_at_this_center_and_rates_them(
    en, s, v, django_assert_max_num_queries
):
    today = returned(s, v)
    old = returned(s, v, when=at("2026-03-05 10:00"))
    elsewhere = returned(staffed_center(), v)
    desk = signed_in(s.desk)
    desk.cookies["django_language"] = "en"
    with django_assert_max_num_queries(MAX_QUERIES):
        listing = desk.get("/danh-gia/quay/")
    page = light(listing)
    assert today.code in page and old.code not in page and elsewhere.code not in page
    assert "T. T. Á. N." in page and "Trần Thị Ánh Nguyệt" not in page
    assert 'href="/dang-xuat/"' not in page  # no staff navigation on the tablet
    assert desk.get(f"/danh-gia/quay/{old.code}/").status_code == 404
    assert desk.get(f"/danh-gia/quay/{elsewhere.code}/").status_code == 404
    with django_assert_max_num_queries(MAX_QUERIES):
        form = desk.get(f"/danh-gia/quay/{today.code}/")
    assert form.status_code == 200 and 'name="s"' not in form.content.decode()
    response = desk.post(f"/danh-gia/quay/{today.code}/", {"value": "very_satisfied"})
    assert response.status_code == 302 and response["Location"] == f"/danh-gia/quay/{today.code}/khao-sat/"
    rating = Rating.objects.get()
    assert (rating.channel, rating.recorded_by) == ("counter", s.desk)
    skipped = desk.post(f"/danh-gia/quay/{today.code}/khao-sat/", {"i7": "2"})
    assert skipped["Location"] == "/danh-gia/quay/"
    after = desk.get("/danh-gia/quay/").content.decode()
    assert "Rated" in after and "Thank you! Your answers have been recorded." in after


def test_the_counter_tablet_is_for_desk_officers(s):
    assert Client().get("/danh-gia/quay/").status_code == 302  # to the sign-in page
    assert signed_in(s.specialist).get("/danh-gia/quay/").status_code == 403


# -- the leader's follow-ups ------------------------------------------------------------------------
def test_a_leader_sees_the_follow_ups_of_their_center_and_records_what_was_done(
    en, s, v, django_assert_max_num_queries
):
    other = staffed_center()
    mine = services.rating_create(
        dossier=returned(s, v), value="not_satisfied", channel="web", comment="Chờ lâu", officer_id=s.desk.pk
    ).followup
    theirs = services.rating_create(dossier=returned(other, v), value="not_satisfied", channel="web").followup
    leader = verified_client(s.leader)
    leader.cookies["django_language"] = "en"
    with django_assert_max_num_queries(MAX_QUERIES):
        response = leader.get("/danh-gia/theo-doi/")
    page = light(response)
    assert mine.rating.dossier.code in page and "Chờ lâu" in page and "Nguyễn Thị Hồng" in page
    assert theirs.rating.dossier.code not in page
    # another commune's leader can neither see nor close it
    stranger = verified_client(other.leader)
    assert mine.rating.dossier.code not in stranger.get("/danh-gia/theo-doi/").content.decode()
    assert stranger.post(f"/danh-gia/theo-doi/{mine.pk}/xong/", {"action_taken": "x"}).status_code == 404
    # the leader takes it and records what was done
    leader.post(f"/danh-gia/theo-doi/{mine.pk}/nhan/")
    done = leader.post(
        f"/danh-gia/theo-doi/{mine.pk}/xong/", {"action_taken": "Đã gọi điện xin lỗi công dân"}
    )
    assert done.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.assigned_to, mine.done_by, mine.action_taken) == (
        "done",
        s.leader,
        s.leader,
        "Đã gọi điện xin lỗi công dân",
    )
    page = leader.get("/danh-gia/theo-doi/").content.decode()
    assert "Recorded. The follow-up is closed." in page and mine.rating.dossier.code not in page
    assert mine.rating.dossier.code in leader.get("/danh-gia/theo-doi/?xem=da-xong").content.decode()
    theirs.refresh_from_db()
    assert theirs.status == "open"


def test_the_follow_up_page_is_for_leaders(s):
    assert signed_in(s.desk).get("/danh-gia/theo-doi/").status_code == 403
