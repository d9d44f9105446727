"""Django settings for Một cửa.

Everything that differs between a laptop demo and a province deployment comes from the
environment: DATABASE_URL (default: SQLite in ./var), MOTCUA_SECRET_KEY, MOTCUA_DEBUG,
MOTCUA_ALLOWED_HOSTS, MOTCUA_DATA_DIR, MOTCUA_PUBLIC_URL; production switches (MOTCUA_HTTPS, MOTCUA_DEMO,
metrics, logs) are described in README.md "Running in production".
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("MOTCUA_DATA_DIR", Path.cwd() / "var")).resolve()

DEBUG = os.environ.get("MOTCUA_DEBUG", "0") == "1"
DEMO_SECRET_KEY = "insecure-demo-key-set-MOTCUA_SECRET_KEY-in-production"
SECRET_KEY = os.environ.get("MOTCUA_SECRET_KEY", DEMO_SECRET_KEY)
# The demo key is public: `motcua serve` and the WSGI/ASGI entry points refuse it unless the demo is
# explicitly on (MOTCUA_DEMO=1, as `make run` sets), and `check --deploy` reports it.
DEMO = os.environ.get("MOTCUA_DEMO", "0") == "1"
ALLOWED_HOSTS = os.environ.get("MOTCUA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
# Absolute base used in QR codes printed on paper (slips, procedure pages).
PUBLIC_URL = os.environ.get("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "motcua.core",
    "motcua.units",
    "motcua.workdays",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.identity",
    "motcua.staff",
    "motcua.portal",
    "motcua.feedback",
    "motcua.reports",
    "motcua.api",
    "motcua.eforms",
    "motcua.security",
    "motcua.payments",
    "motcua.queueing",
    "motcua.notify",
    "motcua.results",
    "motcua.ops",
]

MIDDLEWARE = [
    "motcua.ops.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "motcua.ops.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.locale.LocaleMiddleware",  # Vietnamese unless English is chosen
    "django.middleware.common.CommonMiddleware",
    "motcua.core.middleware.InputHygieneMiddleware",  # control characters out of every input
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "motcua.ops.middleware.DatabaseUnavailableMiddleware",
]

# Sign-in: django-axes locks a username from an address after repeated failures.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("MOTCUA_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
OTP_TOTP_ISSUER = "Một cửa"
# Sign-in hardening (motcua.security): failures from one address across all accounts, the TOTP
# lock-out (django-otp's 1-2-4 s throttle is off: it refused a right code after one wrong one),
# the read-audit retention, the consent window of an ID-card scan, API token lifetime.
MOTCUA_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("MOTCUA_LOGIN_FAILURES_PER_ADDRESS", "20"))
OTP_TOTP_THROTTLE_FACTOR = 0
MOTCUA_OTP_FAILURES = 5
MOTCUA_OTP_LOCK_SECONDS = 300
MOTCUA_READ_AUDIT_DAYS = int(os.environ.get("MOTCUA_READ_AUDIT_DAYS", "365"))
MOTCUA_PRESENCE_MINUTES = int(os.environ.get("MOTCUA_PRESENCE_MINUTES", "120"))
MOTCUA_API_TOKEN_DAYS = int(os.environ.get("MOTCUA_API_TOKEN_DAYS", "90"))
# A booking may still check in this long after its slot ends; then the scheduled job marks it a no-show.
MOTCUA_QUEUE_NO_SHOW_GRACE_MINUTES = int(os.environ.get("MOTCUA_QUEUE_NO_SHOW_GRACE_MINUTES", "10"))

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"
ASGI_APPLICATION = "motcua.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


# WAL lets readers run beside the single writer; IMMEDIATE takes the write lock at BEGIN so two
# writers queue on the busy timeout instead of failing mid-transaction. Applied however SQLite is
# chosen (default path or DATABASE_URL=sqlite:///...).
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        db = dj_database_url.parse(url, conn_max_age=int(os.environ.get("MOTCUA_CONN_MAX_AGE", "60")))
        # A connection that PostgreSQL closed (restart, failover) is replaced before the request
        # uses it instead of failing that request.
        db["CONN_HEALTH_CHECKS"] = True
        if db["ENGINE"] == "django.db.backends.sqlite3":
            db["OPTIONS"] = {**SQLITE_OPTIONS, **db.get("OPTIONS", {})}
        if db["ENGINE"] == "django.db.backends.postgresql":
            # The test database is named after the database (test_<name>), so test runs against
            # different databases of one server never share (and drop) each other's.
            db.setdefault("TEST", {})["NAME"] = os.environ.get("MOTCUA_TEST_DB", f"test_{db['NAME']}")
            # Requests run small indexed queries; a parallel plan's worker start-up (a few ms) costs
            # more than it saves, and the workers take cores from the other requests.
            # MOTCUA_PG_PARALLEL_WORKERS=2 gives PostgreSQL's default back.
            workers = int(os.environ.get("MOTCUA_PG_PARALLEL_WORKERS", "0"))
            options = db.setdefault("OPTIONS", {})
            options["options"] = f"-c max_parallel_workers_per_gather={workers}"
            # While PostgreSQL is unreachable, requests fail fast (a 503 page) instead of hanging.
            options.setdefault("connect_timeout", int(os.environ.get("MOTCUA_DB_CONNECT_TIMEOUT", "3")))
            # Server-side binding: a statement repeated on a persistent connection is prepared once
            # (on its second use) instead of parsed and planned on every request — PostgreSQL's CPU
            # per intake 9.4 → 4.3 ms in the bench. Behind a pooler in transaction mode (pgbouncer
            # before 1.21) prepared statements break: MOTCUA_PG_PREPARED=0 turns this off.
            if os.environ.get("MOTCUA_PG_PREPARED", "1") != "0":
                options["server_side_binding"] = True
                options["prepare_threshold"] = 1
        return db
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "motcua.sqlite3",
        "OPTIONS": dict(SQLITE_OPTIONS),
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "units.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request without it
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Electronic results (docs/results.md): the demo CA and keys live here, never in media storage.
MOTCUA_PKI_DIR = Path(os.environ.get("MOTCUA_PKI_DIR", DATA_DIR / "pki"))
# CA roots that signatures must chain to (PEM files, separated by ":"); default: the demo CA.
MOTCUA_RESULTS_TRUST = [p for p in os.environ.get("MOTCUA_RESULTS_TRUST", "").split(":") if p]
MOTCUA_RESULTS_TSA_URL = os.environ.get("MOTCUA_RESULTS_TSA_URL", "")  # RFC 3161; none by default

LOGIN_URL = "/admin/login/"

# Background work (exports, notifications): a database queue, so no broker is needed. `motcua
# serve` starts a worker beside the web processes; `motcua db_worker` runs one alone.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("MOTCUA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# E-mail: through SMTP (MOTCUA_EMAIL_HOST, localhost by default); printed on the console in the
# demo. A message the server does not accept stays in the outbox and is retried, and the citizen's
# page says "will be sent", never "sent".
EMAIL_BACKEND = os.environ.get(
    "MOTCUA_EMAIL_BACKEND", f"django.core.mail.backends.{'console' if DEMO else 'smtp'}.EmailBackend"
)
EMAIL_HOST = os.environ.get("MOTCUA_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("MOTCUA_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("MOTCUA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("MOTCUA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("MOTCUA_EMAIL_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("MOTCUA_EMAIL_FROM", "Một cửa <no-reply@motcua.invalid>")

MOTCUA_MAX_UPLOAD_BYTES = int(os.environ.get("MOTCUA_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
MOTCUA_MAX_IMAGE_PIXELS = int(os.environ.get("MOTCUA_MAX_IMAGE_PIXELS", "50000000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
TRUST_X_FORWARDED_FOR = os.environ.get("MOTCUA_TRUST_X_FORWARDED_FOR", "0") == "1"

_redis = os.environ.get("MOTCUA_REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis}
        if _redis
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Logs: one JSON line per record (MOTCUA_LOG_FORMAT=text for plain lines); every request is one
# INFO line on `motcua.request` with its id, user, units, status and duration.
_log_format = os.environ.get("MOTCUA_LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "motcua.ops.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": _log_format},
        "requests": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("MOTCUA_LOG_LEVEL", "WARNING")},
    "loggers": {
        "motcua.request": {
            "handlers": ["requests"],
            "level": os.environ.get("MOTCUA_REQUEST_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
        "motcua.ops": {"level": "INFO"},
    },
}

# Payments: the shared secret of the bank's transfer webhook (HMAC-SHA256; empty refuses every
# notification) and the national payment platform (PayGov) partner code, hash key and address.
MOTCUA_BANK_WEBHOOK_SECRET = os.environ.get("MOTCUA_BANK_WEBHOOK_SECRET", "")
MOTCUA_PAYGOV_URL = os.environ.get("MOTCUA_PAYGOV_URL", "")
MOTCUA_PAYGOV_PARTNER = os.environ.get("MOTCUA_PAYGOV_PARTNER", "")
MOTCUA_PAYGOV_HASH_KEY = os.environ.get("MOTCUA_PAYGOV_HASH_KEY", "")
# HTTPS behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto (gunicorn itself
# speaks plain HTTP): MOTCUA_HTTPS=1 turns on the redirect, HSTS and secure cookies.
HTTPS = os.environ.get("MOTCUA_HTTPS", "0") == "1"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]  # probes on the machine itself
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("MOTCUA_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("MOTCUA_HSTS_SUBDOMAINS", "1") == "1"
    SECURE_HSTS_PRELOAD = os.environ.get("MOTCUA_HSTS_PRELOAD", "0") == "1"
    CSRF_TRUSTED_ORIGINS = [PUBLIC_URL] if PUBLIC_URL.startswith("https://") else []
# Adding a domain to the browsers' HSTS preload list is a commitment of the domain's owner (the
# province), not a setting to flip by default: MOTCUA_HSTS_PRELOAD=1 once they have decided.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy: the pages load scripts and styles only from their own static files (no
# inline code); QR codes are data: images; uploaded scans are shown in same-origin frames.
MOTCUA_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "media-src": "'self' blob:",
    "frame-src": "'self' blob:",
    "worker-src": "'self' blob:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'self'",
}

# Operations: /metrics needs this bearer token (without one: only scrapers on this machine), and
# /readyz calls a task worker dead when its heartbeat is older than this.
MOTCUA_METRICS_TOKEN = os.environ.get("MOTCUA_METRICS_TOKEN", "")
MOTCUA_WORKER_STALE_SECONDS = int(os.environ.get("MOTCUA_WORKER_STALE_SECONDS", "60"))
