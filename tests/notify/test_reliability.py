"""The outage drill of issue 13: the receivers are down for one simulated hour, then the worker
(a real `motcua notify drain` process) is killed with SIGKILL mid-run and started again.
Nothing may be lost, nothing applied twice by receivers that honour the idempotency key, and the
portal must see each dossier's calls in event order. The clock is injected; nothing sleeps."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection

from motcua.dossiers import services
from motcua.dossiers.models import DossierEvent
from motcua.notify import delivery
from motcua.notify.models import DestinationBreaker, OutboxMessage, Status
from tests.dossiers.support import at, receive, staffed_center, version
from tests.notify.support import integration, published, subscription

MOTCUA = str(Path(sys.executable).parent / "motcua")
DOSSIERS = 8


class SharedDatabase:
    """The test database as another process can open it: PostgreSQL's test database by URL; the
    in-memory SQLite test database copied to a file and back (sqlite3's online backup)."""

    def __init__(self, tmp_path: Path):
        self.vendor = connection.vendor
        self.path = tmp_path / "shared.sqlite3"

    def __enter__(self) -> str:
        if self.vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(self.path)
            connection.connection.backup(target)
            target.close()
            return f"sqlite:///{self.path}"
        s = connection.settings_dict
        password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
        return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"

    def __exit__(self, *exc):
        if self.vendor == "sqlite":
            source = sqlite3.connect(self.path)
            source.backup(connection.connection)
            source.close()


def worker(url: str, now, tmp_path: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "MOTCUA_DATA_DIR": str(tmp_path)}
    return subprocess.Popen(
        [MOTCUA, "notify", "drain", "--now", now.isoformat(), "--batch", "5"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.django_db(transaction=True)
def test_an_hour_of_outage_and_a_killed_worker_lose_nothing_and_duplicate_nothing(
    provider, portal_server, tmp_path
):
    # Given a province with SMS and the portal, a subscriber, and dossiers moving through their steps
    s = staffed_center()
    province = s.center.commune.province_id
    integration(
        province,
        sms_url=provider.url + "/sms",
        sms_username="u",
        sms_password="p",
        sms_brandname="MOTCUA",
        citizen_channels="sms",
        portal_url=portal_server.url,
        portal_username="cong",
        portal_password="matkhau",
    )
    subscription(s.center, provider.url + "/hook")
    v = version()
    provider.down = portal_server.down = True  # both receivers are down from the start
    t0 = at("2026-03-02 08:00")
    for n in range(DOSSIERS):
        when = t0 + timedelta(minutes=n)
        d = published(lambda when=when: receive(s, v, when=when))
        d = published(
            lambda d=d, when=when: services.dossier_act(actor=s.desk, dossier=d, action="transfer", at=when)
        )
        published(
            lambda d=d, when=when: services.dossier_act(
                actor=s.leader, dossier=d, action="assign", assignee_id=s.specialist.pk, at=when
            )
        )
    # and a transaction that rolls back after its event: it must send nothing
    with pytest.raises(RuntimeError):
        published(lambda: (receive(s, v, when=t0), (_ for _ in ()).throw(RuntimeError()))[0])
    total = OutboxMessage.objects.count()
    assert total == DOSSIERS * (1 + 3 + 3 * 2)  # an SMS; a webhook and two portal calls per event

    # When the receivers stay down for an hour (the worker runs every minute of simulated time)
    for minute in range(61):
        delivery.drain(now=t0 + timedelta(minutes=minute))
    assert not OutboxMessage.objects.filter(status__in=(Status.DELIVERED, Status.DEAD)).exists()
    attempts_in_outage = len(provider.requests) + len(portal_server.requests)
    provider_refused = len(provider.requests)

    # then come back (slowly), and the worker is killed with SIGKILL in the middle of its run
    provider.down = portal_server.down = False
    provider.delay = portal_server.delay = 0.02
    resting = DestinationBreaker.objects.exclude(open_until=None).values_list("open_until", flat=True)
    restart = max([t0 + timedelta(minutes=61), *resting]) + timedelta(minutes=5)
    with SharedDatabase(tmp_path) as url:
        first = worker(url, restart, tmp_path)
        reached = provider.wait_for(DOSSIERS, timeout=120) and portal_server.wait_for(
            len(portal_server.requests) + DOSSIERS, timeout=120
        )
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        assert reached, first.stderr.read().decode()[-2000:]
        delivered_before_restart = len(provider.effects) + len(portal_server.applied)
        second = worker(url, restart + timedelta(minutes=5), tmp_path)  # after any lease ran out
        out, err = second.communicate(timeout=300)
        assert second.returncode == 0, err.decode()[-3000:]
    assert delivered_before_restart < total  # the kill really came mid-run
    delivery.drain(now=restart + timedelta(hours=3))  # anything that waited for a retry

    # Then nothing was lost
    assert OutboxMessage.objects.count() == total
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {Status.DELIVERED}
    keys = {m.key for m in OutboxMessage.objects.exclude(channel="portal")}
    applied = [e["headers"]["idempotency-key"] for e in provider.effects]
    assert sorted(applied) == sorted(keys)  # every SMS and webhook applied exactly once
    portal_keys = set(OutboxMessage.objects.filter(channel="portal").values_list("key", flat=True))
    assert portal_server.seen_keys == portal_keys
    # and the portal saw each dossier's calls in event order: create, then update; steps in order
    by_dossier = defaultdict(list)
    for code, what in portal_server.applied:
        by_dossier[code].append(what)
    assert len(by_dossier) == DOSSIERS
    for code, calls in by_dossier.items():
        assert calls == ["create", "progress", "update", "progress", "update", "progress"], code
        steps = [p["NoiDungXuLy"] for p in portal_server.progress[code]]
        assert len(steps) == 3 and steps[0].startswith("Tiếp nhận")
    events = DossierEvent.objects.count()
    assert events == DOSSIERS * 3
    print(
        f"\noutage drill: {total} messages, {attempts_in_outage} refused attempts during the hour, "
        f"{delivered_before_restart} applied before the kill, "
        f"{len(provider.requests) - provider_refused - len(provider.effects)} duplicate requests absorbed"
    )
