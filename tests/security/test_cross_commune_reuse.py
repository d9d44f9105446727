"""Issue 10, defect 3: another commune's scans need the citizen at the desk (card scanned), show
only what the procedure needs, and are recorded; defect 4: province roles only read."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.dossiers import documents
from motcua.dossiers.models import Document, Dossier
from motcua.security.models import CitizenPresence, ReadAudit
from motcua.units.models import Role
from tests import factories
from tests.staff.support import (
    CARD,
    birth_registration,
    pdf_bytes,
    receive,
    signed_in,
    staffed,
    verified_client,
)

pytestmark = pytest.mark.django_db
ID = "087190001234"


@pytest.fixture
def world():
    here = staffed(prefix="a-")
    there = staffed(factories.commune(province_obj=here.center.commune.province), prefix="b-")
    v = birth_registration()
    earlier = receive(here, v)
    declaration, certificate = v.components.all()
    cert = documents.document_upload(
        actor=here.desk, dossier=earlier, component_id=certificate.pk, upload=("gcs.pdf", pdf_bytes("GCS"))
    )
    other = documents.document_upload(
        actor=here.desk, dossier=earlier, component_id=None, upload=("so-ho-khau.pdf", pdf_bytes("SHK"))
    )
    return here, there, v, cert, other


def intake(c, v, **overrides) -> dict:
    first, second = v.components.all()
    data = {
        "p": v.procedure.national_code,
        "idempotency_key": "key-x",
        "center": c.center.pk,
        "applicant_name": "Trần Thị Ánh Nguyệt",
        "id_number": ID,
        "birth_date": "15/03/1990",
        "address": "Ấp 3, xã Mỹ An Hưng",
        "phone": "0909123456",
        "channel": "counter",
        "result_delivery": "counter",
        f"provided-{first.pk}": "1",
        "decision": "receive",
        "reason": "",
    }
    data.update(overrides)
    return data


def test_a_typed_id_number_lists_no_papers_of_another_commune(world):
    here, there, v, cert, other = world
    client = signed_in(there.desk)
    fragment = client.get(f"/quay/giay-to-cu/?id_number={ID}&p={v.procedure.national_code}").content.decode()
    assert "gcs.pdf" not in fragment and "so-ho-khau.pdf" not in fragment
    assert f'name="reuse-{cert.pk}"' not in fragment
    # the same typed number at the commune that keeps the papers lists them, as before
    own = signed_in(here.desk).get(f"/quay/giay-to-cu/?id_number={ID}&p={v.procedure.national_code}")
    assert f'name="reuse-{cert.pk}"' in own.content.decode() and "so-ho-khau.pdf" in own.content.decode()
    assert ReadAudit.objects.filter(action="reusable_list").count() == 2


def test_the_card_scanned_at_the_desk_shows_only_the_papers_the_procedure_needs(world):
    here, there, v, cert, other = world
    client = signed_in(there.desk)
    page = client.post(
        "/quay/quet-the/", {"scan": CARD, "p": v.procedure.national_code, "center": there.center.pk}
    ).content.decode()
    assert f'name="reuse-{cert.pk}"' in page and "gcs.pdf" in page
    assert "so-ho-khau.pdf" not in page  # not a component of birth registration
    proof = CitizenPresence.objects.get()
    assert (proof.officer, proof.center, proof.id_number) == (there.desk, there.center, ID)
    assert len(proof.card_digest) == 64 and CARD not in proof.card_digest
    # the proof is the officer's own: a colleague who did not scan still sees nothing
    colleague = factories.user(Role.DESK_OFFICER, center_obj=there.center)
    assert (
        "gcs.pdf"
        not in signed_in(colleague)
        .get(f"/quay/giay-to-cu/?id_number={ID}&p={v.procedure.national_code}")
        .content.decode()
    )

    second = v.components.all()[1]
    response = client.post("/quay/", intake(there, v, **{f"reuse-{cert.pk}": str(second.pk)}))
    assert response.status_code == 303
    reused = Dossier.objects.get(receiving_center=there.center).documents.get()
    assert reused.reused_from_id == cert.pk
    audit = ReadAudit.objects.get(action="document_reuse")
    assert audit.user == there.desk and audit.detail["presence"] == proof.pk
    assert audit.other_center_id == here.center.pk  # visible to the commune that kept the paper


def test_re_use_without_the_card_is_refused_and_nothing_is_made(world):
    here, there, v, cert, other = world
    second = v.components.all()[1]
    response = signed_in(there.desk).post("/quay/", intake(there, v, **{f"reuse-{cert.pk}": str(second.pk)}))
    assert response.status_code == 403
    assert "quét thẻ căn cước" in response.content.decode()
    assert not Dossier.objects.filter(receiving_center=there.center).exists()


def test_the_api_follows_the_same_rule(world):
    here, there, v, cert, other = world
    mine = receive(there, v)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {factories.api_token(there.desk)}")
    listed = api.get(f"/api/v1/dossiers/{mine.code}/reusable-documents").json()
    assert listed == []
    refused = api.post(
        f"/api/v1/dossiers/{mine.code}/documents/reuse",
        data=json.dumps({"source_document": cert.pk}),
        content_type="application/json",
    )
    assert refused.status_code == 403 and refused.json()["code"] == "citizen_consent_needed"
    # after the card was scanned at this officer's desk: only the needed paper, re-usable
    signed_in(there.desk).post("/quay/quet-the/", {"scan": CARD, "p": v.procedure.national_code})
    listed = api.get(f"/api/v1/dossiers/{mine.code}/reusable-documents").json()
    assert [d["id"] for d in listed] == [cert.pk]
    not_needed = api.post(
        f"/api/v1/dossiers/{mine.code}/documents/reuse",
        data=json.dumps({"source_document": other.pk}),
        content_type="application/json",
    )
    assert not_needed.status_code == 403
    done = api.post(
        f"/api/v1/dossiers/{mine.code}/documents/reuse",
        data=json.dumps({"source_document": cert.pk, "component": v.components.all()[1].pk}),
        content_type="application/json",
    )
    assert done.status_code == 201 and done.json()["reused_from"] == cert.pk


# -- defect 4: province roles read, they never write into dossiers ---------------------------------
def test_a_province_administrator_cannot_upload_re_use_or_act_403_with_a_clear_message(world):
    here, there, v, cert, other = world
    dossier = receive(here, v)
    admin = factories.user(Role.PROVINCE_ADMIN, province_obj=here.center.commune.province)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {factories.api_token(admin)}")
    assert api.get(f"/api/v1/dossiers/{dossier.code}").status_code == 200  # reading is fine
    before = Document.objects.count()
    upload = api.post(
        f"/api/v1/dossiers/{dossier.code}/documents",
        {"file": SimpleUploadedFile("a.pdf", pdf_bytes())},
    )
    reuse = api.post(
        f"/api/v1/dossiers/{dossier.code}/documents/reuse",
        data=json.dumps({"source_document": cert.pk}),
        content_type="application/json",
    )
    act = api.post(
        f"/api/v1/dossiers/{dossier.code}/actions/assign",
        data=json.dumps({"assignee": here.specialist.pk}),
        content_type="application/json",
    )
    for response in (upload, reuse, act):
        assert response.status_code == 403, response.content
        assert response.json()["code"] == "permission_denied"
        assert "Quản trị cấp tỉnh chỉ được xem hồ sơ" in response.json()["detail"]
    assert Document.objects.count() == before
    page = verified_client(admin).post(
        f"/ho-so/{dossier.code}/xu-ly/assign/", {"assignee": here.specialist.pk}
    )
    assert page.status_code == 403 and "Quản trị cấp tỉnh chỉ được xem hồ sơ" in page.content.decode()
