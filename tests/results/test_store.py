"""The citizen's results store: a later dossier re-uses a valid earlier result like a scan, the
index counts it, and the "results issued electronically" indicator counts real electronic returns."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Sum

from motcua.core.errors import DomainError
from motcua.dossiers import documents, reuse
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Document
from motcua.reports import rollups
from motcua.reports.index import Inputs, values
from motcua.reports.models import CenterRollup
from motcua.results import services
from motcua.results.models import ResultDocument
from tests import factories

from .support import approve, receive, to_leader

pytestmark = pytest.mark.django_db


@pytest.fixture
def marriage(env):
    version = factories.procedure_version(
        name="Đăng ký kết hôn",
        components=("Tờ khai đăng ký kết hôn", "Giấy xác nhận tình trạng hôn nhân"),
        effective_from=date(2020, 1, 1),
    )
    version.steps.update(department_code="VP")
    return version


def _totals(center) -> dict:
    return CenterRollup.objects.filter(center=center, grain="D").aggregate(
        reused=Sum("reused_dossiers"),
        digitized=Sum("digitized"),
        returned=Sum("returned"),
        electronic=Sum("returned_electronic"),
    )


def test_a_later_dossier_reuses_the_earlier_result_and_the_index_counts_it(env, marriage):
    confirmation = approve(env, to_leader(env, receive(env)))
    kept = ResultDocument.objects.get(dossier=confirmation).store_document
    later = receive(env, marriage)
    offered = reuse.reusable_documents(
        applicant_id_number=later.applicant_id_number, component_name="Giấy xác nhận tình trạng hôn nhân"
    )
    assert list(offered) == [kept]
    component = marriage.components.get(name="Giấy xác nhận tình trạng hôn nhân")
    reused = documents.document_reuse(
        actor=env.desk, dossier=later, component_id=component.id, source_document_id=kept.pk
    )
    assert reused.reused_from_id == kept.pk and reused.file.name == kept.file.name
    assert reused.title == "Giấy xác nhận tình trạng hôn nhân"
    totals = _totals(env.center)
    assert totals["reused"] == 1
    assert totals["digitized"] == 1  # the later dossier's paper; the kept result is not a scan


def test_a_revoked_result_is_neither_offered_nor_reusable(env, marriage):
    confirmation = approve(env, to_leader(env, receive(env)))
    result = ResultDocument.objects.get(dossier=confirmation)
    services.result_revoke(actor=env.leader, result_id=result.pk, reason="Cấp nhầm người")
    later = receive(env, marriage)
    assert not reuse.reusable_documents(applicant_id_number=later.applicant_id_number).exists()
    with pytest.raises(DomainError) as raised:
        documents.document_reuse(
            actor=env.desk, dossier=later, component_id=None, source_document_id=result.store_document_id
        )
    assert raised.value.code == "result_revoked"


def test_electronic_returns_are_what_the_indicator_counts_and_the_rebuild_agrees(env):
    delivered = approve(env, to_leader(env, receive(env)))
    services.result_deliver(dossier=delivered)
    at_counter = approve(env, to_leader(env, receive(env)))
    dossier_services.dossier_act(actor=env.desk, dossier=at_counter, action="return", method="counter")
    totals = _totals(env.center)
    assert (totals["returned"], totals["electronic"]) == (2, 1)
    share = values(Inputs(returned=totals["returned"], returned_electronic=totals["electronic"]))
    assert share["results_electronic"].ratio == 0.5
    live = list(
        CenterRollup.objects.order_by("grain", "period").values("grain", "returned", "returned_electronic")
    )
    rollups.rebuild()
    again = list(
        CenterRollup.objects.order_by("grain", "period").values("grain", "returned", "returned_electronic")
    )
    assert live == again
    assert Document.objects.filter(kind="result").count() == 2
