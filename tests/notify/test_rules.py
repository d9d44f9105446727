"""Property tests of the pure delivery rules."""

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from motcua.notify import rules
from tests.notify.support import T0

attempts = st.integers(min_value=1, max_value=80)
draws = st.floats(min_value=0, max_value=1)


@given(attempts, draws)
def test_backoff_stays_between_half_and_all_of_the_capped_exponential(n, jitter):
    raw = min(1800.0, 30.0 * 2 ** (n - 1))
    wait = rules.backoff_seconds(n, base=30, cap=1800, jitter=jitter)
    assert raw / 2 <= wait <= raw
    assert wait <= 1800


@given(attempts, draws)
def test_backoff_never_shrinks_as_attempts_grow(n, jitter):
    assert rules.backoff_seconds(n + 1, base=30, cap=1800, jitter=jitter) >= rules.backoff_seconds(
        n, base=30, cap=1800, jitter=jitter
    )


def test_backoff_jitter_spreads_retries():
    low = rules.backoff_seconds(3, base=30, cap=1800, jitter=0)
    high = rules.backoff_seconds(3, base=30, cap=1800, jitter=1)
    assert (low, high) == (60, 120)


@given(st.lists(st.booleans(), max_size=40), st.integers(min_value=1, max_value=6))
def test_breaker_opens_exactly_after_threshold_consecutive_failures(results, threshold):
    breaker, now, run = rules.Breaker(), T0, 0
    for ok in results:
        if breaker.state != rules.CLOSED:
            break
        breaker = rules.breaker_after(
            breaker, ok=ok, now=now, threshold=threshold, cooldown=60, max_cooldown=900
        )
        run = 0 if ok else run + 1
        assert (breaker.state == rules.OPEN) == (run >= threshold)


@given(st.integers(min_value=0, max_value=20), st.integers(min_value=0, max_value=2000))
def test_open_breaker_rests_then_lets_one_probe_through(trips, seconds):
    opened = rules.breaker_after(
        rules.Breaker(rules.HALF_OPEN, 5, T0, trips),
        ok=False,
        now=T0,
        threshold=5,
        cooldown=60,
        max_cooldown=900,
    )
    rest = min(900, 60 * 2**trips)
    assert opened.state == rules.OPEN and opened.open_until == T0 + timedelta(seconds=rest)
    later = T0 + timedelta(seconds=seconds)
    assert rules.breaker_allows(opened, later) == (seconds >= rest)
    probing = rules.breaker_probe(opened, later, lease=120)
    assert not rules.breaker_allows(probing, later)
    assert rules.breaker_allows(probing, later + timedelta(seconds=120))  # the probe's worker died
    closed = rules.breaker_after(probing, ok=True, now=later, threshold=5, cooldown=60, max_cooldown=900)
    assert closed == rules.Breaker()


@given(st.binary(max_size=300), st.text(min_size=1, max_size=40), st.integers(min_value=0, max_value=2**31))
def test_signature_verifies_and_any_change_breaks_it(body, secret, ts):
    signature = rules.sign(secret, ts, body)
    assert rules.verify(secret, str(ts), body, signature, now=ts)
    assert not rules.verify(secret, str(ts), body + b"x", signature, now=ts)
    assert not rules.verify(secret + "x", str(ts), body, signature, now=ts)
    assert not rules.verify(secret, str(ts + 1), body, signature, now=ts)


@given(st.integers(min_value=-10_000, max_value=10_000))
def test_signature_refused_outside_the_replay_window(offset):
    ts = 1_770_000_000
    signature = rules.sign("s", ts, b"{}")
    assert rules.verify("s", str(ts), b"{}", signature, now=ts + offset) == (abs(offset) <= 300)


@given(st.text(max_size=400))
def test_sms_text_is_plain_ascii_on_one_line(text):
    out = rules.sms_text(text)
    assert out.isascii() and "\n" not in out and out == out.strip()


def test_sms_text_drops_vietnamese_diacritics_and_counts_segments():
    assert rules.sms_text("Hồ sơ Đăng ký khai sinh đã có kết quả") == "Ho so Dang ky khai sinh da co ket qua"
    assert rules.sms_segments("x" * 160) == 1
    assert rules.sms_segments("x" * 161) == 2
    assert rules.sms_segments("x" * 307) == 3


@given(st.text(max_size=500), st.sampled_from(sorted(rules.ZNS_LIMITS)))
def test_zns_parameters_fit_their_limits(value, kind):
    assert len(rules.zns_param(value, kind)) <= rules.ZNS_LIMITS[kind]


def test_zns_phone_and_portal_dates():
    assert rules.zns_phone("0909 123 456") == "84909123456"
    assert rules.zns_phone("+84909123456") == "84909123456"
    assert rules.zns_phone("12") == ""
    assert rules.portal_date(T0) == "20260302090000"
    assert rules.portal_date(T0.astimezone(rules.ZoneInfo("UTC"))) == "20260302090000"
    assert rules.portal_date(None) == ""
