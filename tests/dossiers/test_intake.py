import re

import pytest

from motcua.core.errors import DomainError, PermissionDenied, ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierEvent, State
from tests import factories

from .support import APPLICANT, all_provided, at, receive, staffed_center, version

pytestmark = pytest.mark.django_db


def test_a_complete_dossier_is_received_with_a_code_and_an_appointment():
    # given a staffed center and a 3-working-day procedure
    s, v = staffed_center(), version()
    # when the desk officer receives a complete dossier on Friday 13 Feb 2026 at 10:00
    dossier = receive(s, v, when=at("2026-02-13 10:00"))
    # then it has a code of that agency and day, and is due after Tết (16-20 Feb off)
    assert re.fullmatch(rf"{re.escape(s.center.agency_code)}-260213-0001", dossier.code)
    assert dossier.state == State.RECEIVED
    assert dossier.due_at == at("2026-02-25 17:00")
    assert dossier.counted and dossier.secret and len(dossier.secret) == 10
    assert dossier.applicant_name == "Trần Thị Ánh Nguyệt"
    [event] = DossierEvent.objects.filter(dossier=dossier)
    assert event.action == "intake" and event.to_state == State.RECEIVED and event.actor == s.desk


def test_paper_dossier_waits_for_transfer_until_close_or_next_morning_after_cutoff():
    s, v = staffed_center(), version()
    before = receive(s, v, when=at("2026-03-02 14:59"))
    after = receive(s, v, when=at("2026-03-02 15:01"))
    assert before.state == State.RECEIVED and before.step_due_at == at("2026-03-02 17:00")
    assert after.step_due_at == at("2026-03-03 11:30")


def test_electronic_dossier_goes_to_the_department_at_once():
    s, v = staffed_center(), version()
    dossier = receive(s, v, when=at("2026-03-02 10:00"), channel="kiosk")
    assert dossier.state == State.IN_PROGRESS
    assert dossier.step_position == 2  # the specialist's review: reception was the intake itself
    assert dossier.department.code == "VP"
    assert [e.action for e in dossier.events.all()] == ["intake", "transfer"]


def test_incomplete_dossier_gets_every_missing_component_at_once_and_no_code():
    s = staffed_center()
    v = version(components=("Tờ khai", "Giấy chứng sinh", "Giấy tờ tùy thân"))
    first, second, third = v.components.all()
    result = services.dossier_intake(
        actor=s.desk,
        center=s.center,
        procedure_version=v,
        channel="counter",
        applicant=APPLICANT,
        components=[
            services.ComponentCheck(first.id, True, problem="Ảnh mờ, không đọc được"),
            services.ComponentCheck(second.id, False),
        ],
        at=at("2026-03-02 09:00"),
    )
    assert result.dossier.state == State.RECEPTION_SUPPLEMENT
    assert result.dossier.code is None and not result.dossier.counted
    assert [p["name"] for p in result.missing] == ["Tờ khai", "Giấy chứng sinh", "Giấy tờ tùy thân"]
    assert result.missing[0]["problem"] == "Ảnh mờ, không đọc được"


def test_conditional_component_is_required_only_when_the_officer_says_its_condition_applies():
    s = staffed_center()
    v = version(components=("Tờ khai", "Văn bản ủy quyền"))
    form, proxy = v.components.all()
    proxy.mandatory = False
    proxy.save()
    ok = services.dossier_intake(
        actor=s.desk,
        center=s.center,
        procedure_version=v,
        channel="counter",
        applicant=APPLICANT,
        components=[services.ComponentCheck(form.id, True)],
        at=at("2026-03-02 09:00"),
    )
    needed = services.dossier_intake(
        actor=s.desk,
        center=s.center,
        procedure_version=v,
        channel="counter",
        applicant=APPLICANT,
        components=[
            services.ComponentCheck(form.id, True),
            services.ComponentCheck(proxy.id, False, required=True),
        ],
        at=at("2026-03-02 09:00"),
    )
    assert ok.dossier.state == State.RECEIVED
    assert needed.dossier.state == State.RECEPTION_SUPPLEMENT


def test_refusal_at_reception_needs_a_reason_and_then_records_it():
    s, v = staffed_center(), version()
    with pytest.raises(ValidationFailed):
        receive(s, v, when=at("2026-03-02 09:00"), decision="refuse")
    assert not Dossier.objects.exists()
    dossier = receive(
        s,
        v,
        when=at("2026-03-02 09:00"),
        decision="refuse",
        reason="Không thuộc thẩm quyền giải quyết của UBND xã",
    )
    assert dossier.state == State.RECEPTION_REFUSED and dossier.code is None
    assert dossier.events.get().reason == "Không thuộc thẩm quyền giải quyết của UBND xã"


def test_receiving_an_incomplete_dossier_explicitly_is_refused_and_changes_nothing():
    s, v = staffed_center(), version()
    with pytest.raises(DomainError) as excinfo:
        receive(s, v, when=at("2026-03-02 09:00"), components=[], decision="receive")
    assert excinfo.value.code == "incomplete"
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()


def test_only_a_desk_officer_of_the_center_receives():
    s, other, v = staffed_center(), staffed_center(), version()
    for actor in (s.specialist, other.desk):
        with pytest.raises(PermissionDenied):
            services.dossier_intake(
                actor=actor,
                center=s.center,
                procedure_version=v,
                channel="counter",
                applicant=APPLICANT,
                components=all_provided(v),
            )
    assert not Dossier.objects.exists()


def test_postal_dossier_needs_its_tracking_number():
    s, v = staffed_center(), version()
    with pytest.raises(ValidationFailed):
        receive(s, v, when=at("2026-03-02 09:00"), channel="post")
    dossier = receive(
        s, v, when=at("2026-03-02 09:00"), channel="post", postal_tracking_number="EL123456789VN"
    )
    assert dossier.postal_tracking_number == "EL123456789VN"


def test_codes_count_per_agency_and_day_and_restart_the_next_day():
    s, v = staffed_center(), version()
    codes = [
        receive(s, v, when=at(t)).code for t in ("2026-03-02 08:00", "2026-03-02 09:00", "2026-03-03 08:00")
    ]
    assert [c.rsplit("-", 2)[1:] for c in codes] == [
        ["260302", "0001"],
        ["260302", "0002"],
        ["260303", "0001"],
    ]


def test_applicant_text_is_normalized_to_nfc():
    import unicodedata

    s, v = staffed_center(), version()
    decomposed = unicodedata.normalize("NFD", "Lê Thị Ngọc Ánh")
    dossier = receive(
        s, v, when=at("2026-03-02 09:00"), applicant=services.Applicant(name=f"  {decomposed} ")
    )
    assert dossier.applicant_name == "Lê Thị Ngọc Ánh"


def test_boundary_free_dossier_records_both_units_and_is_forwarded():
    s = staffed_center()
    there = staffed_center(factories.commune(province_obj=s.center.commune.province))
    v = version(boundary_free=True)
    dossier = receive(s, v, when=at("2026-03-02 09:00"), handling_center=there.center, channel="kiosk")
    assert dossier.boundary_free and dossier.receiving_center == s.center and dossier.center == there.center
    assert dossier.code.startswith(s.center.agency_code)
    transfer = dossier.events.get(action="transfer")
    assert transfer.payload["handling_center"] == there.center.agency_code
    # the handling center's specialist now sees and acts on it; the receiving desk returns it
    assert "forward" in services.available_actions(dossier, there.specialist)
    assert "forward" not in services.available_actions(dossier, s.specialist)


def test_boundary_free_is_refused_for_a_procedure_not_on_the_list_or_another_province():
    s = staffed_center()
    neighbour = staffed_center(factories.commune(province_obj=s.center.commune.province))
    far = staffed_center(factories.commune(province_obj=factories.province("01", "Hà Nội")))
    with pytest.raises(DomainError) as excinfo:
        receive(s, version(), when=at("2026-03-02 09:00"), handling_center=neighbour.center)
    assert excinfo.value.code == "not_boundary_free"
    with pytest.raises(DomainError) as excinfo:
        receive(s, version(boundary_free=True), when=at("2026-03-02 09:00"), handling_center=far.center)
    assert excinfo.value.code == "other_province"
    assert not Dossier.objects.exists()


def test_online_submission_gets_code_and_secret_then_is_received_by_a_desk_officer():
    s, v = staffed_center(), version()
    dossier = services.dossier_submit_online(
        center=s.center,
        procedure_version=v,
        applicant=APPLICANT,
        components=all_provided(v),
        at=at("2026-03-02 21:30"),
    )
    assert dossier.state == State.SUBMITTED and dossier.code.endswith("-260302-0001") and dossier.secret
    assert not dossier.counted
    received = services.dossier_act(
        actor=s.desk, dossier=dossier, action="receive", at=at("2026-03-03 08:00")
    )
    assert received.state == State.IN_PROGRESS and received.counted
    assert received.due_at == at("2026-03-06 17:00")
