"""The online filing pages say an e-mail was sent only when the outbox delivered it, and that it
will be sent while it waits for a retry (issue 13)."""

import pytest
from django.core import mail
from django.utils import translation

from motcua.notify import delivery
from motcua.notify.models import OutboxMessage, Status
from motcua.portal.models import Draft

from .support import applicant_post, online_version, staffed_center
from .test_filing import draft_url, files_for, start

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_after():
    yield
    translation.deactivate()  # the English client's requests leave "en" active in this thread


@pytest.fixture
def env():
    return staffed_center(), online_version()


def test_the_done_page_says_sent_when_the_mail_server_took_it(en, env, django_capture_on_commit_callbacks):
    s, v = env
    with django_capture_on_commit_callbacks(execute=True):
        start(en, v, applicant_post(s.center, action="save") | files_for(v))
    draft = Draft.objects.get()
    assert "The link was also sent to nguyet@example.vn." in en.get(draft_url(draft)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        en.post(f"{draft_url(draft)}nop/")
    page = en.get(draft_url(draft)).content.decode()
    assert "They were also sent to nguyet@example.vn." in page
    assert len(mail.outbox) == 2
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {Status.DELIVERED}


def test_while_the_mail_server_is_down_the_pages_say_will_be_sent(
    en, env, settings, django_capture_on_commit_callbacks
):
    s, v = env
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        start(en, v, applicant_post(s.center, action="save") | files_for(v))
    draft = Draft.objects.get()
    assert "The link will also be sent to nguyet@example.vn." in en.get(draft_url(draft)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        en.post(f"{draft_url(draft)}nop/")
    page = en.get(draft_url(draft)).content.decode()
    assert "They will also be sent to nguyet@example.vn." in page
    assert "They were also sent" not in page
    message = OutboxMessage.objects.get(kind="submitted")
    assert message.status == Status.PENDING and message.attempts == 1
    # the server is back: the worker delivers, and the page now says so
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    delivery.drain(now=message.next_attempt_at)
    assert "They were also sent to nguyet@example.vn." in en.get(draft_url(draft)).content.decode()
