"""The one settings module. Everything that differs between a laptop and production
comes from the environment; the defaults are safe for `make run` on 127.0.0.1 and
production refuses to start without what it needs (DEBUG off and no SECRET_KEY)."""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from clientela.core.backends import with_rollback_hooks
from clientela.core.formats.regions import REGIONS

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CLIENTELA_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def envrequired(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} is required")
    return value


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)
TESTING = envbool("CLIENTELA_TESTING", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off")
    # A laptop or a test run gets a random key kept under var/, never one in the code.
    # (Only here is var/ created at import: an installed package never writes beside
    # its own code.)
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text(encoding="utf-8").strip()

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if (DEBUG or TESTING) else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "clientela.core",
    "clientela.users",
    "clientela.catalogs",
    "clientela.accounts",
    "clientela.contacts",
    "clientela.opportunities",
    "clientela.cases",
    "clientela.documents",
    "clientela.audit",
    "clientela.duplicates",
    "clientela.api",
    "clientela.dashboard",
    "clientela.imports",
    "clientela.activities",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "phonenumber_field",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "ninja",
    "csp",
]

MIDDLEWARE = [
    # First: turns what the rest answers under /api/v1/ into JSON errors (issue 14).
    "clientela.api.middleware.ApiErrorsAsJsonMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (django-csp), Permissions-Policy and Cache-Control (issue 14).
    "csp.middleware.CSPMiddleware",
    "clientela.core.middleware.SecurityHeadersMiddleware",
    "clientela.core.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "clientela.core.middleware.LanguageCookieMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Refuses a body by its declared length before anything reads it (the CSRF check).
    "clientela.core.bodies.RequestBodyLimitMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # A merged account's code answers 301 to the survivor (looked at on 404s only).
    "clientela.duplicates.middleware.MergedCodeRedirectMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout into our lockout page.
    "axes.middleware.AxesMiddleware",
]

# `make run` (DEBUG on) shows the product's own 404/500 pages, not Django's technical ones.
if DEBUG:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "clientela.core.middleware.ProductErrorPagesMiddleware",
    )

# `make bench` only: an X-Queries header with each response's SQL statement count.
CLIENTELA_BENCH_QUERY_HEADER = envbool("CLIENTELA_BENCH_QUERY_HEADER", False)
if CLIENTELA_BENCH_QUERY_HEADER:
    MIDDLEWARE.insert(0, "clientela.core.middleware.QueryCountHeaderMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "users.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "clientela" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clientela.users.context_processors.navigation",
            ],
            "builtins": ["django.templatetags.i18n"],
        },
    }
]

# SQLite (WAL, see clientela.core.apps) under var/ is the embedded default; production
# sets DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'clientela.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for the writer instead of failing with "database is locked"; take the
    # write lock at BEGIN so two writers never deadlock on a lock upgrade.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Refuses logins while a username + address pair is locked out, before checking it.
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend reading a user's permissions in one query (clientela.users.backends).
    "clientela.users.backends.PermissionBackend",
]
# Five wrong passwords for one username from one address lock that pair for 15 minutes.
# Attempts on usernames that do not exist count the same, so the lockout reveals nothing.
AXES_FAILURE_LIMIT = envint("CLIENTELA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("CLIENTELA_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "users/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

if TESTING:
    # Hashing strength is not under test; PBKDF2 would make every factory user slow.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Language: Spanish unless the user picked English with the switcher (a cookie); the
# browser's Accept-Language is deliberately ignored (see core.middleware).
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "clientela" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Panama")

# Regional number and date formats (SPEC §1). Django's generic "es" uses a decimal
# comma, wrong for Panama and Mexico; our format modules set each region's (see
# clientela/core/formats/regions.py for the table and its sources).
CLIENTELA_REGION = os.environ.get("CLIENTELA_REGION", "PA").strip().upper()
if CLIENTELA_REGION not in REGIONS:
    raise ImproperlyConfigured(
        f"CLIENTELA_REGION {CLIENTELA_REGION!r} is not one of {', '.join(sorted(REGIONS))}"
    )
FORMAT_MODULE_PATH = [f"clientela.core.formats.{CLIENTELA_REGION.lower()}"]
# Grouping is asked for where a number is shown to people (the `money` filter, intcomma):
# left on globally it would also write "1,234" into ids and version fields of forms.
USE_THOUSAND_SEPARATOR = False
# Opt in now to Django 6's https default for scheme-less URLs typed in forms.
FORMS_URLFIELD_ASSUME_HTTPS = True
DEFAULT_COUNTRY = os.environ.get("CLIENTELA_DEFAULT_COUNTRY", "PA").upper()
DEFAULT_CURRENCY = os.environ.get("CLIENTELA_DEFAULT_CURRENCY", "USD").upper()
PHONENUMBER_DEFAULT_REGION = DEFAULT_COUNTRY
PHONENUMBER_DB_FORMAT = "E164"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "clientela" / "static"]
# Development and tests serve straight from the source tree; production serves the
# compressed, hashed copy made by collectstatic.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Media is never served from a public URL: every file goes through a view that checks
# access, so MEDIA_URL is not routed anywhere.
MEDIA_URL = "/media-not-served/"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Logos and documents in an S3-compatible object store (S3, MinIO, R2, Spaces) instead of
# MEDIA_ROOT: `pip install ".[s3]"` and set CLIENTELA_STORAGE=s3 with the bucket's
# variables. Objects stay private: every download goes through an access-checked view.
CLIENTELA_STORAGE = os.environ.get("CLIENTELA_STORAGE", "filesystem").lower()
if CLIENTELA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "clientela.core.storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": envrequired("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif CLIENTELA_STORAGE != "filesystem":
    raise ImproperlyConfigured("CLIENTELA_STORAGE must be 'filesystem' or 's3'")
LOGO_MAX_BYTES = envint("CLIENTELA_LOGO_MAX_BYTES", 5 * 1024 * 1024)
# Uploads above this spill to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Request bodies are refused by their declared length before they are read (issue 14,
# clientela.core.bodies): this much anywhere, this much before logging in, and each
# upload endpoint's own limit for the roles that may upload there.
CLIENTELA_MAX_BODY_BYTES = envint("CLIENTELA_MAX_BODY_BYTES", DATA_UPLOAD_MAX_MEMORY_SIZE)
CLIENTELA_ANONYMOUS_MAX_BODY_BYTES = envint("CLIENTELA_ANONYMOUS_MAX_BODY_BYTES", 64 * 1024)
# Uploads spooled to disk go here (gunicorn.conf.py gives each worker its own folder and
# removes it when the worker dies); unset: the system's temporary folder.
FILE_UPLOAD_TEMP_DIR = os.environ.get("CLIENTELA_UPLOAD_TEMP_DIR") or None
if FILE_UPLOAD_TEMP_DIR:
    Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)

PAGE_SIZE = envint("CLIENTELA_PAGE_SIZE", 50)

# Background work (imports, reminders, duplicate scans): one task framework, its jobs in
# the database, run by `manage.py db_worker` (started by `make run`). Tests run a task
# where it is enqueued unless they ask for the database backend.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING and not envbool("CLIENTELA_TASKS_IN_DATABASE", False)
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

# Import and export (SPEC §9, issue 13): what one uploaded file may hold, and the limits
# that keep a crafted spreadsheet (a zip bomb, a cell at XFD1048576) from taking the
# server's memory. Exports stream, whatever the number of rows.
IMPORT_MAX_BYTES = envint("CLIENTELA_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
IMPORT_MAX_ROWS = envint("CLIENTELA_IMPORT_MAX_ROWS", 200_000)
IMPORT_MAX_COLUMNS = envint("CLIENTELA_IMPORT_MAX_COLUMNS", 200)
IMPORT_MAX_UNCOMPRESSED_BYTES = envint("CLIENTELA_IMPORT_MAX_UNCOMPRESSED_BYTES", 500 * 1024 * 1024)
# Rows validated and written together: one lookup of identities per batch.
IMPORT_BATCH_SIZE = envint("CLIENTELA_IMPORT_BATCH_SIZE", 2000)

# Cases: hours to answer by priority (SPEC §5); due_at = opened + these hours.
CASE_RESPONSE_HOURS = {
    "urgent": envint("CLIENTELA_CASE_HOURS_URGENT", 4),
    "high": envint("CLIENTELA_CASE_HOURS_HIGH", 24),
    "normal": envint("CLIENTELA_CASE_HOURS_NORMAL", 72),
    "low": envint("CLIENTELA_CASE_HOURS_LOW", 120),
}

# E-mail (activity reminders): Django's own settings, read from the environment. Without
# CLIENTELA_EMAIL_HOST, messages are printed on the console (`make run`) and never sent.
EMAIL_HOST = os.environ.get("CLIENTELA_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = envint("CLIENTELA_EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("CLIENTELA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CLIENTELA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = envbool("CLIENTELA_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("CLIENTELA_EMAIL_FROM", "clientela@localhost")

# Documents (SPEC §6): per-file size limit, and limits against decompression bombs in
# ZIP and office files (total uncompressed size, and ratio to the compressed size).
DOCUMENT_MAX_BYTES = envint("CLIENTELA_DOCUMENT_MAX_BYTES", 25 * 1024 * 1024)
DOCUMENT_MAX_UNCOMPRESSED_BYTES = envint(
    "CLIENTELA_DOCUMENT_MAX_UNCOMPRESSED_BYTES", 250 * 1024 * 1024
)
DOCUMENT_MAX_COMPRESSION_RATIO = envint("CLIENTELA_DOCUMENT_MAX_COMPRESSION_RATIO", 100)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the meta tag, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy on every answer (issue 14): scripts, styles, images and
# requests from this site only, no inline script or style (templates load static files;
# htmx is told not to inject its indicator style nor to evaluate attributes: see
# base.html), no plugins, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Browser features no page of ours uses, refused to every page and anything it embeds.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), "
    "browsing-topics=()"
)

if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31_536_000)
    # Both bind more than this site (every subdomain; browsers' built-in lists, hard to
    # leave): only when the operator asks for them.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # check --deploy warns when they are off; off is the decision above, not an oversight.
    SILENCED_SYSTEM_CHECKS = [
        *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
        *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
    ]

# One line per event on stderr; JSON in production (LOG_FORMAT=json, the default when
# DEBUG is off) with the request id on every line (clientela.operations.request_id).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if (DEBUG or TESTING) else "json").lower()
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LOG_FORMAT must be 'json' or 'text'")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "clientela.operations.request_id.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# ── Production operations (issue 19) ─────────────────────────────────────────────────

# The same engines with an on-rollback hook (clientela.core.backends): a file stored in
# a transaction that rolls back is removed with it.
DATABASES["default"]["ENGINE"] = with_rollback_hooks(DATABASES["default"]["ENGINE"])
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Django's default test database for SQLite, said explicitly: pytest-django knows
    # SQLite only by Django's own engine name, and would otherwise name a file after ours.
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")

if CLIENTELA_STORAGE == "s3":
    STORAGES["default"]["OPTIONS"].update(
        {
            # MinIO and most S3-compatible stores want path-style addressing.
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            # A download larger than this spills to a temporary file, not memory.
            "max_memory_size": FILE_UPLOAD_MAX_MEMORY_SIZE,
        }
    )

# Health endpoints, request ids, the worker's heartbeat, backup and restore. Before
# django_tasks_db so that its `db_worker` command is ours (clientela.operations.worker).
INSTALLED_APPS.insert(INSTALLED_APPS.index("django_tasks"), "clientela.operations")
# First: every log line of a request carries its id; probes are answered before the
# host check, the SSL redirect and the login (clientela.operations.middleware).
MIDDLEWARE[:0] = [
    "clientela.operations.middleware.RequestIdMiddleware",
    "clientela.operations.middleware.HealthCheckMiddleware",
]
# A worker writes its heartbeat this often; one not seen for STALE seconds is lost (its
# running task goes back to the queue, /readyz fails when no worker is left); a task
# whose worker was lost this many times is marked failed.
CLIENTELA_WORKER_HEARTBEAT_SECONDS = envint("CLIENTELA_WORKER_HEARTBEAT_SECONDS", 10)
CLIENTELA_WORKER_STALE_SECONDS = envint("CLIENTELA_WORKER_STALE_SECONDS", 60)
CLIENTELA_TASK_MAX_ATTEMPTS = envint("CLIENTELA_TASK_MAX_ATTEMPTS", 3)

# Duplicates and merge (issue 16): a merge can be undone for this many days.
CLIENTELA_MERGE_UNDO_DAYS = envint("CLIENTELA_MERGE_UNDO_DAYS", 30)
