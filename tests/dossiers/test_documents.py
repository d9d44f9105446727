"""Scans of a dossier's papers: type from content, limits, hashes, retries, scope and re-use."""

import base64
import hashlib
import io
import os
import struct
import threading
import unicodedata
import zlib
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.utils import timezone

from motcua.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from motcua.dossiers import documents, services
from motcua.dossiers.models import Document, State
from motcua.security.services import presence_record
from tests import factories

from .support import APPLICANT, all_provided, at, receive, staffed_center, version


@pytest.fixture(autouse=True)
def _english():
    # These tests read the English wording; the Vietnamese catalogs are checked in test_translations.
    from django.utils import translation

    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db

# A 1×1 grey JPEG (Pillow, quality 10), used only when Pillow is not installed.
TINY_JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAFA3PEY8MlBGQUZaVVBfeMiCeG5uePWvuZHI////////////////////////////"
    "////////////////////////wAALCAABAAEBAREA/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgED"
    "AwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RF"
    "RkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJ"
    "ytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/9oACAEBAAA/ALtf/9k="
)


# -- real files made here -------------------------------------------------------------------------
def pdf_bytes(text: str = "Giay chung sinh", password: str | None = None) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(300, 200))
    page.drawString(20, 100, text)
    page.showPage()
    page.save()
    if password is None:
        return out.getvalue()
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(out.getvalue())))
    writer.encrypt(password)
    encrypted = io.BytesIO()
    writer.write(encrypted)
    return encrypted.getvalue()


def png_bytes(color=(200, 30, 30)) -> bytes:
    try:
        from PIL import Image
    except ImportError:  # a valid 1×1 RGB PNG written by hand

        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

        raw = b"\x00" + bytes(color)
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b"")
        )
    out = io.BytesIO()
    Image.new("RGB", (4, 4), color).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    try:
        from PIL import Image
    except ImportError:
        return TINY_JPEG
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (240, 240, 240)).save(out, "JPEG")
    return out.getvalue()


EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 200
    + b"This program cannot be run"
)


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def desk_and_dossier():
    s, v = staffed_center(), version()
    return s, receive(s, v, when=at("2026-03-02 09:00"))


def first_component(dossier):
    return dossier.procedure_version.components.order_by("position").first()


# -- types ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "make", "content_type"),
    [
        ("giay-chung-sinh.pdf", pdf_bytes, "application/pdf"),
        ("cccd.png", png_bytes, "image/png"),
        ("to-khai.jpg", jpeg_bytes, "image/jpeg"),
    ],
)
def test_pdf_jpeg_and_png_are_accepted_and_stored_under_a_name_that_hides_the_citizens(
    desk_and_dossier, settings, name, make, content_type
):
    # given a received dossier and a real file
    s, dossier = desk_and_dossier
    data = make()
    # when the desk officer uploads it for the first component
    doc = documents.document_upload(
        actor=s.desk,
        dossier=dossier,
        component_id=first_component(dossier).id,
        upload=SimpleUploadedFile(name, data, content_type="application/x-anything"),
    )
    # then its type comes from the bytes, the hash is of the bytes, and the stored name is random
    assert doc.content_type == content_type and doc.size == len(data)
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.original_name == name and doc.applicant_id_number == APPLICANT.id_number
    assert doc.uploaded_by == s.desk
    year_month = timezone.localtime(doc.uploaded_at).strftime("%Y/%m")
    assert doc.file.name.startswith(f"dossiers/{year_month}/{doc.sha256[:2]}/")
    assert doc.file.name.endswith(
        "." + {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}[content_type]
    )
    assert Path(name).stem not in doc.file.name
    with default_storage.open(doc.file.name, "rb") as stored:
        assert stored.read() == data
    assert len(stored_files(settings)) == 1


def test_a_png_named_pdf_is_kept_as_a_png():
    s, v = staffed_center(), version()
    dossier = receive(s, v, when=at("2026-03-02 09:00"))
    doc = documents.document_upload(
        actor=s.desk, dossier=dossier, component_id=None, upload=("scan.pdf", png_bytes())
    )
    assert doc.content_type == "image/png" and doc.file.name.endswith(".png")
    assert doc.original_name == "scan.pdf"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("scan.pdf", EXE),
        ("scan.exe", EXE),
        ("ghi-chu.pdf", "Giấy chứng sinh số 12".encode()),
        ("page.pdf", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_anything_but_pdf_jpeg_png_content_is_refused_whatever_its_name(
    desk_and_dossier, settings, name, data
):
    s, dossier = desk_and_dossier
    with pytest.raises(ValidationFailed) as excinfo:
        documents.document_upload(
            actor=s.desk,
            dossier=dossier,
            component_id=None,
            upload=SimpleUploadedFile(name, data, content_type="application/pdf"),
        )
    assert excinfo.value.code == "file_type"
    assert f"“{name}” is not a PDF, JPEG or PNG file." == excinfo.value.message
    assert not Document.objects.exists() and stored_files(settings) == []


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (pdf_bytes(password="secret"), "pdf_encrypted"),
        (b"%PDF-1.7\n" + b"x" * 500, "pdf_damaged"),
        (pdf_bytes()[:200], "pdf_damaged"),
    ],
    ids=["encrypted", "garbage", "truncated"],
)
def test_an_encrypted_or_damaged_pdf_is_refused(desk_and_dossier, settings, data, code):
    s, dossier = desk_and_dossier
    with pytest.raises(ValidationFailed) as excinfo:
        documents.document_upload(
            actor=s.desk, dossier=dossier, component_id=None, upload=("ho-so.pdf", data)
        )
    assert excinfo.value.code == code and "“ho-so.pdf”" in excinfo.value.message
    assert not Document.objects.exists() and stored_files(settings) == []


# -- size -----------------------------------------------------------------------------------------
def test_a_file_over_the_configured_limit_is_refused_and_one_at_the_limit_accepted(
    desk_and_dossier, settings
):
    s, dossier = desk_and_dossier
    data = pdf_bytes()
    settings.MOTCUA_MAX_UPLOAD_BYTES = len(data) - 1
    with pytest.raises(ValidationFailed) as excinfo:
        documents.document_upload(actor=s.desk, dossier=dossier, component_id=None, upload=("lon.pdf", data))
    assert excinfo.value.code == "file_too_large" and "“lon.pdf”" in excinfo.value.message
    assert not Document.objects.exists() and stored_files(settings) == []
    settings.MOTCUA_MAX_UPLOAD_BYTES = len(data)
    assert documents.document_upload(
        actor=s.desk, dossier=dossier, component_id=None, upload=("lon.pdf", data)
    ).size == len(data)


def test_the_limit_is_counted_on_the_bytes_read_not_the_declared_size(desk_and_dossier, settings):
    # given an upload that under-declares its size
    s, dossier = desk_and_dossier
    settings.MOTCUA_MAX_UPLOAD_BYTES = 1000
    upload = SimpleUploadedFile("x.png", png_bytes() + b"\x00" * 2000)
    upload.size = 10
    with pytest.raises(ValidationFailed) as excinfo:
        documents.document_upload(actor=s.desk, dossier=dossier, component_id=None, upload=upload)
    assert excinfo.value.code == "file_too_large"


def test_the_default_limit_is_20_mib(settings):
    del settings.MOTCUA_MAX_UPLOAD_BYTES
    assert documents.max_upload_bytes() == 20 * 1024 * 1024


def test_an_empty_file_is_refused(desk_and_dossier, settings):
    s, dossier = desk_and_dossier
    with pytest.raises(ValidationFailed) as excinfo:
        documents.document_upload(actor=s.desk, dossier=dossier, component_id=None, upload=("trong.pdf", b""))
    assert excinfo.value.code == "file_empty" and excinfo.value.message == "“trong.pdf” is empty."
    assert not Document.objects.exists() and stored_files(settings) == []


# -- names, hashes, retries -----------------------------------------------------------------------
def test_the_original_name_is_nfc_without_folders_or_control_characters_and_at_most_255():
    decomposed = unicodedata.normalize("NFD", "Giấy chứng sinh.pdf")
    assert documents.clean_file_name(f"C:\\Users\\An\\  {decomposed} ") == "Giấy chứng sinh.pdf"
    assert documents.clean_file_name("scan\u202efdp.exe\x00") == "scanfdp.exe"
    long = documents.clean_file_name("ả" * 300 + ".pdf")
    assert len(long) == 255 and long.endswith(".pdf")


def test_the_same_bytes_uploaded_again_return_the_first_row(desk_and_dossier, settings):
    # given a scan already uploaded for a component
    s, dossier = desk_and_dossier
    component = first_component(dossier)
    data = pdf_bytes()
    first = documents.document_upload(
        actor=s.desk, dossier=dossier, component_id=component.id, upload=("a.pdf", data)
    )
    # when the browser retries the same upload (even under another name)
    again = documents.document_upload(
        actor=s.desk, dossier=dossier, component_id=component.id, upload=("a (1).pdf", data)
    )
    # then the first row comes back and no second file is stored
    assert again.pk == first.pk
    assert Document.objects.count() == 1 and len(stored_files(settings)) == 1
    # but the same bytes for another component are a separate paper
    other = documents.document_upload(
        actor=s.desk, dossier=dossier, component_id=None, upload=("a.pdf", data)
    )
    assert other.pk != first.pk and Document.objects.count() == 2


def test_the_given_instant_is_the_upload_time_and_names_the_folder(desk_and_dossier):
    s, dossier = desk_and_dossier
    doc = documents.document_upload(
        actor=s.desk,
        dossier=dossier,
        component_id=None,
        upload=("a.png", png_bytes()),
        at=at("2026-01-01 06:00"),
    )
    assert doc.file.name.startswith("dossiers/2026/01/")
    assert Document.objects.get(pk=doc.pk).uploaded_at == at("2026-01-01 06:00")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_of_one_upload_make_one_row_and_one_file(settings):
    # given a dossier and a slow connection whose browser sends the same scan eight times at once
    s, v = staffed_center(), version()
    dossier = receive(s, v, when=at("2026-03-02 09:00"))
    data = pdf_bytes()
    start = threading.Barrier(8)

    def upload(_):
        try:
            start.wait()
            return documents.document_upload(
                actor=s.desk, dossier=dossier, component_id=None, upload=("a.pdf", data)
            ).pk
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = set(pool.map(upload, range(8)))
    # then the dossier lock made them one row and one stored file
    assert len(ids) == 1 and Document.objects.count() == 1
    assert len(stored_files(settings)) == 1


# -- rules ----------------------------------------------------------------------------------------
def test_a_component_of_another_procedure_is_refused(desk_and_dossier, settings):
    s, dossier = desk_and_dossier
    foreign = first_component(receive(s, version(), when=at("2026-03-02 10:00")))
    for component_id in (foreign.id, 999_999, "abc"):
        with pytest.raises(ValidationFailed) as excinfo:
            documents.document_upload(
                actor=s.desk, dossier=dossier, component_id=component_id, upload=("a.pdf", pdf_bytes())
            )
        assert excinfo.value.field == "component" and "“a.pdf”" in excinfo.value.message
    assert not Document.objects.exists() and stored_files(settings) == []


def test_staff_of_another_commune_cannot_upload_and_nothing_is_stored(desk_and_dossier, settings):
    # given a dossier of one commune and the staff of another
    s, dossier = desk_and_dossier
    other = staffed_center()
    before = Document.objects.count()
    # when they try to add a scan, then the dossier does not exist for them
    for actor in (other.desk, other.leader, factories.user()):
        with pytest.raises((NotFound, PermissionDenied)):
            documents.document_upload(
                actor=actor, dossier=dossier, component_id=None, upload=("a.pdf", pdf_bytes())
            )
    assert Document.objects.count() == before and stored_files(settings) == []


def test_staff_of_the_handling_center_of_a_boundary_free_dossier_may_upload():
    s = staffed_center()
    there = staffed_center(factories.commune(province_obj=s.center.commune.province))
    dossier = receive(
        s, version(boundary_free=True), when=at("2026-03-02 09:00"), handling_center=there.center
    )
    doc = documents.document_upload(
        actor=there.specialist, dossier=dossier, component_id=None, upload=("a.pdf", pdf_bytes())
    )
    assert doc.uploaded_by == there.specialist


def test_no_upload_to_a_returned_dossier(settings):
    s, v = staffed_center(), version()
    dossier = receive(s, v, when=at("2026-03-02 09:00"))
    dossier.state = State.RETURNED  # the lifecycle is tested elsewhere; only the state matters here
    dossier.save(update_fields=["state"])
    with pytest.raises(DomainError) as excinfo:
        documents.document_upload(
            actor=s.desk, dossier=dossier, component_id=None, upload=("a.pdf", pdf_bytes())
        )
    assert excinfo.value.code == "dossier_closed" and "“a.pdf”" in excinfo.value.message
    assert not Document.objects.exists() and stored_files(settings) == []


def test_the_applicant_uploads_online_only_while_papers_are_awaited(settings):
    # given an online submission
    s, v = staffed_center(), version()
    dossier = services.dossier_submit_online(
        center=s.center,
        procedure_version=v,
        applicant=APPLICANT,
        components=all_provided(v),
        at=at("2026-03-02 21:00"),
    )
    # when the portal adds the citizen's scan (no actor), then it is kept without an uploader
    doc = documents.document_upload(
        actor=None, dossier=dossier, component_id=None, upload=("a.jpg", jpeg_bytes())
    )
    assert doc.uploaded_by is None and doc.content_type == "image/jpeg"
    # and once a desk officer has received it, the portal can no longer add papers
    services.dossier_act(actor=s.desk, dossier=dossier, action="receive", at=at("2026-03-03 08:00"))
    with pytest.raises(PermissionDenied):
        documents.document_upload(
            actor=None, dossier=dossier, component_id=None, upload=("b.png", png_bytes())
        )
    assert Document.objects.count() == 1 and len(stored_files(settings)) == 1


def test_a_failed_database_write_leaves_no_file_in_storage(desk_and_dossier, settings, monkeypatch):
    # given a database that refuses the row after the file was stored
    s, dossier = desk_and_dossier

    def broken_create(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Document.objects, "create", broken_create)
    with pytest.raises(RuntimeError):
        documents.document_upload(
            actor=s.desk, dossier=dossier, component_id=None, upload=("a.pdf", pdf_bytes())
        )
    # then the stored file is deleted again
    assert stored_files(settings) == []


def test_a_failure_later_in_the_same_call_inside_an_outer_transaction_removes_the_file(
    desk_and_dossier, settings, monkeypatch
):
    s, dossier = desk_and_dossier

    def failing_stamp(document, at):
        raise RuntimeError("boom")

    monkeypatch.setattr(documents, "_stamp", failing_stamp)
    with transaction.atomic():
        with pytest.raises(RuntimeError):
            documents.document_upload(
                actor=s.desk,
                dossier=dossier,
                component_id=None,
                upload=("a.pdf", pdf_bytes()),
                at=at("2026-03-02 10:00"),
            )
        assert not Document.objects.exists()
    assert stored_files(settings) == []


def test_the_sweep_deletes_old_unreferenced_files_and_keeps_the_rest(desk_and_dossier, settings):
    # given a kept scan, an old orphan (an outer transaction rolled back) and a fresh one
    s, dossier = desk_and_dossier
    kept = documents.document_upload(
        actor=s.desk, dossier=dossier, component_id=None, upload=("a.pdf", pdf_bytes())
    )
    old = default_storage.save("dossiers/2026/03/ab/old.png", io.BytesIO(png_bytes()))
    fresh = default_storage.save("dossiers/2026/03/ab/fresh.png", io.BytesIO(png_bytes()))
    two_days_ago = (timezone.now() - timedelta(days=2)).timestamp()
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))
    os.utime(default_storage.path(kept.file.name), (two_days_ago, two_days_ago))
    # when the sweep runs, then only the old orphan goes
    assert documents.orphan_files_sweep(dry_run=True) == [old]
    assert default_storage.exists(old)
    assert documents.orphan_files_sweep() == [old]
    assert not default_storage.exists(old)
    assert default_storage.exists(fresh) and default_storage.exists(kept.file.name)


# -- viewing --------------------------------------------------------------------------------------
def test_a_scan_opens_inline_for_the_dossiers_staff_and_not_elsewhere(desk_and_dossier):
    s, dossier = desk_and_dossier
    data = png_bytes()
    doc = documents.document_upload(
        actor=s.desk, dossier=dossier, component_id=None, upload=("cccd.png", data)
    )
    handle, content_type, filename = documents.document_open(user=s.leader, document_id=doc.pk)
    with handle:
        assert handle.read() == data
    assert (content_type, filename) == ("image/png", "cccd.png")
    handle, _type, _name = documents.document_open(user=s.province_admin, document_id=str(doc.pk))
    handle.close()
    other = staffed_center()
    for user, document_id in ((other.desk, doc.pk), (None, doc.pk), (s.desk, "x"), (s.desk, 999_999)):
        with pytest.raises(NotFound):
            documents.document_open(user=user, document_id=document_id)


# -- re-use ---------------------------------------------------------------------------------------
def test_a_later_dossier_of_the_same_applicant_reuses_an_earlier_scan_without_copying_it(settings):
    # given an earlier dossier with a scanned birth certificate
    s = staffed_center()
    v1 = version(components=("Tờ khai", "Giấy chứng sinh"))
    first = receive(s, v1, when=at("2026-03-02 09:00"))
    cert1 = first.procedure_version.components.get(name="Giấy chứng sinh")
    scan = documents.document_upload(
        actor=s.desk, dossier=first, component_id=cert1.id, upload=("khai-sinh.pdf", pdf_bytes())
    )
    documents.document_upload(
        actor=s.desk, dossier=first, component_id=None, upload=("khac.png", png_bytes())
    )
    # and a new dossier of the same applicant, at another commune, whose component is spelled without accents
    there = staffed_center(factories.commune(province_obj=s.center.commune.province))
    second = receive(there, version(components=("Giay chung sinh",)), when=at("2026-03-10 09:00"))
    cert2 = first_component(second)
    # when its desk officer lists the applicant's earlier papers of that component
    listed = documents.reusable_documents(
        applicant_id_number=second.applicant_id_number, component_name=cert2.name, exclude_dossier=second
    )
    assert list(listed) == [scan]
    files_before = stored_files(settings)
    # and re-uses the scan, the citizen's card having been scanned at that desk (their consent)
    presence_record(officer=there.desk, center=there.center, id_number=APPLICANT.id_number, raw_card="qr")
    reused = documents.document_reuse(
        actor=there.desk, dossier=second, component_id=cert2.id, source_document_id=scan.pk
    )
    # then the new row names the same stored file and points to the origin; no bytes were copied
    assert reused.dossier == second and reused.reused_from == scan
    assert (reused.file.name, reused.sha256, reused.size, reused.content_type, reused.original_name) == (
        scan.file.name,
        scan.sha256,
        scan.size,
        scan.content_type,
        scan.original_name,
    )
    assert stored_files(settings) == files_before
    # re-using it again returns the same row
    again = documents.document_reuse(
        actor=there.desk, dossier=second, component_id=cert2.id, source_document_id=scan.pk
    )
    assert again.pk == reused.pk
    # a third dossier re-using the re-use points to the origin
    third = receive(s, v1, when=at("2026-03-20 09:00"))
    from_reuse = documents.document_reuse(
        actor=s.desk, dossier=third, component_id=None, source_document_id=reused.pk
    )
    assert from_reuse.reused_from_id == scan.pk
    assert stored_files(settings) == files_before
    # the listing is newest first, and the re-used file opens for the second dossier's staff
    everything = documents.reusable_documents(applicant_id_number=APPLICANT.id_number)
    assert [d.pk for d in everything][0] == from_reuse.pk and everything.count() == 4
    handle, _type, _name = documents.document_open(user=there.desk, document_id=reused.pk)
    handle.close()


def test_reusable_documents_need_an_id_number():
    assert not documents.reusable_documents(applicant_id_number="  ").exists()


def test_reuse_across_applicants_is_refused_as_if_the_document_did_not_exist(settings):
    s, v = staffed_center(), version()
    mine = receive(s, v, when=at("2026-03-02 09:00"))
    scan = documents.document_upload(
        actor=s.desk, dossier=mine, component_id=None, upload=("a.pdf", pdf_bytes())
    )
    someone_else = receive(
        s,
        v,
        when=at("2026-03-03 09:00"),
        applicant=services.Applicant(name="Lê Văn Bình", id_number="087190009999"),
    )
    nobody = receive(s, v, when=at("2026-03-03 10:00"), applicant=services.Applicant(name="Không Giấy Tờ"))
    with pytest.raises(NotFound) as excinfo:
        documents.document_reuse(
            actor=s.desk, dossier=someone_else, component_id=None, source_document_id=scan.pk
        )
    assert "a.pdf" not in excinfo.value.message
    with pytest.raises(ValidationFailed):
        documents.document_reuse(actor=s.desk, dossier=nobody, component_id=None, source_document_id=scan.pk)
    assert not documents.reusable_documents(applicant_id_number=someone_else.applicant_id_number).exists()
    assert Document.objects.count() == 1


def test_reuse_follows_the_upload_rules_for_who_and_when(settings):
    s, v = staffed_center(), version()
    earlier = receive(s, v, when=at("2026-03-02 09:00"))
    scan = documents.document_upload(
        actor=s.desk, dossier=earlier, component_id=None, upload=("a.pdf", pdf_bytes())
    )
    later = receive(s, v, when=at("2026-03-03 09:00"))
    with pytest.raises(NotFound):
        documents.document_reuse(
            actor=staffed_center().desk, dossier=later, component_id=None, source_document_id=scan.pk
        )
    with pytest.raises(ValidationFailed):
        documents.document_reuse(
            actor=s.desk,
            dossier=later,
            component_id=first_component(receive(s, version(), when=at("2026-03-03 10:00"))).id,
            source_document_id=scan.pk,
        )
    later.state = State.WITHDRAWN
    later.save(update_fields=["state"])
    with pytest.raises(DomainError) as excinfo:
        documents.document_reuse(actor=s.desk, dossier=later, component_id=None, source_document_id=scan.pk)
    assert excinfo.value.code == "dossier_closed"
    assert Document.objects.count() == 1
