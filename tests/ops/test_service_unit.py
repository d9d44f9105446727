"""The shipped systemd unit restarts the service on failure and runs `motcua serve`."""

import configparser
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_the_systemd_unit_restarts_on_failure_and_serves():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(DEPLOY / "motcua.service", encoding="utf-8")
    assert unit["Service"]["Restart"] == "on-failure"
    assert unit["Service"]["ExecStart"].split()[1:2] == ["serve"]
    assert unit["Unit"]["StartLimitIntervalSec"] == "0"  # never gives up restarting
    assert unit["Install"]["WantedBy"] == "multi-user.target"
    env = (DEPLOY / "motcua.env.example").read_text(encoding="utf-8")
    for name in (
        "DATABASE_URL",
        "MOTCUA_SECRET_KEY",
        "MOTCUA_HTTPS",
        "MOTCUA_REDIS_URL",
        "MOTCUA_METRICS_TOKEN",
    ):
        assert f"\n{name}=" in env
