"""Rollups: exact against a brute-force count over random lifecycles, and rebuilt == incremental."""

import random
import time
from datetime import date, timedelta

import pytest
from django.core.management import call_command

from motcua.dossiers import services
from motcua.reports import rollups, selectors
from motcua.reports.models import MEASURES, OfficerRollup, Rollup, UnitRollup
from motcua.reports.periods import Kind, containing
from motcua.reports.selectors import Filters

from .support import Tables, brute_counts, brute_officers, make_world, nonzero, simulate

pytestmark = pytest.mark.django_db


def _periods(rng: random.Random) -> list[tuple[date, date]]:
    """Month, quarter, year, week, day and custom ranges over the simulated weeks."""
    spans = [
        (date(2026, 1, 1), date(2026, 12, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 1, 1), date(2026, 3, 31)),
    ]
    for _ in range(6):
        first = date(2026, 1, 1) + timedelta(days=rng.randrange(110))
        spans.append((first, first + timedelta(days=rng.randrange(0, 75))))
    for kind in (Kind.DAY, Kind.WEEK, Kind.MONTH, Kind.QUARTER):
        p = containing(kind, date(2026, 1, 1) + timedelta(days=rng.randrange(100)))
        spans.append((p.start, p.end))
    return spans


@pytest.fixture
def world():
    return make_world()


def test_counts_equal_a_brute_force_count_and_the_rebuild(world):
    # Given a few hundred random lifecycles through the real services
    started = time.monotonic()
    simulate(world, 220, seed=5)
    print(f"simulated in {time.monotonic() - started:.1f}s")
    rng = random.Random(11)
    ids = [s.center.pk for s in world.centers]
    t = Tables.load()
    fields = sorted({v.procedure.field_id for v in world.versions})
    procedures = sorted(v.procedure_id for v in world.versions)
    everything = selectors.counts(ids, date(2026, 1, 1), date(2026, 12, 31))
    # (the generated history exercises every counter)
    assert all(everything[name] for name in MEASURES), {n: everything[n] for n in MEASURES}
    # Then every count of every period, whole or grouped, equals the brute force
    for start, end in _periods(rng):
        assert nonzero(selectors.counts(ids, start, end)) == brute_counts(ids, start, end, tables=t).get(
            None, {}
        ), (start, end)
        for by in ("center", "field", "procedure", "channel"):
            got = {k: nonzero(v) for k, v in selectors.counts_by(by, ids, start, end).items()}
            assert {k: v for k, v in got.items() if v} == brute_counts(ids, start, end, by=by, tables=t), (
                by,
                start,
                end,
            )
        one = [rng.choice(ids)]
        for side in ("handling", "receiving"):
            got = nonzero(selectors.counts(one, start, end, Filters(side=side)))
            assert got == brute_counts(one, start, end, side=side, tables=t).get(None, {}), (side, start, end)
        f = Filters(
            field_id=rng.choice([None, *fields]),
            procedure_id=rng.choice([None, *procedures]),
            channel=rng.choice([None, "counter", "online", "kiosk", "post"]),
        )
        got = nonzero(selectors.counts(ids, start, end, f))
        want = brute_counts(
            ids, start, end, field_id=f.field_id, procedure_id=f.procedure_id, channel=f.channel, tables=t
        ).get(None, {})
        assert got == want, (f, start, end)
        got = {k: nonzero(v) for k, v in selectors.officer_counts(ids, start, end).items()}
        assert {k: v for k, v in got.items() if v} == brute_officers(ids, start, end)
    # And a rebuild from dossiers and events finds nothing to change
    assert rollups.differences() == []
    before = sorted(
        Rollup.objects.values_list(*[f.attname for f in Rollup._meta.concrete_fields if f.name != "id"])
    )
    officers_before = sorted(
        OfficerRollup.objects.values_list(
            "grain", "period", "center_id", "user_id", "received", "handled", "late", "returned"
        )
    )
    units_before = sorted(
        UnitRollup.objects.values_list(*[f.attname for f in UnitRollup._meta.concrete_fields][1:])
    )
    call_command("rollups", "rebuild", verbosity=0)
    assert sorted(
        UnitRollup.objects.values_list(*[f.attname for f in UnitRollup._meta.concrete_fields][1:])
    ) == (units_before)
    after = sorted(
        Rollup.objects.values_list(*[f.attname for f in Rollup._meta.concrete_fields if f.name != "id"])
    )
    assert after == before
    assert (
        sorted(
            OfficerRollup.objects.values_list(
                "grain", "period", "center_id", "user_id", "received", "handled", "late", "returned"
            )
        )
        == officers_before
    )
    print(f"total {time.monotonic() - started:.1f}s")


def test_in_progress_now_is_what_was_received_and_not_yet_handled_or_withdrawn(world):
    from django.utils import timezone

    from motcua.dossiers.models import Dossier

    simulate(world, 60, seed=8)
    ids = [s.center.pk for s in world.centers]
    # the gauges come from the rollups and an index; the brute force from the dossiers' states
    active = Dossier.objects.filter(center_id__in=ids, state__in=selectors.ACTIVE_STATES)
    assert selectors.gauges(ids)["in_progress"] == active.count() > 0
    overdue = active.filter(state__in=selectors.RUNNING_STATES, due_at__lt=timezone.now())
    assert selectors.gauges(ids)["overdue"] == overdue.count()
    for by, column in (("center", "center_id"), ("field", "field_id"), ("channel", "channel")):
        want: dict = {}
        for key in active.values_list(column, flat=True):
            want[key] = want.get(key, 0) + 1
        got = {k: c["in_progress"] for k, c in selectors.gauges_by(by, ids).items() if c["in_progress"]}
        assert got == want, by
    for channel in ("counter", "online"):
        f = Filters(channel=channel)
        assert selectors.gauges(ids, f)["in_progress"] == active.filter(channel=channel).count()


def test_a_breakdown_adds_up_to_the_summary(world):
    from motcua.reports import dashboards
    from motcua.reports.selectors import Unit

    simulate(world, 60, seed=9)
    centers = tuple(s.center for s in world.centers)
    unit = Unit("province", world.province.pk, "p", tuple(c.pk for c in centers), world.province.pk, centers)
    period = containing(Kind.QUARTER, date(2026, 2, 1))
    for filters in (Filters(), Filters(side="receiving"), Filters(channel="counter")):
        want = dashboards.summary(unit, period, filters).counts
        assert want["received"] and want["in_progress"]
        for by in ("commune", "center", "field", "procedure", "channel"):
            rows = dashboards.breakdown(unit, period, by, filters)
            assert nonzero(dashboards.total_of(unit, rows).counts) == nonzero(want), (by, filters)


def test_papers_count_on_the_day_of_reception(world):
    from motcua.dossiers import documents
    from tests.dossiers.support import at

    from .support import PNG

    s = world.centers[0]
    v = world.versions[0]
    first = services.dossier_intake(
        actor=s.desk,
        center=s.center,
        procedure_version=v,
        channel="counter",
        applicant=world.applicants[0],
        components=[services.ComponentCheck(c.id, True) for c in v.components.all()],
        at=at("2026-03-02 09:00"),
    ).dossier
    ids = [s.center.pk]
    march2 = date(2026, 3, 2)
    assert selectors.counts(ids, march2, march2)["digitized"] == 0
    # a scan added days later counts for the day of reception, once per dossier
    documents.document_upload(
        actor=s.desk, dossier=first, upload=("a.png", PNG + b"1"), at=at("2026-03-05 10:00")
    )
    original = documents.document_upload(actor=s.desk, dossier=first, upload=("b.png", PNG + b"2"))
    assert selectors.counts(ids, march2, march2)["digitized"] == 1
    assert selectors.counts(ids, date(2026, 3, 5), date(2026, 3, 5))["digitized"] == 0
    second = services.dossier_intake(
        actor=s.desk,
        center=s.center,
        procedure_version=v,
        channel="counter",
        applicant=world.applicants[0],
        components=[services.ComponentCheck(c.id, True) for c in v.components.all()],
        at=at("2026-03-03 09:00"),
    ).dossier
    documents.document_reuse(actor=s.desk, dossier=second, component_id=None, source_document_id=original.pk)
    march3 = selectors.counts(ids, date(2026, 3, 3), date(2026, 3, 3))
    assert (march3["digitized"], march3["reused_dossiers"], march3["reused_documents"]) == (1, 1, 1)
    assert rollups.differences() == []


def test_verify_finds_a_wrong_rollup_and_a_rebuild_of_that_center_repairs_it(world):
    from django.core.management.base import CommandError

    simulate(world, 25, seed=4)
    call_command("rollups", "verify", verbosity=0)
    row = Rollup.objects.filter(center=world.centers[1].center, received__gt=0).first()
    Rollup.objects.filter(pk=row.pk).update(received=row.received + 5)
    with pytest.raises(CommandError):
        call_command("rollups", "verify", verbosity=0)
    call_command("rollups", "rebuild", "--center", str(world.centers[1].center.pk), verbosity=0)
    call_command("rollups", "verify", verbosity=0)
    assert rollups.differences(center_ids=[world.centers[1].center.pk]) == []


def test_equal_scores_share_a_rank(world):
    from motcua.reports import dashboards
    from tests.dossiers.support import at

    def history(staff, late: bool) -> None:
        v = world.versions[0]
        d = services.dossier_intake(
            actor=staff.desk,
            center=staff.center,
            procedure_version=v,
            channel="counter",
            applicant=world.applicants[1],
            components=[services.ComponentCheck(c.id, True) for c in v.components.all()],
            at=at("2026-03-02 09:00"),
        ).dossier
        day = "2026-03-20" if late else "2026-03-02"
        d = services.dossier_act(actor=staff.desk, dossier=d, action="transfer", at=at(f"{day} 09:30"))
        d = services.dossier_act(actor=staff.specialist, dossier=d, action="forward", at=at(f"{day} 10:00"))
        d = services.dossier_act(actor=staff.leader, dossier=d, action="approve", at=at(f"{day} 10:30"))
        services.dossier_act(actor=staff.specialist, dossier=d, action="forward", at=at(f"{day} 11:00"))

    a, b, c = world.centers
    history(a, late=False)
    history(b, late=False)
    history(c, late=True)
    rows = dashboards.province_ranking(world.province.pk, containing(Kind.MONTH, date(2026, 3, 1))).rows
    ranks = {r.commune_code: r.ranked.rank for r in rows}
    assert ranks == {a.center.commune_id: 1, b.center.commune_id: 1, c.center.commune_id: 3}


def test_a_rebuild_refreshes_the_cached_scores_of_closed_periods(world, django_capture_on_commit_callbacks):
    from motcua.reports import dashboards
    from motcua.reports.models import CenterRollup

    simulate(world, 40, seed=3)
    march = containing(Kind.MONTH, date(2026, 3, 1))

    def previous() -> dict:
        return {
            r.commune_code: r.ranked.previous_total
            for r in dashboards.province_ranking(world.province.pk, march).rows
        }

    right = previous()
    assert any(v is not None for v in right.values())
    # February's rollups are lost; the cached February scores still show (the period is closed)
    CenterRollup.objects.filter(period__lt=date(2026, 3, 1)).delete()
    assert previous() == right
    dashboards.cache.clear()
    assert all(v is None for v in previous().values())  # computed from the broken rollups
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rollups", "rebuild", verbosity=0)
    assert previous() == right  # the rebuild repaired them and made the cached scores stale
