"""Rate limits of the public lookups by code and secret (issue 10, defect 5): exact thresholds,
windows that end on an injected clock, one client's mistakes never locking out the other clients
of the same dossier, and ratings counted apart from tracking."""

import pytest
from django.core.cache import cache
from django.test import Client

from motcua.core import ratelimit
from motcua.dossiers.tracking import LIMITS
from tests.dossiers.support import at, receive, staffed_center, version

pytestmark = pytest.mark.django_db

T0 = 1_800_000_000.0  # the start of a 600 s window (and of a 60 s one)


@pytest.fixture
def now(monkeypatch):
    clock = {"t": T0}
    monkeypatch.setattr(ratelimit, "clock", lambda: clock["t"])
    cache.clear()
    return clock


@pytest.fixture
def dossier():
    s, v = staffed_center(), version()
    return receive(s, v, when=at("2026-03-02 09:00"))


def track(dossier, secret: str, ip: str = "10.0.0.1", code: str | None = None) -> int:
    client = Client(REMOTE_ADDR=ip)
    return client.get(f"/api/v1/track/{code or dossier.code}", {"secret": secret}).status_code


def test_ten_failures_are_answered_and_the_eleventh_attempt_is_refused_until_the_window_ends(now, dossier):
    assert [track(dossier, "WRONGWRONG") for _ in range(LIMITS.per_client_and_code)] == [404] * 10
    # Blocked: the right secret from the same client is refused too (else the block would not
    # slow guessing)
    assert track(dossier, dossier.secret) == 429
    now["t"] = T0 + LIMITS.window_seconds - 1
    assert track(dossier, dossier.secret) == 429
    # The window ends: the right secret works again
    now["t"] = T0 + LIMITS.window_seconds
    assert track(dossier, dossier.secret) == 200


def test_one_clients_mistakes_do_not_lock_out_the_applicant_elsewhere(now, dossier):
    for _ in range(15):
        track(dossier, "WRONGWRONG", ip="10.0.0.1")
    assert track(dossier, dossier.secret, ip="10.0.0.1") == 429
    assert track(dossier, dossier.secret, ip="10.0.0.2") == 200


def test_a_shared_address_is_blocked_for_the_mistyped_code_only(now, dossier):
    # A kiosk: one citizen mistypes their secret ten times; the next citizen tracks their own
    for _ in range(10):
        track(dossier, "WRONGWRONG", ip="10.0.0.9")
    other = receive(staffed_center(), version(), when=at("2026-03-02 10:00"))
    assert track(other, other.secret, ip="10.0.0.9") == 200


def test_guessing_one_code_from_many_addresses_blocks_it_for_a_minute_at_most(now, dossier):
    for n in range(LIMITS.per_code):
        assert track(dossier, "WRONGWRONG", ip=f"10.1.{n}.1") == 404
    assert track(dossier, dossier.secret, ip="10.9.9.9") == 429
    now["t"] = T0 + LIMITS.code_window_seconds
    assert track(dossier, dossier.secret, ip="10.9.9.9") == 200


def test_one_address_trying_many_codes_is_blocked(now, dossier):
    for n in range(LIMITS.per_client):
        assert track(dossier, "WRONGWRONG", ip="10.0.0.5", code=f"H82.00000-260101-{n:04d}") == 404
    assert track(dossier, dossier.secret, ip="10.0.0.5") == 429
    assert track(dossier, dossier.secret, ip="10.0.0.6") == 200


def test_ratings_count_apart_from_tracking(now, dossier):
    for _ in range(10):
        track(dossier, "WRONGWRONG")
    assert track(dossier, dossier.secret) == 429
    feedback = Client(REMOTE_ADDR="10.0.0.1").get(f"/api/v1/feedback/dossiers/{dossier.code}", {"s": "x"})
    assert feedback.status_code == 404  # its own bucket: a wrong secret there, not a block
    for _ in range(10):
        Client(REMOTE_ADDR="10.0.0.2").get(f"/api/v1/feedback/dossiers/{dossier.code}", {"secret": "WRONG"})
    assert track(dossier, dossier.secret, ip="10.0.0.2") == 200


def test_the_generic_window_is_exact():
    key = "exact"
    assert [ratelimit.hit("t", key, limit=3, window_seconds=60, now=T0 + i) for i in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    assert ratelimit.hit("t", key, limit=3, window_seconds=60, now=T0 + 60)
