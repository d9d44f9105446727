import pytest
from django.utils import translation

from motcua.notify.channels import portal as portal_channel

from .fakes import FakePortal, FakeProvider, SmtpSink


@pytest.fixture(autouse=True)
def _default_language_after():
    yield
    translation.deactivate()  # pages requested in tests leave their language active in the thread


@pytest.fixture
def provider():
    server = FakeProvider().start()
    yield server
    server.stop()


@pytest.fixture
def portal_server():
    server = FakePortal().start()
    portal_channel._sessions.clear()
    yield server
    server.stop()
    portal_channel._sessions.clear()


@pytest.fixture
def smtp():
    server = SmtpSink().start()
    yield server
    server.stop()
