"""Defect 12: the demo key refuses to serve, MOTCUA_HTTPS sets HTTPS behind a proxy, a CSP on every
page, and `check --deploy` clean in production mode."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

MOTCUA = str(Path(sys.executable).parent / "motcua")
PRODUCTION = {
    "MOTCUA_SECRET_KEY": "k3y-" + "x7Qp9LmZ2vR8sT4wY6bN1cD5fG0hJ3kA" * 2,
    "MOTCUA_HTTPS": "1",
    "MOTCUA_ALLOWED_HOSTS": "motcua.dongthap.gov.vn",
    "MOTCUA_PUBLIC_URL": "https://motcua.dongthap.gov.vn",
    "MOTCUA_REDIS_URL": "redis://127.0.0.1:6379/15",
}


def run(tmp_path, *args, **env):
    base = {"PATH": "/usr/bin:/bin", "MOTCUA_DATA_DIR": str(tmp_path)}
    return subprocess.run(args, env={**base, **env}, capture_output=True, text=True, timeout=120)


def test_serve_refuses_the_public_demo_key_unless_the_demo_is_on(tmp_path):
    done = run(tmp_path, MOTCUA, "serve", "--port", "0")
    assert done.returncode == 2 and "MOTCUA_SECRET_KEY" in done.stderr and "Traceback" not in done.stderr
    wsgi = run(tmp_path, sys.executable, "-c", "import motcua.wsgi")
    assert wsgi.returncode != 0 and "Refusing to start with the public demo secret key" in wsgi.stderr
    assert run(tmp_path, sys.executable, "-c", "import motcua.wsgi", MOTCUA_DEMO="1").returncode == 0
    assert (
        run(tmp_path, sys.executable, "-c", "import motcua.wsgi", MOTCUA_SECRET_KEY="k" * 60).returncode == 0
    )


def test_check_deploy_names_the_demo_key(tmp_path):
    done = run(tmp_path, MOTCUA, "check", "--deploy", **{**PRODUCTION, "MOTCUA_SECRET_KEY": ""})
    # an empty variable is not a key: Django refuses it outright
    assert done.returncode != 0
    done = run(
        tmp_path,
        MOTCUA,
        "check",
        "--deploy",
        **{k: v for k, v in PRODUCTION.items() if k != "MOTCUA_SECRET_KEY"},
    )
    assert done.returncode != 0 and "motcua.E001" in done.stderr


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    done = run(tmp_path, MOTCUA, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_production_sends_e_mail_by_smtp_and_the_check_names_a_console_backend(tmp_path):
    probe = "import django; django.setup(); from django.conf import settings; print(settings.EMAIL_BACKEND)"
    env = {"DJANGO_SETTINGS_MODULE": "motcua.settings", **PRODUCTION}
    done = run(tmp_path, sys.executable, "-c", probe, **env)
    assert done.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend", done.stderr
    demo = run(tmp_path, sys.executable, "-c", probe, **env, MOTCUA_DEMO="1")
    assert demo.stdout.strip() == "django.core.mail.backends.console.EmailBackend"
    console = "django.core.mail.backends.console.EmailBackend"
    done = run(tmp_path, MOTCUA, "check", "--deploy", **PRODUCTION, MOTCUA_EMAIL_BACKEND=console)
    assert "motcua.W002" in done.stderr + done.stdout


def test_check_deploy_asks_for_the_shared_cache(tmp_path):
    without = {k: v for k, v in PRODUCTION.items() if k != "MOTCUA_REDIS_URL"}
    done = run(tmp_path, MOTCUA, "check", "--deploy", **without)
    assert "motcua.W003" in done.stderr + done.stdout and "MOTCUA_REDIS_URL" in done.stderr + done.stdout


HTTPS_PROBE = """
import django
django.setup()
from django.test import Client
plain = Client(HTTP_HOST="motcua.dongthap.gov.vn").get("/thu-tuc/")
print(plain.status_code, plain["Location"])
secure = Client(HTTP_HOST="motcua.dongthap.gov.vn", HTTP_X_FORWARDED_PROTO="https").get("/healthz")
print(secure.status_code, secure["Strict-Transport-Security"])
from django.conf import settings
print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.CSRF_TRUSTED_ORIGINS)
"""


def test_motcua_https_redirects_plain_requests_and_sends_hsts_behind_a_proxy(tmp_path):
    done = run(
        tmp_path, sys.executable, "-c", HTTPS_PROBE, DJANGO_SETTINGS_MODULE="motcua.settings", **PRODUCTION
    )
    assert done.returncode == 0, done.stderr
    redirect, hsts, cookies = done.stdout.splitlines()
    assert redirect == "301 https://motcua.dongthap.gov.vn/thu-tuc/"
    assert hsts == "200 max-age=31536000; includeSubDomains"
    assert cookies == "True True ['https://motcua.dongthap.gov.vn']"


@pytest.mark.django_db
def test_every_page_carries_a_content_security_policy_without_inline_code():
    policy = Client().get("/thu-tuc/")["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "unsafe-inline" not in policy and "object-src 'none'" in policy
