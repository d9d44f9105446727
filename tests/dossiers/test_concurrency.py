import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from motcua.core import idempotency
from motcua.dossiers import services
from motcua.dossiers.models import CodeSequence, Dossier

from .support import APPLICANT, all_provided, at, staffed_center, version

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL"
)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_intakes_at_one_agency_get_fifty_distinct_gap_free_codes():
    # given one center and one procedure
    s, v = staffed_center(), version()
    checks = all_provided(v)
    start = threading.Barrier(50)

    def intake(_):
        try:
            start.wait()
            return services.dossier_intake(
                actor=s.desk,
                center=s.center,
                procedure_version=v,
                channel="counter",
                applicant=APPLICANT,
                components=checks,
                at=at("2026-03-02 09:00"),
            ).dossier.code
        finally:
            connections.close_all()

    # when 50 desk officers' requests arrive at the same moment
    with ThreadPoolExecutor(max_workers=50) as pool:
        codes = list(pool.map(intake, range(50)))

    # then there are 50 dossiers numbered 0001..0050 without a gap or a repeat
    assert sorted(codes) == [f"{s.center.agency_code}-260302-{n:04d}" for n in range(1, 51)]
    assert Dossier.objects.count() == 50
    assert CodeSequence.objects.get(agency_code=s.center.agency_code).last_number == 50


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_idempotency_key_make_one_dossier():
    s, v = staffed_center(), version()
    checks = all_provided(v)
    start = threading.Barrier(10)

    def attempt(_):
        try:
            start.wait()

            def run():
                d = services.dossier_intake(
                    actor=s.desk,
                    center=s.center,
                    procedure_version=v,
                    channel="counter",
                    applicant=APPLICANT,
                    components=checks,
                ).dossier
                return 201, {"code": d.code}

            return idempotency.idempotent(key="same-key", scope="user:1", fingerprint="f", run=run)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(attempt, range(10)))

    assert len({body["code"] for _status, body in answers}) == 1
    assert Dossier.objects.count() == 1
    assert CodeSequence.objects.get().last_number == 1  # the losers' numbers were rolled back: no gap
