"""Uploads that could act in the browser (issue 10, defect 7): PDFs with scripts or actions are
refused, images declaring too many pixels are refused without being decoded, and stored scans are
served with a sandboxing CSP, nosniff and an explicit Content-Disposition."""

import io
import struct
import time
import zlib

import pytest
from django.test import Client
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from motcua.api.auth import token_create
from motcua.core.errors import ValidationFailed
from motcua.dossiers import documents
from motcua.dossiers.models import Document

from .support import at, receive, staffed_center, version
from .test_documents import pdf_bytes, png_bytes, stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_and_dossier():
    s, v = staffed_center(), version()
    return s, receive(s, v, when=at("2026-03-02 09:00"))


def _rewrite(change) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _js_action(code: str = "app.alert(5)") -> DictionaryObject:
    return DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(code)}
    )


def open_action_js(writer):
    writer._root_object[NameObject("/OpenAction")] = _js_action()


def document_level_js(writer):
    # /Names << /JavaScript << /Names [(hello) << /S /JavaScript /JS (...) >>] >> >>
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("hello"), _js_action()])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})


def launch_action(writer):
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
    )


def page_additional_action(writer):
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): _js_action()})


def benign_open_action(writer):
    # Scanners often set the initial view: [page /Fit] is not active content.
    page = writer.pages[0].indirect_reference
    writer._root_object[NameObject("/OpenAction")] = ArrayObject([page, NameObject("/Fit")])


@pytest.mark.parametrize(
    "change",
    [open_action_js, document_level_js, launch_action, page_additional_action],
    ids=lambda f: f.__name__,
)
def test_a_pdf_with_scripts_or_actions_is_refused(desk_and_dossier, settings, change):
    s, dossier = desk_and_dossier
    with pytest.raises(ValidationFailed) as refused:
        documents.document_upload(
            actor=s.desk, dossier=dossier, component_id=None, upload=("giay.pdf", _rewrite(change))
        )
    assert refused.value.code == "pdf_active_content" and "“giay.pdf”" in refused.value.message
    assert not Document.objects.exists() and stored_files(settings) == []


def test_a_plain_scan_with_an_initial_view_is_accepted(desk_and_dossier):
    s, dossier = desk_and_dossier
    data = _rewrite(benign_open_action)
    document = documents.document_upload(
        actor=s.desk, dossier=dossier, component_id=None, upload=("a.pdf", data)
    )
    assert document.content_type == "application/pdf"


def png_declaring(width: int, height: int) -> bytes:
    """A valid PNG signature and header declaring `width` × `height`, with a tiny IDAT: decoding it
    would need gigabytes, reading its header costs nothing."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def test_an_image_declaring_too_many_pixels_is_refused_without_decoding(desk_and_dossier, settings):
    s, dossier = desk_and_dossier
    started = time.monotonic()
    with pytest.raises(ValidationFailed) as refused:
        documents.document_upload(
            actor=s.desk,
            dossier=dossier,
            component_id=None,
            upload=("anh.png", png_declaring(60_000, 60_000)),
        )
    assert time.monotonic() - started < 2
    assert refused.value.code == "image_too_large"
    assert not Document.objects.exists() and stored_files(settings) == []


def test_the_pixel_limit_is_configurable_and_exact(desk_and_dossier, settings):
    s, dossier = desk_and_dossier
    settings.MOTCUA_MAX_IMAGE_PIXELS = 16  # a 4×4 image is exactly at the limit
    documents.document_upload(actor=s.desk, dossier=dossier, component_id=None, upload=("a.png", png_bytes()))
    settings.MOTCUA_MAX_IMAGE_PIXELS = 15
    with pytest.raises(ValidationFailed) as refused:
        documents.document_upload(
            actor=s.desk, dossier=dossier, component_id=None, upload=("b.png", png_bytes())
        )
    assert refused.value.code == "image_too_large"


def test_scans_are_served_sandboxed_and_never_sniffed(desk_and_dossier):
    s, dossier = desk_and_dossier
    pdf = documents.document_upload(
        actor=s.desk, dossier=dossier, component_id=None, upload=("Giấy khai sinh.pdf", pdf_bytes())
    )
    png = documents.document_upload(
        actor=s.desk, dossier=dossier, component_id=None, upload=("cccd.png", png_bytes())
    )
    page = Client()
    page.force_login(s.desk)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=s.desk, name='t')}")
    for response in (
        page.get(f"/tai-lieu/{pdf.pk}/"),
        page.get(f"/tai-lieu/{png.pk}/"),
        api.get(f"/api/v1/documents/{pdf.pk}/file"),
    ):
        assert response.status_code == 200
        csp = response["Content-Security-Policy"]
        assert csp.split(";")[0].strip() == "sandbox" and "default-src 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("inline; filename")
    assert "filename*=utf-8''Gi%E1%BA%A5y" in page.get(f"/tai-lieu/{pdf.pk}/")["Content-Disposition"]
