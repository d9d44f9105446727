"""Issue 11, defect 11: QR codes on paper link to where `motcua serve` listens unless
MOTCUA_PUBLIC_URL says otherwise, and serve warns when it is unset outside the demo."""

import subprocess
import sys

from motcua.core import public_url


def test_unset_public_url_follows_the_listening_port_quietly_in_the_demo():
    env = {}
    assert public_url.configure("127.0.0.1", 8011, demo=True, environ=env) == ""
    assert env["MOTCUA_PUBLIC_URL"] == "http://127.0.0.1:8011"


def test_outside_the_demo_an_unset_public_url_is_warned_about():
    env = {}
    warning = public_url.configure("0.0.0.0", 8080, demo=False, environ=env)
    assert env["MOTCUA_PUBLIC_URL"] == "http://127.0.0.1:8080"
    assert "MOTCUA_PUBLIC_URL is not set" in warning and "http://127.0.0.1:8080" in warning


def test_a_set_public_url_is_kept_without_warning():
    env = {"MOTCUA_PUBLIC_URL": "https://motcua.dongthap.gov.vn"}
    assert public_url.configure("127.0.0.1", 8011, demo=False, environ=env) == ""
    assert env["MOTCUA_PUBLIC_URL"] == "https://motcua.dongthap.gov.vn"


def test_ipv6_hosts_are_bracketed():
    assert public_url.listening_url("::1", 8011) == "http://[::1]:8011"


def test_the_processes_serve_starts_see_the_listening_address_in_their_settings():
    """What gunicorn and the worker (started by serve with its environment) read as PUBLIC_URL."""
    env = {"DJANGO_SETTINGS_MODULE": "motcua.settings", "PATH": ""}
    public_url.configure("127.0.0.1", 8011, demo=True, environ=env)
    code = "import django; django.setup(); from django.conf import settings; print(settings.PUBLIC_URL)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "http://127.0.0.1:8011"
