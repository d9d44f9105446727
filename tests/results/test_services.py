"""Results on the lifecycle: rendered or attached, signed at the approval, revoked, delivered."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.storage import default_storage

from motcua.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Document, DossierEvent, State
from motcua.results import checks, keys, services, validation
from motcua.results.models import ResultDocument

from .support import approve, plain_pdf, receive, to_leader

pytestmark = pytest.mark.django_db


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def test_the_approving_leader_signs_the_rendered_result_with_the_seal(env, monkeypatch):
    from motcua.results import signing

    stamps = []
    real = signing.sign_pdf
    monkeypatch.setattr(
        signing, "sign_pdf", lambda data, **kw: stamps.append(kw["stamp"]) or real(data, **kw)
    )
    dossier = approve(env, to_leader(env, receive(env)))
    assert dossier.state == State.RESULT_READY
    result = ResultDocument.objects.get(dossier=dossier)
    assert result.kind == "rendered" and result.title == "Giấy xác nhận tình trạng hôn nhân"
    assert [s["role"] for s in result.signers] == ["signer", "seal"]
    assert result.signers[0]["name"] == "Võ Thành Nhân"
    data = _read(result.signed_file.name)
    assert result.signed_sha256 == hashlib.sha256(data).hexdigest()
    assert validation.validate_pdf(data, roots=keys.trust_roots()).status == validation.VALID
    # both stamps' QR codes lead to the public check page
    assert [s.url for s in stamps] == [f"http://testserver/xac-thuc/{result.check_id}/"] * 2
    assert len(result.check_id) >= 32


def test_the_signed_result_is_kept_in_the_holders_store(env):
    dossier = approve(env, to_leader(env, receive(env)))
    result = ResultDocument.objects.get(dossier=dossier)
    kept = result.store_document
    assert kept.kind == "result" and kept.applicant_id_number == "087190001234"
    assert kept.file.name == result.signed_file.name and kept.sha256 == result.signed_sha256


def test_an_attached_pdf_is_checked_and_then_signed_at_the_approval(env):
    dossier = to_leader(env, receive(env))
    result = services.result_attach(
        actor=env.specialist, dossier=dossier, upload=("ket-qua.pdf", plain_pdf()), title="Quyết định"
    )
    assert result.kind == "attached" and not result.signed
    approve(env, dossier)
    result.refresh_from_db()
    assert result.signed and result.title == "Quyết định"


@pytest.mark.parametrize(
    "upload, code",
    [
        (("anh.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64), "file_type"),
        (("trong.pdf", b""), "file_empty"),
        (("hong.pdf", b"%PDF-1.4 garbage"), "pdf_damaged"),
    ],
)
def test_an_attachment_that_is_not_a_clean_pdf_is_refused_and_nothing_changes(env, upload, code):
    dossier = to_leader(env, receive(env))
    with pytest.raises(ValidationFailed) as raised:
        services.result_attach(actor=env.specialist, dossier=dossier, upload=upload)
    assert raised.value.code == code
    assert not ResultDocument.objects.exists()


def test_a_pdf_with_javascript_is_refused(env):
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    dossier = to_leader(env, receive(env))
    with pytest.raises(ValidationFailed) as raised:
        services.result_attach(actor=env.specialist, dossier=dossier, upload=("js.pdf", buffer.getvalue()))
    assert raised.value.code == "pdf_active_content"


def test_a_desk_officer_cannot_attach_and_a_stranger_does_not_see_the_dossier(env):
    from tests import factories

    dossier = to_leader(env, receive(env))
    with pytest.raises(PermissionDenied):
        services.result_attach(actor=env.desk, dossier=dossier, upload=("k.pdf", plain_pdf()))
    stranger = factories.user("specialist")
    with pytest.raises(NotFound):
        services.result_attach(actor=stranger, dossier=dossier, upload=("k.pdf", plain_pdf()))


def test_a_leader_without_a_key_approves_and_signs_later_once(env):
    dossier = approve(env, to_leader(env, receive(env)), leader=env.other_leader)
    assert not ResultDocument.objects.exists()  # nothing rendered without a key at approval
    with pytest.raises(DomainError) as raised:
        services.result_sign(actor=env.leader, dossier=dossier)
    assert raised.value.code == "no_result"
    services.result_render(actor=env.specialist, dossier=dossier)
    with pytest.raises(DomainError) as raised:
        services.result_sign(actor=env.other_leader, dossier=dossier)
    assert raised.value.code == "no_signing_key"
    first = services.result_sign(actor=env.leader, dossier=dossier)
    again = services.result_sign(actor=env.leader, dossier=dossier)
    assert first.signed and again.signed_sha256 == first.signed_sha256  # idempotent
    assert DossierEvent.objects.filter(dossier=dossier, action="result_signed").count() == 1


def test_a_signed_result_cannot_be_replaced_without_revoking_it(env):
    dossier = approve(env, to_leader(env, receive(env)))
    with pytest.raises(Conflict):
        services.result_attach(actor=env.specialist, dossier=dossier, upload=("k.pdf", plain_pdf()))


def test_the_public_check_says_valid_with_initials_only(env):
    dossier = approve(env, to_leader(env, receive(env)))
    result = ResultDocument.objects.get(dossier=dossier)
    answer = checks.check_by_id(check_id=result.check_id, client="1.2.3.4")
    assert answer.status == checks.VALID
    assert answer.holder_initials == "T. T. Á. N."
    assert answer.dossier_code == dossier.code
    assert "087190001234" not in repr(answer) and "Nguyệt" not in repr(answer)


def test_a_file_changed_in_storage_shows_as_altered(env):
    dossier = approve(env, to_leader(env, receive(env)))
    result = ResultDocument.objects.get(dossier=dossier)
    path = default_storage.path(result.signed_file.name)
    data = bytearray(open(path, "rb").read())
    data[-20] ^= 1
    open(path, "wb").write(bytes(data))
    assert checks.check_by_id(check_id=result.check_id, client="1.2.3.4").status == checks.ALTERED


def test_a_guessed_id_gets_the_same_404_as_any_unknown_and_guessing_is_limited(env):
    dossier = approve(env, to_leader(env, receive(env)))
    real = ResultDocument.objects.get(dossier=dossier).check_id
    messages = set()
    for guess in (real[:-1] + ("A" if real[-1] != "A" else "B"), "x" * 32, ""):
        with pytest.raises(NotFound) as raised:
            checks.check_by_id(check_id=guess, client="5.6.7.8")
        messages.add(raised.value.message)
    assert len(messages) == 1
    from motcua.core.errors import RateLimited

    with pytest.raises(RateLimited):
        for n in range(200):
            try:
                checks.check_by_id(check_id=f"guess{n}", client="5.6.7.8")
            except NotFound:
                pass


def test_revocation_by_a_leader_with_a_reason(env):
    dossier = approve(env, to_leader(env, receive(env)))
    result = ResultDocument.objects.get(dossier=dossier)
    with pytest.raises(PermissionDenied):
        services.result_revoke(actor=env.specialist, result_id=result.pk, reason="Sai tên")
    with pytest.raises(ValidationFailed):
        services.result_revoke(actor=env.leader, result_id=result.pk, reason="  ")
    services.result_revoke(actor=env.leader, result_id=result.pk, reason="Sai ngày sinh của người yêu cầu")
    answer = checks.check_by_id(check_id=result.check_id, client="1.2.3.4")
    assert answer.status == checks.REVOKED and answer.revoke_reason == "Sai ngày sinh của người yêu cầu"
    assert Document.objects.get(pk=result.store_document_id).retired_at is not None
    assert DossierEvent.objects.filter(dossier=dossier, action="result_revoked").exists()
    # a new result may be issued after the revocation
    services.result_render(actor=env.specialist, dossier=dossier)
    assert services.current_result(dossier).pk != result.pk


def test_an_uploaded_copy_is_recognized_and_anything_else_is_not(env):
    dossier = approve(env, to_leader(env, receive(env)))
    result = ResultDocument.objects.get(dossier=dossier)
    data = _read(result.signed_file.name)
    assert checks.check_upload(data).status == checks.VALID
    assert checks.check_upload(plain_pdf()).status == checks.UNKNOWN
    assert checks.check_upload(data[:-30] + b"%%EOF\n" * 5).status == checks.UNKNOWN
    services.result_revoke(actor=env.leader, result_id=result.pk, reason="Cấp nhầm")
    assert checks.check_upload(data).status == checks.REVOKED


def test_an_electronic_return_needs_a_signed_result(env):
    unsigned = approve(env, to_leader(env, receive(env)), leader=env.other_leader)
    with pytest.raises(Conflict) as raised:
        dossier_services.dossier_act(actor=env.desk, dossier=unsigned, action="return", method="electronic")
    assert raised.value.code == "no_signed_result"
    signed = approve(env, to_leader(env, receive(env)))
    returned = dossier_services.dossier_act(
        actor=env.desk, dossier=signed, action="return", method="electronic"
    )
    assert returned.state == State.RETURNED and returned.return_method == "electronic"


def test_delivery_returns_the_result_electronically_once(env):
    dossier = approve(env, to_leader(env, receive(env)))
    assert services.result_deliver(dossier=dossier) is True
    assert services.result_deliver(dossier=dossier) is False
    dossier.refresh_from_db()
    assert dossier.state == State.RETURNED and dossier.return_method == "electronic"
    assert DossierEvent.objects.filter(dossier=dossier, action="result_delivered").count() == 1


def test_an_unusable_key_does_not_block_the_approval(env):
    from motcua.results.models import SigningKey

    SigningKey.objects.filter(user=env.leader).update(password="sai-mat-khau")
    dossier = approve(env, to_leader(env, receive(env)))
    assert dossier.state == State.RESULT_READY
    result = services.current_result(dossier)
    assert result is not None and not result.signed  # waits for a signature with a usable key
