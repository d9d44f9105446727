"""Remote signing against a fake CA service on 127.0.0.1: confirmed, refused, timed out, failing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.storage import default_storage

from motcua.core.errors import DomainError
from motcua.results import checks, services
from motcua.results.models import KeyKind, RemoteSigningService, ResultDocument, SigningKey

from .fake_signer import FakeRemoteSigner
from .support import approve, receive, to_leader

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake(env):
    with FakeRemoteSigner(
        credential="cred-42",
        key=env.pki.remote_key,
        certificate=env.pki.remote_cert,
        chain=[env.pki.authority.certificate],
    ) as server:
        service = RemoteSigningService.objects.create(
            name="CA thử nghiệm",
            base_url=server.url,
            api_key=server.api_key,
            poll_seconds=Decimal("0.01"),
            timeout_seconds=1,
        )
        SigningKey.objects.create(
            center=env.center,
            user=env.other_leader,
            kind=KeyKind.REMOTE,
            service=service,
            credential_id="cred-42",
        )
        yield server


@pytest.fixture
def ready(env, fake):
    """Approved by the leader whose key is remote: the result waits for the phone's confirmation."""
    dossier = approve(env, to_leader(env, receive(env)), leader=env.other_leader)
    services.result_render(actor=env.specialist, dossier=dossier)
    return dossier


def _walk(folder):
    dirs, files = default_storage.listdir(folder)
    yield from (f"{folder}/{f}" for f in files)
    for sub in dirs:
        yield from _walk(f"{folder}/{sub}")


def test_the_signer_confirms_on_the_phone_and_the_result_is_signed(env, fake, ready):
    fake.pending_polls = 3
    result = services.result_sign(actor=env.other_leader, dossier=ready)
    assert result.signed and result.signers[0]["name"] == "Lê Văn Ký Từ Xa"
    assert fake.polls == 4
    assert checks.check_by_id(check_id=result.check_id, client="1.1.1.1").status == checks.VALID


@pytest.mark.parametrize(
    "mode, code",
    [("refuse", "remote_refused"), ("wait", "remote_timeout"), ("error", "remote_unavailable")],
)
def test_a_refusal_a_timeout_or_a_failing_service_signs_nothing(env, fake, ready, mode, code):
    fake.mode = mode
    before = len(list(_walk("results")))
    with pytest.raises(DomainError) as raised:
        services.result_sign(actor=env.other_leader, dossier=ready)
    assert raised.value.code == code
    result = ResultDocument.objects.get(dossier=ready)
    assert not result.signed and result.signers == []
    assert len(list(_walk("results"))) == before  # no signed file without its record
    fake.mode = "confirm"
    assert services.result_sign(actor=env.other_leader, dossier=ready).signed  # a retry succeeds


def test_a_service_that_cannot_be_reached_is_unavailable(env, fake, ready):
    RemoteSigningService.objects.update(base_url="http://127.0.0.1:9")
    with pytest.raises(DomainError) as raised:
        services.result_sign(actor=env.other_leader, dossier=ready)
    assert raised.value.code == "remote_unavailable"
