"""Issue 10, "what operators need": who opened which dossier, document or slip, listed which
re-usable papers and exported which report; append-only, scoped to the administrators' units,
purged after the retention time, one INSERT on hot pages."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.dossiers import documents
from motcua.security.models import AppendOnlyError, ReadAudit
from motcua.security.services import purge_expired_read_audit, read_record
from motcua.units.models import Role
from tests import factories
from tests.staff.support import birth_registration, pdf_bytes, receive, signed_in, staffed, verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    a = staffed(prefix="a-")
    b = staffed(factories.commune(province_obj=a.center.commune.province), prefix="b-")
    v = birth_registration()
    dossier = receive(a, v)
    doc = documents.document_upload(
        actor=a.desk, dossier=dossier, component_id=None, upload=("a.pdf", pdf_bytes())
    )
    return a, b, v, dossier, doc


def audit_inserts(queries) -> list[str]:
    return [q["sql"] for q in queries if "security_readaudit" in q["sql"]]


def test_opening_a_dossier_page_costs_one_insert_and_records_who_and_what(world):
    a, _b, _v, dossier, _doc = world
    client = signed_in(a.specialist)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/ho-so/{dossier.code}/").status_code == 200
    sql = audit_inserts(queries.captured_queries)
    assert len(sql) == 1 and sql[0].lstrip().upper().startswith("INSERT")
    row = ReadAudit.objects.get()
    assert (row.user, row.action, row.channel, row.center_id, row.dossier_id, row.target) == (
        a.specialist,
        "dossier_view",
        "page",
        a.center.pk,
        dossier.pk,
        dossier.code,
    )
    assert row.ip == "127.0.0.1"


def test_documents_slips_and_the_api_are_recorded(world):
    a, _b, _v, dossier, doc = world
    client = signed_in(a.specialist)
    assert client.get(f"/tai-lieu/{doc.pk}/").status_code == 200
    assert client.get(f"/ho-so/{dossier.code}/phieu/01/").status_code == 200
    api = Client(HTTP_AUTHORIZATION=f"Bearer {factories.api_token(a.desk)}")
    assert api.get(f"/api/v1/dossiers/{dossier.code}").status_code == 200
    assert api.get(f"/api/v1/documents/{doc.pk}/file").status_code == 200
    assert api.get(f"/api/v1/dossiers/{dossier.code}/slips/01").status_code == 200
    rows = list(ReadAudit.objects.order_by("id").values_list("user__username", "action", "channel"))
    assert rows == [
        ("a-specialist", "document_view", "page"),
        ("a-specialist", "slip_view", "page"),
        ("a-desk", "dossier_view", "api"),
        ("a-desk", "document_view", "api"),
        ("a-desk", "slip_view", "api"),
    ]
    assert ReadAudit.objects.filter(action="document_view").first().detail == {"document": doc.pk}


def test_a_report_export_is_recorded(world):
    a, *_rest = world
    client = verified_client(a.leader)
    response = client.get(f"/bao-cao/trung-tam/{a.center.pk}/dinh-ky/?export=csv")
    assert response.status_code == 200
    row = ReadAudit.objects.get(action="report_export")
    assert row.user == a.leader and row.center_id == a.center.pk and row.target.endswith(".csv")


def test_the_audit_is_append_only():
    user = factories.user(Role.DESK_OFFICER)
    row = read_record(user=user, action="dossier_view", target="X")
    row.target = "Y"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        ReadAudit.objects.filter(pk=row.pk).update(target="Y")
    with pytest.raises(AppendOnlyError):
        ReadAudit.objects.all().delete()
    assert ReadAudit.objects.get().target == "X"


def test_the_admin_shows_the_audit_read_only_to_superusers(world):
    a, *_rest = world
    read_record(user=a.desk, action="dossier_view", center_id=a.center.pk, target="X")
    root = factories.user(is_superuser=True, is_staff=True)
    admin = verified_client(root)
    row = ReadAudit.objects.get()
    assert admin.get("/admin/security/readaudit/").status_code == 200
    assert admin.post(f"/admin/security/readaudit/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ReadAudit.objects.filter(pk=row.pk).exists()


def test_center_administrators_see_their_center_and_province_administrators_their_province(world):
    a, b, _v, dossier, _doc = world
    signed_in(a.specialist).get(f"/ho-so/{dossier.code}/")
    other = receive(b, birth_registration(national_code="1.999777"))
    signed_in(b.specialist).get(f"/ho-so/{other.code}/")
    page_a = verified_client(a.admin).get("/nhat-ky-truy-cap/").content.decode()
    assert dossier.code in page_a and other.code not in page_a
    page_b = verified_client(b.admin).get("/nhat-ky-truy-cap/").content.decode()
    assert other.code in page_b and dossier.code not in page_b
    province = factories.user(Role.PROVINCE_ADMIN, province_obj=a.center.commune.province)
    page_p = verified_client(province).get("/nhat-ky-truy-cap/").content.decode()
    assert dossier.code in page_p and other.code in page_p
    assert signed_in(a.desk).get("/nhat-ky-truy-cap/").status_code == 403


def test_rows_older_than_the_retention_are_purged(settings):
    settings.MOTCUA_READ_AUDIT_DAYS = 30
    user = factories.user(Role.DESK_OFFICER)
    old = read_record(user=user, action="dossier_view", target="old")
    new = read_record(user=user, action="dossier_view", target="new")
    from django.db import connection as conn

    with conn.cursor() as cursor:  # age one row (the app itself cannot update audit rows)
        cursor.execute(
            "UPDATE security_readaudit SET at = %s WHERE id = %s",
            [timezone.now() - timedelta(days=31), old.pk],
        )
    assert purge_expired_read_audit() == 1
    assert list(ReadAudit.objects.values_list("pk", flat=True)) == [new.pk]
    assert purge_expired_read_audit(days=0, now=timezone.now() + timedelta(seconds=1)) == 1


def test_the_purge_command_reports_what_it_removed():
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("purge_read_audit", stdout=out)
    assert "0 read-audit rows older than 365 days" in out.getvalue()


def test_a_forged_forwarded_address_is_not_stored_and_breaks_nothing(world, settings):
    settings.TRUST_X_FORWARDED_FOR = True
    a, _b, _v, dossier, _doc = world
    client = signed_in(a.specialist)
    assert (
        client.get(f"/ho-so/{dossier.code}/", HTTP_X_FORWARDED_FOR="not-an-ip, 10.0.0.1").status_code == 200
    )
    assert client.get(f"/ho-so/{dossier.code}/", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 200
    assert list(ReadAudit.objects.order_by("id").values_list("ip", flat=True)) == [None, "203.0.113.9"]
