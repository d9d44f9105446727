"""The spoken call, generated on the server and offline by espeak-ng's Vietnamese voice.

One WAV per distinct sentence, cached on disk under MEDIA_ROOT/queue-audio/ by the hash of the
text and voice: a center has a few hundred numbers a day and a handful of counters, so the cache
stays small and a repeated call costs nothing."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

VOICE = "vi"
SPEED = 135  # words per minute: slower than espeak's default, for a hall with echo
TIMEOUT = 10


class SpeechUnavailable(RuntimeError):
    pass


def espeak() -> str | None:
    return shutil.which("espeak-ng")


def cache_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "queue-audio"


def speech_wav(text: str) -> Path:
    """The WAV file speaking `text` (generated once)."""
    key = hashlib.sha256(f"{VOICE}|{SPEED}|{text}".encode()).hexdigest()[:32]
    target = cache_dir() / f"{key}.wav"
    if target.exists() and target.stat().st_size > 44:
        return target
    binary = espeak()
    if binary is None:
        raise SpeechUnavailable("espeak-ng is not installed (make install-test installs it)")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{id(text)}.tmp")
    subprocess.run(
        [binary, "-v", VOICE, "-s", str(SPEED), "-w", str(partial), text],
        check=True,
        timeout=TIMEOUT,
        capture_output=True,
    )
    partial.replace(target)  # atomic: a concurrent reader never sees half a file
    return target
