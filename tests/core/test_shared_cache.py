"""With MOTCUA_REDIS_URL the cache (rate limits, cached report scores) is shared by every process:
the pinned `redis` client against the Redis of the machine (skipped when none answers)."""

import socket
import subprocess
import sys
import uuid

import pytest

REDIS = "redis://127.0.0.1:6379/15"


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")

COUNT = """
import django
django.setup()
from django.core.cache import caches
from motcua.core import ratelimit
print(type(caches["default"]).__name__, ratelimit.hit("test", "{key}", limit=3, window_seconds=60, now={now}))
"""


def test_two_processes_share_the_rate_limit_through_redis(tmp_path):
    # Given the app configured with MOTCUA_REDIS_URL, in two separate processes
    key = uuid.uuid4().hex
    # One fixed instant for all four: four process starts may straddle a window's end on a slow
    # machine (the fixed window then restarts and the fourth hit would be allowed, rightly).
    now = 1_800_000_000.0
    env = {
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "MOTCUA_REDIS_URL": REDIS,
        "MOTCUA_DATA_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }

    def hit() -> str:
        done = subprocess.run(
            [sys.executable, "-c", COUNT.format(key=key, now=now)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    # When each process counts hits on the same key, then the fourth is over the limit of three
    assert [hit() for _ in range(4)] == ["RedisCache True"] * 3 + ["RedisCache False"]
