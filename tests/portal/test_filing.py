"""Online filing: draft, papers, review, submission, e-mail; bad input refused clearly."""

import io
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from motcua.dossiers.models import Document, Dossier, State
from motcua.portal import services
from motcua.portal.models import Draft, DraftFile
from tests.language import english_client

from .support import (
    CARD,
    CARD_NFD,
    applicant_post,
    online_version,
    pdf_bytes,
    png_bytes,
    staffed_center,
    upload,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 20


@pytest.fixture
def env():
    s = staffed_center()
    return s, online_version()


def files_for(v) -> dict:
    first, second = v.components.order_by("position")[:2]
    return {
        f"file_{first.pk}": upload("to-khai.pdf", pdf_bytes("To khai")),
        f"file_{second.pk}": upload("giay chung sinh.png", png_bytes()),
    }


def start(client, v, data, follow=False):
    return client.post(f"/nop-truc-tuyen/{v.procedure.national_code}/", data, follow=follow)


def draft_url(draft: Draft) -> str:
    return f"/nop-truc-tuyen/tiep-tuc/{draft.token}/"


# -- which procedures -----------------------------------------------------------------------------
def test_the_online_list_holds_only_procedures_offered_online(en, env, django_assert_max_num_queries):
    _s, v = env
    online_version(name="Đăng ký kết hôn", channels=["counter", "online_partial"])
    online_version(name="Chứng thực chữ ký", channels=["counter"])
    with django_assert_max_num_queries(MAX_QUERIES):
        page = en.get("/nop-truc-tuyen/").content.decode()
    assert "Đăng ký khai sinh" in page and "Đăng ký kết hôn" in page
    assert "Chứng thực chữ ký" not in page
    assert f"/nop-truc-tuyen/{v.procedure.national_code}/" in page
    assert "2 procedures can be filed online." in page


def test_a_procedure_not_offered_online_says_so_with_a_404(en, env):
    counter_only = online_version(name="Chứng thực chữ ký", channels=["counter"])
    response = en.get(f"/nop-truc-tuyen/{counter_only.procedure.national_code}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "This procedure cannot be filed online" in page
    assert f"/thu-tuc/{counter_only.procedure.national_code}/" in page
    assert (
        en.post(f"/nop-truc-tuyen/{counter_only.procedure.national_code}/", {"name": "X"}).status_code == 404
    )
    assert not Draft.objects.exists()
    assert en.get("/nop-truc-tuyen/9.999999/").status_code == 404


def test_the_procedure_page_offers_online_filing(en, env):
    _s, v = env
    page = en.get(f"/thu-tuc/{v.procedure.national_code}/").content.decode()
    assert f'href="/nop-truc-tuyen/{v.procedure.national_code}/"' in page


def test_home_leads_to_search_filing_and_tracking(en, env):
    page = en.get("/").content.decode()
    assert 'type="search"' in page
    assert 'href="/nop-truc-tuyen/"' in page and "File a dossier online" in page
    assert 'href="/tra-cuu/"' in page and "Track a dossier" in page


# -- the happy path -------------------------------------------------------------------------------
def test_filing_online_makes_one_dossier_with_its_papers_and_shows_code_and_secret(
    en, env, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    s, v = env
    # given the form
    with django_assert_max_num_queries(MAX_QUERIES):
        form = en.get(f"/nop-truc-tuyen/{v.procedure.national_code}/")
    assert form.status_code == 200 and "no-store" in form["Cache-Control"]
    assert s.center.name in form.content.decode()
    # when the citizen fills everything in and asks to review
    with django_capture_on_commit_callbacks(execute=True):
        response = start(en, v, applicant_post(s.center, action="review") | files_for(v))
    draft = Draft.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{draft_url(draft)}xem-lai/"
    with django_assert_max_num_queries(MAX_QUERIES):
        review = en.get(response["Location"])
    page = review.content.decode()
    assert review.status_code == 200
    for expected in (
        "Trần Thị Ánh Nguyệt",
        "087190001234",
        "15/04/1990",
        "0909123456",
        "to-khai.pdf",
        "giay chung sinh.png",
        s.center.name,
    ):
        assert expected in page, expected
    assert Dossier.objects.count() == 0  # nothing is filed before the citizen submits
    # and submits
    with django_capture_on_commit_callbacks(execute=True):
        submitted = en.post(f"{draft_url(draft)}nop/")
    assert submitted.status_code == 302 and submitted["Location"] == draft_url(draft)
    with django_assert_max_num_queries(MAX_QUERIES):
        done = en.get(draft_url(draft))
    # then exactly one online dossier exists, with both papers, and the page shows code and secret
    dossier = Dossier.objects.get()
    assert dossier.channel == "online" and dossier.state == State.SUBMITTED
    assert dossier.receiving_center == s.center and dossier.applicant_phone == "0909123456"
    assert (
        dossier.applicant_birth_date.isoformat() == "1990-04-15" and dossier.result_delivery == "electronic"
    )
    docs = list(Document.objects.filter(dossier=dossier).order_by("component__position"))
    assert [d.original_name for d in docs] == ["to-khai.pdf", "giay chung sinh.png"]
    assert [d.component.position for d in docs] == [1, 2]
    assert all(len(d.sha256) == 64 and default_storage.exists(d.file.name) for d in docs)
    page = done.content.decode()
    assert dossier.code in page
    half = len(dossier.secret) // 2
    assert f"{dossier.secret[:half]}-{dossier.secret[half:]}" in page
    assert f"/tra-cuu/{dossier.code}/?s={dossier.secret}" in page
    assert "no-store" in done["Cache-Control"]
    # the draft's own copies are gone; the draft keeps only the way back to the dossier
    assert not DraftFile.objects.exists()
    draft.refresh_from_db()
    assert draft.dossier == dossier and draft.applicant == {"email": "nguyet@example.vn"}


def test_the_citizen_gets_the_draft_link_then_the_code_and_secret_by_email(
    en, env, django_capture_on_commit_callbacks
):
    s, v = env
    with django_capture_on_commit_callbacks(execute=True):
        start(en, v, applicant_post(s.center, action="save") | files_for(v))
    draft = Draft.objects.get()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nguyet@example.vn"]
    assert f"/nop-truc-tuyen/tiep-tuc/{draft.token}/" in mail.outbox[0].body
    # saving again with the same address sends nothing more
    with django_capture_on_commit_callbacks(execute=True):
        en.post(draft_url(draft), applicant_post(s.center, action="save"))
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        en.post(f"{draft_url(draft)}nop/")
    dossier = Dossier.objects.get()
    assert len(mail.outbox) == 2
    message = mail.outbox[1]
    assert dossier.code in message.subject and dossier.code in message.body
    assert dossier.secret[:5] in message.body and dossier.secret[5:] in message.body
    assert f"/tra-cuu/{dossier.code}/?s={dossier.secret}" in message.body


def test_no_email_is_sent_without_an_address_nor_when_the_submission_fails(
    en, env, django_capture_on_commit_callbacks
):
    s, v = env
    with django_capture_on_commit_callbacks(execute=True):
        start(en, v, applicant_post(s.center, email="", action="save"))
        en.post(f"{draft_url(Draft.objects.get())}nop/")  # papers missing: refused
    assert mail.outbox == [] and not Dossier.objects.exists()


# -- drafts ---------------------------------------------------------------------------------------
def test_a_draft_is_saved_and_resumed_later_from_its_link(en, env, django_assert_max_num_queries):
    s, v = env
    # given a citizen who typed only part of the form and saved
    response = start(
        en,
        v,
        {
            "name": "Trần Thị Ánh Nguyệt",
            "phone": "0909123456",
            "action": "save",
            f"file_{v.components.get(position=2).pk}": upload("cs.pdf", pdf_bytes()),
        },
    )
    draft = Draft.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{draft_url(draft)}?luu=1"
    saved = en.get(response["Location"]).content.decode()
    assert "Your draft is saved." in saved and f"/nop-truc-tuyen/tiep-tuc/{draft.token}/" in saved
    # when the link is opened later on another device
    with django_assert_max_num_queries(MAX_QUERIES):
        later = english_client().get(draft_url(draft))
    page = later.content.decode()
    # then what was typed and uploaded is there
    assert later.status_code == 200
    assert 'value="Trần Thị Ánh Nguyệt"' in page and 'value="0909123456"' in page and "cs.pdf" in page
    assert draft.expires_at > timezone.now() + timedelta(days=29)
    # and the citizen completes it
    more = applicant_post(s.center, action="review") | {
        f"file_{v.components.get(position=1).pk}": upload("tk.pdf", pdf_bytes())
    }
    assert en.post(draft_url(draft), more)["Location"].endswith("/xem-lai/")
    en.post(f"{draft_url(draft)}nop/")
    assert Dossier.objects.get().documents.count() == 2


def test_submitting_the_same_draft_twice_gives_one_dossier(en, env):
    s, v = env
    start(en, v, applicant_post(s.center, action="save") | files_for(v))
    draft = Draft.objects.get()
    first = en.post(f"{draft_url(draft)}nop/")
    second = en.post(f"{draft_url(draft)}nop/")
    assert first.status_code == second.status_code == 302
    assert Dossier.objects.count() == 1 and Document.objects.count() == 2
    assert services.draft_submit(draft=draft) == Dossier.objects.get()
    assert Dossier.objects.count() == 1
    # a submitted draft can no longer be changed
    en.post(draft_url(draft), applicant_post(s.center, name="Người Khác", action="save"))
    assert Dossier.objects.get().applicant_name == "Trần Thị Ánh Nguyệt"


def test_an_expired_draft_is_gone_and_purged_with_its_files(en, env, django_capture_on_commit_callbacks):
    s, v = env
    start(en, v, applicant_post(s.center, action="save") | files_for(v))
    start(en, v, applicant_post(s.center, action="save"))  # a second draft, still alive
    draft, alive = Draft.objects.order_by("id")
    names = [f.file.name for f in draft.files.all()]
    assert len(names) == 2 and all(default_storage.exists(n) for n in names)
    Draft.objects.filter(pk=draft.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    gone = en.get(draft_url(draft))
    assert gone.status_code == 404 and "This draft does not exist or has expired." in gone.content.decode()
    assert en.get("/nop-truc-tuyen/tiep-tuc/00000000-0000-4000-8000-000000000000/xem-lai/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_drafts", stdout=io.StringIO())
    assert list(Draft.objects.all()) == [alive] and not DraftFile.objects.exists()
    assert not any(default_storage.exists(n) for n in names)


def test_a_file_can_be_removed_from_a_draft(en, env, django_capture_on_commit_callbacks):
    s, v = env
    start(en, v, applicant_post(s.center, action="save") | files_for(v))
    draft = Draft.objects.get()
    row = draft.files.first()
    with django_capture_on_commit_callbacks(execute=True):
        response = en.post(draft_url(draft), applicant_post(s.center) | {"remove": str(row.pk)})
    assert response.status_code == 302
    assert draft.files.count() == 1 and not default_storage.exists(row.file.name)


def test_the_same_file_twice_for_a_paper_is_kept_once(en, env):
    s, v = env
    pk = v.components.get(position=1).pk
    data = pdf_bytes()
    start(en, v, {"action": "save", f"file_{pk}": upload("a.pdf", data)})
    draft = Draft.objects.get()
    en.post(draft_url(draft), {"action": "save", f"file_{pk}": upload("again.pdf", data)})
    assert draft.files.count() == 1


# -- bad input ------------------------------------------------------------------------------------
def test_a_file_that_is_not_a_pdf_or_image_is_refused_next_to_its_paper(en, env):
    s, v = env
    pk = v.components.get(position=1).pk
    response = start(
        en,
        v,
        applicant_post(s.center, action="save")
        | {f"file_{pk}": upload("virus.pdf", b"MZ\x90\x00 not a pdf")},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "“virus.pdf” is not a PDF, JPEG or PNG file." in page
    assert f'id="file_{pk}_error"' in page and f'aria-describedby="file_{pk}_error"' in page
    assert not DraftFile.objects.exists()
    # the valid fields typed with it are kept in the draft
    assert Draft.objects.get().applicant["name"] == "Trần Thị Ánh Nguyệt"


def test_a_file_over_the_size_limit_is_refused(en, env, settings):
    settings.MOTCUA_MAX_UPLOAD_BYTES = 200
    s, v = env
    pk = v.components.get(position=1).pk
    response = start(en, v, {"action": "save", f"file_{pk}": upload("big.pdf", pdf_bytes() + b" " * 500)})
    assert response.status_code == 422
    assert "“big.pdf” is larger than the limit of 200" in response.content.decode()
    assert not DraftFile.objects.exists()


def test_wrong_values_are_shown_next_to_their_fields_and_not_saved(en, env):
    s, v = env
    response = start(
        en,
        v,
        applicant_post(
            s.center,
            id_number="12345",
            phone="abc",
            email="not-an-email",
            birth_date="31/02/1990",
            action="save",
        ),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "The ID number has 12 digits (or 9 for an old ID card)." in page
    assert "Enter a Vietnamese phone number, e.g. 0909 123 456." in page
    assert "Enter a valid email address." in page
    assert 'aria-invalid="true"' in page and 'id="id_id_number_error"' in page
    assert 'href="#id_phone"' in page  # the summary at the top links to the field
    applicant = Draft.objects.get().applicant
    assert applicant["name"] == "Trần Thị Ánh Nguyệt"
    assert "id_number" not in applicant and "phone" not in applicant and "email" not in applicant


def test_review_lists_everything_still_missing_at_once(en, env):
    _s, v = env
    response = start(en, v, {"action": "review"})
    assert response.status_code == 422
    page = response.content.decode()
    for message in (
        "Choose the center that receives your dossier.",
        "Enter the applicant&#x27;s full name.",
        "Enter the citizen ID number.",
        "Enter a phone number the center can call.",
        "Enter the permanent address.",
    ):
        assert message in page, message
    first, second, third = v.components.order_by("position")
    assert f'id="file_{first.pk}_error"' in page and f'id="file_{second.pk}_error"' in page
    assert f'id="file_{third.pk}_error"' not in page  # the conditional paper is not asked for
    assert f"{first.name}: Upload a scan or photo of this paper." in page
    assert not Dossier.objects.exists()


def test_partial_online_procedures_do_not_require_the_scans(en, env):
    s, _v = env
    partial = online_version(name="Chứng thực bản sao", channels=["counter", "online_partial"])
    response = start(en, partial, applicant_post(s.center, action="review"))
    assert response.status_code == 302
    en.post(f"{draft_url(Draft.objects.get())}nop/")
    assert Dossier.objects.get().documents.count() == 0


def test_an_inactive_or_unknown_center_is_refused(en, env):
    s, v = env
    other = staffed_center().center
    other.is_active = False
    other.save()
    for value in (str(other.pk), "999999", "abc"):
        response = start(en, v, applicant_post(s.center, center=value, action="save"))
        assert response.status_code == 422
        assert "Choose a center from the list." in response.content.decode()
    assert all(d.center_id is None for d in Draft.objects.all())


# -- the ID card's QR -----------------------------------------------------------------------------
def test_the_id_card_qr_fills_the_form_without_javascript(en, env):
    _s, v = env
    response = start(en, v, {"action": "card", "card": CARD})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Trần Thị Ánh Nguyệt"' in page and 'value="087190001234"' in page
    assert 'value="15/04/1990"' in page and "Ấp 3, xã Mỹ An Hưng, tỉnh Đồng Tháp" in page
    assert not Draft.objects.exists()  # filling is not saving


def test_a_wrong_qr_text_is_explained(en, env):
    _s, v = env
    response = start(en, v, {"action": "card", "card": "hello|world"})
    assert response.status_code == 422
    assert "This is not the QR code of a chip citizen ID card" in response.content.decode()


def test_the_id_card_qr_on_a_draft_saves_the_values_in_nfc(en, env):
    s, v = env
    start(en, v, applicant_post(s.center, name="", action="save"))
    draft = Draft.objects.get()
    response = en.post(draft_url(draft), {"action": "card", "card": CARD_NFD})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.applicant["name"] == "Trần Văn Ba" and draft.applicant["birth_date"] == "1980-01-01"
    assert draft.applicant["phone"] == "0909123456"  # what the card does not carry stays


# -- pages ----------------------------------------------------------------------------------------
def test_the_filing_pages_speak_vietnamese(vi, env):
    s, v = env
    page = vi.get(f"/nop-truc-tuyen/{v.procedure.national_code}/").content.decode()
    assert '<html lang="vi">' in page
    assert "Nơi nộp hồ sơ" in page and "Lưu nháp" in page
    response = vi.post(
        f"/nop-truc-tuyen/{v.procedure.national_code}/", applicant_post(s.center, phone="12", action="save")
    )
    assert "Số điện thoại" in response.content.decode()


def test_draft_creation_is_rate_limited_per_client(en, env):
    _s, v = env
    statuses = {start(en, v, {"action": "save"}).status_code for _ in range(31)}
    assert 429 in statuses
    assert Draft.objects.count() == 30


def test_the_done_page_secret_matches_the_dossier(en, env):
    s, v = env
    start(en, v, applicant_post(s.center, action="save") | files_for(v))
    draft = Draft.objects.get()
    en.post(f"{draft_url(draft)}nop/")
    page = en.get(draft_url(draft)).content.decode()
    shown = re.search(r'id="dossier-secret">([^<]+)<', page).group(1)
    assert shown.replace("-", "") == Dossier.objects.get().secret


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_one_draft_make_one_dossier():
    # given a complete draft
    s, v = staffed_center(), online_version()
    english_client().post(
        f"/nop-truc-tuyen/{v.procedure.national_code}/",
        applicant_post(s.center, action="save") | files_for(v),
    )
    draft = Draft.objects.get()
    start = threading.Barrier(8)

    def submit(_):
        try:
            start.wait()
            return services.draft_submit(draft=draft).pk
        finally:
            connections.close_all()

    # when eight submissions (double taps, retries, two tabs) arrive at the same moment
    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = set(pool.map(submit, range(8)))

    # then they all answer with the one dossier, which has its papers once
    assert len(ids) == 1 and Dossier.objects.count() == 1
    assert Document.objects.count() == 2
