"""SIGAP settings, read from the environment.

Every setting has a safe default for the embedded demo (SQLite under var/); production sets
SIGAP_PRODUCTION=1 and gives DATABASE_URL, SIGAP_ALLOWED_HOSTS and the keys. A missing or wrong
setting raises ImproperlyConfigured with one sentence saying what to do; `sigap` prints it.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from sigap.core.keyfiles import load_or_create_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SIGAP_VAR_DIR", BASE_DIR / "var"))


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (it is {value!r}).")


PRODUCTION = _flag("SIGAP_PRODUCTION")
DEBUG = _flag("SIGAP_DEBUG")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("SIGAP_DEBUG=1 is refused with SIGAP_PRODUCTION=1: unset one of them.")

SECRET_KEY = os.environ.get("SIGAP_SECRET_KEY") or ""
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SIGAP_SECRET_KEY is not set: give every web and worker process the same long random value."
        )
    SECRET_KEY = load_or_create_key(VAR_DIR / "secret.key", nbytes=50).hex()

# The deployment key wraps every agency's data keys (see docs/security/keys.md).
SIGAP_MASTER_KEY_FILE = Path(os.environ.get("SIGAP_MASTER_KEY_FILE", VAR_DIR / "master.key"))
if PRODUCTION and not (os.environ.get("SIGAP_MASTER_KEY") or os.environ.get("SIGAP_MASTER_KEY_FILE")):
    raise ImproperlyConfigured(
        "Set SIGAP_MASTER_KEY (base64, 32 bytes) or SIGAP_MASTER_KEY_FILE: production never generates "
        "the deployment key by itself."
    )

_hosts = os.environ.get("SIGAP_ALLOWED_HOSTS", "")
if PRODUCTION and not _hosts:
    raise ImproperlyConfigured(
        "SIGAP_ALLOWED_HOSTS is not set: list the host names SIGAP answers, comma-separated."
    )
ALLOWED_HOSTS = [h.strip() for h in (_hosts or "127.0.0.1,localhost,testserver").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("SIGAP_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "django_tasks_db",
    "sigap.core",
    "sigap.tenants",
    "sigap.regions",
    "sigap.audit",
    "sigap.reporters",
    "sigap.cases",
    "sigap.triage",
    "sigap.coordination",
    "sigap.vault",
    "sigap.evidence",
    "sigap.intake.portal",
    "sigap.intake.lapor",
    "sigap.intake.operator",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sigap.tenants.middleware.InstansiMiddleware",
]

ROOT_URLCONF = "sigap.urls"
WSGI_APPLICATION = "sigap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sigap" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sigap.tenants.context_processors.instansi",
                "sigap.vault.context_processors.vault",
                "sigap.coordination.context_processors.referrals",
            ],
        },
    },
]


# Server-side prepared statements for the duplicate index's candidate query on PostgreSQL
# (decision 0003): planning its 24-way union costs more than running it. Django binds parameters on
# the client and never prepares; psycopg prepares only statements asked for, once it is allowed to
# at all (a threshold no query reaches on its own). Turn off behind a connection pooler in
# transaction mode that does not keep prepared statements (PgBouncer before 1.21, or without
# max_prepared_statements).
SIGAP_DB_PREPARED_STATEMENTS = _flag("SIGAP_DB_PREPARED_STATEMENTS", True)
_PREPARE_ONLY_WHEN_ASKED = 2**31 - 1


def _database() -> dict:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'sigap.sqlite3'}"
    try:
        config: dict = dict(
            dj_database_url.parse(url, conn_max_age=int(os.environ.get("SIGAP_DB_CONN_MAX_AGE", "60")))
        )
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database address SIGAP understands ({exc})."
        ) from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # WAL lets readers go on while one writer writes; IMMEDIATE avoids upgrade deadlocks.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=15000;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 15,
        }
        config["TEST"] = {"NAME": os.environ.get("SIGAP_TEST_SQLITE_NAME") or None}
    elif config["ENGINE"] == "django.db.backends.postgresql":
        config.setdefault("OPTIONS", {})["connect_timeout"] = 5
        if SIGAP_DB_PREPARED_STATEMENTS:
            config["OPTIONS"]["prepare_threshold"] = _PREPARE_ONLY_WHEN_ASKED
    else:
        raise ImproperlyConfigured(
            "DATABASE_URL must point to PostgreSQL (postgres://...) or SQLite (sqlite:///...)."
        )
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "sigap" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("SIGAP_STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "media")},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:list"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "sigap.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# "same-origin", not "no-referrer": with no-referrer browsers send "Origin: null" on form posts and
# Django's CSRF check refuses every form. Other sites still never get a referrer.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No third-party resource is ever loaded: everything is served from our own origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = _flag("SIGAP_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SIGAP_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

TASKS = {
    "default": {
        "BACKEND": os.environ.get("SIGAP_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "triage", "notify"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
SPECTACULAR_SETTINGS = {"TITLE": "SIGAP API", "VERSION": "1"}

# Reporter IP addresses are never logged: no request logger writes a client address, and the
# web servers we configure run without an access log (see docs/deploy.md).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SIGAP_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"handlers": [], "propagate": False},
        "django.request": {"level": "ERROR"},
    },
}

SIGAP_DEMO = _flag("SIGAP_DEMO")

# Evidence: encrypted files under var/evidence (or SIGAP_EVIDENCE_DIR); limits in bytes.
SIGAP_EVIDENCE_DIR = Path(os.environ.get("SIGAP_EVIDENCE_DIR", VAR_DIR / "evidence"))
SIGAP_MAX_FILE_BYTES = int(os.environ.get("SIGAP_MAX_FILE_MB", "30")) * 1024 * 1024
SIGAP_MAX_REPORT_BYTES = int(os.environ.get("SIGAP_MAX_REPORT_MB", "100")) * 1024 * 1024
# an SP4N-LAPOR! export uploaded on the web (larger ones: `sigap lapor-import`)
SIGAP_LAPOR_IMPORT_MAX_BYTES = int(os.environ.get("SIGAP_LAPOR_IMPORT_MAX_MB", "20")) * 1024 * 1024
# Uploads stream to temporary files, never held whole in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Files a report may carry: SIGAP's own limit answers with the form and what was typed; Django's, set
# far above it, only stops a flood (it answers a bare 400 and the typed report is lost).
SIGAP_MAX_FILES = int(os.environ.get("SIGAP_MAX_FILES", "30"))
DATA_UPLOAD_MAX_NUMBER_FILES = 1000

# Reporter portal and mailbox (docs/security/receipts.md): receipt hashing, proof of work on the
# mailbox login, and login limits that never look at a network address.
SIGAP_RECEIPT_ARGON2 = {
    "time_cost": int(os.environ.get("SIGAP_RECEIPT_ARGON2_TIME", "1")),  # decision 0007
    "memory_cost": int(os.environ.get("SIGAP_RECEIPT_ARGON2_MEMORY_KIB", "65536")),
    "parallelism": 1,
}
SIGAP_POW_BITS = int(os.environ.get("SIGAP_POW_BITS", "18"))
SIGAP_POW_WAIT_SECONDS = int(os.environ.get("SIGAP_POW_WAIT_SECONDS", "8"))
SIGAP_MAILBOX_LOGINS_PER_MINUTE = int(os.environ.get("SIGAP_MAILBOX_LOGINS_PER_MINUTE", "600"))
SIGAP_MAILBOX_LOGINS_PER_PREFIX_HOUR = int(os.environ.get("SIGAP_MAILBOX_LOGINS_PER_PREFIX_HOUR", "10"))
SIGAP_PASSPHRASE_CHANGES_PER_HOUR = int(os.environ.get("SIGAP_PASSPHRASE_CHANGES_PER_HOUR", "10"))
SIGAP_MAILBOX_IDLE_SECONDS = int(os.environ.get("SIGAP_MAILBOX_IDLE_SECONDS", "1800"))
