"""Issue 11, defect 1: a mandatory paper with a stated exception ("Không có Giấy chứng sinh thì
...") is not silently skipped online: it is uploaded, or the citizen states that the exception
applies; the review and the submission list everything missing at once."""

import pytest

from motcua.dossiers.models import Dossier
from motcua.portal.models import Draft

from .support import applicant_post, online_version, pdf_bytes, staffed_center, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def env():
    s = staffed_center()
    v = online_version()
    second = v.components.get(position=2)
    second.condition = "Không có Giấy chứng sinh thì nộp văn bản của người làm chứng"
    second.save()
    return s, v


def start(client, v, data):
    return client.post(f"/nop-truc-tuyen/{v.procedure.national_code}/", data)


def declaration(v) -> dict:
    first = v.components.get(position=1)
    return {f"file_{first.pk}": upload("to-khai.pdf", pdf_bytes("To khai"))}


def test_a_mandatory_paper_with_an_exception_blocks_the_review_until_uploaded_or_waived(en, env):
    s, v = env
    second = v.components.get(position=2)
    # only the declaration: the review refuses and names the birth certificate
    response = start(en, v, applicant_post(s.center, action="review") | declaration(v))
    assert response.status_code == 422
    page = response.content.decode()
    assert f'id="file_{second.pk}_error"' in page
    exception = "Upload a scan or photo of this paper, or tick that your case is the exception."
    assert f"{second.name}: {exception}" in page
    assert f'name="waive_{second.pk}"' in page
    # stating that the exception applies lets the citizen go on, and the dossier records it
    draft = Draft.objects.get()
    review = en.post(
        f"/nop-truc-tuyen/tiep-tuc/{draft.token}/",
        applicant_post(s.center, action="review") | {f"waive_{second.pk}": "1"},
    )
    assert review.status_code == 302 and review["Location"].endswith("/xem-lai/")
    assert "not needed: my case is the exception" in en.get(review["Location"]).content.decode()
    en.post(f"/nop-truc-tuyen/tiep-tuc/{draft.token}/nop/")
    dossier = Dossier.objects.get()
    assert dossier.documents.count() == 1


def test_submitting_lists_everything_missing_at_once_and_files_nothing(en, env):
    s, v = env
    first, second = v.components.get(position=1), v.components.get(position=2)
    response = start(en, v, applicant_post(s.center, action="save"))
    draft = Draft.objects.get()
    assert response.status_code == 302
    submitted = en.post(f"/nop-truc-tuyen/tiep-tuc/{draft.token}/nop/")
    assert submitted.status_code == 422
    page = submitted.content.decode()
    assert f"{first.name}: Upload a scan or photo of this paper." in page
    assert f"{second.name}: Upload a scan or photo of this paper, or tick" in page
    assert not Dossier.objects.exists()
