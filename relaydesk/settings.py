"""Relaydesk's one settings module: everything comes from RELAYDESK_* environment variables.

Every variable is listed, with its default, in docs/configuration.md and .env.example.
The defaults are the embedded mode: SQLite in RELAYDESK_HOME, mail written to files.
"""

import os
import re
import warnings
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_duration(name: str, default: str) -> timedelta:
    """A span written as in the company file: "2d", "12h", "90m", or "1d12h"."""
    raw = os.environ.get(name) or default
    parts = re.fullmatch(r"\s*(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*", raw.lower())
    if parts is None or not any(parts.groups()):
        raise ImproperlyConfigured(
            f'{name} must be a span such as "2d", "12h" or "90m", not {raw!r}'
        )
    days, hours, minutes = (int(part or 0) for part in parts.groups())
    return timedelta(days=days, hours=hours, minutes=minutes)


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
HOME = Path(env_str("RELAYDESK_HOME", "relaydesk-data")).resolve()

DEBUG = env_bool("RELAYDESK_DEBUG", False)
SECRET_KEY = os.environ.get("RELAYDESK_SECRET_KEY", "")
if not SECRET_KEY:
    # Embedded mode: a random key kept in RELAYDESK_HOME, so sessions and signed links
    # survive a restart without anyone configuring a secret.
    _key_file = HOME / "secret.key"
    if _key_file.exists():
        SECRET_KEY = _key_file.read_text().strip()
    else:
        from django.core.management.utils import get_random_secret_key

        HOME.mkdir(mode=0o700, parents=True, exist_ok=True)
        SECRET_KEY = get_random_secret_key()
        with os.fdopen(os.open(_key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
            f.write(SECRET_KEY)

ALLOWED_HOSTS = env_list("RELAYDESK_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("RELAYDESK_CSRF_TRUSTED_ORIGINS", [])
# Links in mail and pages: RELAYDESK_BASE_URL; unset, the address `relaydesk serve` last bound
# (RELAYDESK_HOME/served-at, read by relaydesk.org.addresses.base_url), else this default.
BASE_URL_GIVEN = bool(env_str("RELAYDESK_BASE_URL", ""))
BASE_URL = env_str("RELAYDESK_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # OpClass in index expressions (cases 0020: customer names)
    "django_htmx",
    "template_partials",
    "ninja",  # the API docs page's Swagger assets from the package, not a CDN
    "axes",  # sign-in limits (relaydesk.web.login_limits)
    "relaydesk.intake",
    "relaydesk.org",
    "relaydesk.problems",
    "relaydesk.cases",
    "relaydesk.outbox",
    "relaydesk.clock",
    "relaydesk.replies",
    "relaydesk.goodwill",
    "relaydesk.portal",
    "relaydesk.insights",
    "relaydesk.privacy",
    "relaydesk.api",
    "relaydesk.web",
    "relaydesk.setup",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "relaydesk.api.errors.json_errors_middleware",  # /api/ errors as JSON, never HTML
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "relaydesk.web.middleware.company_time_zone_middleware",  # times in the company zone
    "axes.middleware.AxesMiddleware",  # answers a locked-out sign-in with web/locked_out.html
]

# Axes' check runs before the password is; relaydesk.web.login_limits says why it is a subclass.
AUTHENTICATION_BACKENDS = [
    "relaydesk.web.login_limits.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "relaydesk.urls"
WSGI_APPLICATION = "relaydesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]


def _database_from_url(url: str) -> dict:
    config: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=env_int("RELAYDESK_DB_CONN_MAX_AGE", 60))
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = SQLITE_OPTIONS
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # No JIT compiling: it pays off only for queries that run for seconds, and ours are
        # short by design; PostgreSQL compiled the trail's (its estimates of rows are high)
        # and spent a quarter of a second of each month's trail on it. The connection's
        # options replace libpq's PGOPTIONS, so those come after, and the URL's own last:
        # the later setting wins.
        options: dict[str, Any] = dict(config.get("OPTIONS") or {})
        given = (os.environ.get("PGOPTIONS", ""), options.get("options", ""))
        options["options"] = " ".join(["-c jit=off", *(part for part in given if part)])
        config["OPTIONS"] = options
    return config


SQLITE_OPTIONS = {
    # WAL lets the worker write while pages read; IMMEDIATE makes writers queue on the busy
    # timeout instead of failing half-way through a transaction with "database is locked".
    "transaction_mode": "IMMEDIATE",
    "timeout": env_int("RELAYDESK_SQLITE_BUSY_TIMEOUT", 20),
    # synchronous=FULL syncs the WAL at every commit: a case the customer was told about
    # survives a power cut. SQLite's own checkpoint copies the WAL into the database file
    # every 1,000 pages. Reads of a database bigger than SQLite's 2 MB page cache go through
    # the OS page cache by memory map (shared by all connections) instead of a read() per page.
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
        f"PRAGMA mmap_size={env_int('RELAYDESK_SQLITE_MMAP_MB', 1024) * 1024 * 1024};"
    ),
}

_database_url = os.environ.get("RELAYDESK_DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": _database_from_url(_database_url)}
else:
    HOME.mkdir(mode=0o700, parents=True, exist_ok=True)  # customers' data: its user's only
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": HOME / "relaydesk.sqlite3",
            "OPTIONS": SQLITE_OPTIONS,
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en-gb"
FORMAT_MODULE_PATH = ["relaydesk.org.formats"]  # en-GB on the 24-hour clock
TIME_ZONE = env_str("RELAYDESK_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = HOME / "files"

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("RELAYDESK_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# HTTPS, for an operator serving through TLS (docs/configuration.md, "Security"). Off by default:
# the embedded mode serves plain HTTP on 127.0.0.1, where a redirect or HSTS would lock it out.
SECURE_HSTS_SECONDS = env_int("RELAYDESK_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("RELAYDESK_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("RELAYDESK_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("RELAYDESK_SSL_REDIRECT", False)
BEHIND_TLS_PROXY = env_bool("RELAYDESK_BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    # The proxy ends TLS and says so in X-Forwarded-Proto (it must overwrite a client's own).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy on every response (django-csp). Scripts only from our own origin:
# no inline script, no eval (htmx runs with allowEval off, web/base.html). Inline styles are
# allowed: the trail's charts are pygal SVG that carries its own <style> and style attributes,
# and htmx adds its indicator style; CSS cannot run script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Sign-in limits (django-axes with relaydesk.web.login_limits): after this many wrong passwords
# for one username, or from one address, sign-in is refused for the cool-off, which doubles for
# each further limit's worth of failures, up to the maximum. An admin can lift a lockout by
# deleting its row under "Access attempts" on the admin site.
AXES_FAILURE_LIMIT = env_int("RELAYDESK_LOGIN_FAILURE_LIMIT", 5)
LOGIN_COOL_OFF_MINUTES = env_int("RELAYDESK_LOGIN_COOL_OFF_MINUTES", 15)
LOGIN_COOL_OFF_MAX_MINUTES = env_int("RELAYDESK_LOGIN_COOL_OFF_MAX_MINUTES", 24 * 60)
if AXES_FAILURE_LIMIT < 1 or LOGIN_COOL_OFF_MINUTES < 1:
    raise ImproperlyConfigured(
        "RELAYDESK_LOGIN_FAILURE_LIMIT and RELAYDESK_LOGIN_COOL_OFF_MINUTES must be 1 or more"
    )
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "relaydesk.web.login_limits.client_address"
AXES_COOLOFF_TIME = "relaydesk.web.login_limits.cool_off"
AXES_USE_ATTEMPT_EXPIRATION = True  # each lockout ends by its own cool-off
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure on the admin site, "Access failures"

# Mail. The embedded default writes every outgoing message as an .eml file in
# RELAYDESK_HOME/outbox, so nothing needs configuring to try the product.
# The From: RELAYDESK_FROM_EMAIL, else the company's support_email, else this default
# (relaydesk.org.addresses.sender_address).
FROM_EMAIL_GIVEN = bool(env_str("RELAYDESK_FROM_EMAIL", ""))
DEFAULT_FROM_EMAIL = env_str("RELAYDESK_FROM_EMAIL", "support@relaydesk.localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMTP_HOST = env_str("RELAYDESK_SMTP_HOST", "")
if SMTP_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = SMTP_HOST
    EMAIL_PORT = env_int("RELAYDESK_SMTP_PORT", 587)
    EMAIL_HOST_USER = env_str("RELAYDESK_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = env_str("RELAYDESK_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("RELAYDESK_SMTP_STARTTLS", True)
    EMAIL_USE_SSL = env_bool("RELAYDESK_SMTP_SSL", False)
    EMAIL_TIMEOUT = env_int("RELAYDESK_SMTP_TIMEOUT", 20)
else:
    EMAIL_BACKEND = "relaydesk.outbox.backends.EmlFileBackend"  # one .eml file per message
    EMAIL_FILE_PATH = HOME / "outbox"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},  # stderr
    "loggers": {
        "relaydesk": {"handlers": ["console"], "level": env_str("RELAYDESK_LOG_LEVEL", "INFO")},
        # A 500 with its traceback (a 4xx is the client's business: not logged here).
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

NINJA_PAGINATION_PER_PAGE = 50

# Email in (relaydesk.intake.mail): `relaydesk mailin` and the IMAP poller. See docs/email.md.
MAIL_DOMAIN_GIVEN = bool(env_str("RELAYDESK_MAIL_DOMAIN", ""))
MAIL_DOMAIN = env_str("RELAYDESK_MAIL_DOMAIN", "") or DEFAULT_FROM_EMAIL.rpartition("@")[2]
MAILIN_HOST = env_str("RELAYDESK_MAILIN_HOST", "127.0.0.1")
MAILIN_PORT = env_int("RELAYDESK_MAILIN_PORT", 2525)
MAIL_MAX_MESSAGE_BYTES = env_int("RELAYDESK_MAIL_MAX_MESSAGE_BYTES", 40 * 1024 * 1024)
MAIL_MAX_ATTACHMENT_BYTES = env_int("RELAYDESK_MAIL_MAX_ATTACHMENT_BYTES", 25 * 1024 * 1024)
MAIL_RAW_FILE_BYTES = env_int("RELAYDESK_MAIL_RAW_FILE_BYTES", 1024 * 1024)  # bigger: a file
MAIL_DEFAULT_CATEGORY = env_str("RELAYDESK_MAIL_DEFAULT_CATEGORY", "")
MAIL_ACKS_PER_SENDER_PER_HOUR = env_int("RELAYDESK_MAIL_ACKS_PER_SENDER_PER_HOUR", 3)
MAIL_DUPLICATE_MINUTES = env_int("RELAYDESK_MAIL_DUPLICATE_MINUTES", 10)
# New cases one sender may open by mail in an hour; beyond it their mail is quarantined (0: no cap).
MAIL_CASES_PER_SENDER_HOUR = env_int("RELAYDESK_MAIL_CASES_PER_SENDER_HOUR", 20)
# Receiving servers whose Authentication-Results header may prove a mail is the customer's
# (rule 11): their authserv-ids. Every other Authentication-Results header is ignored.
TRUSTED_AUTHSERV_IDS = [item.lower() for item in env_list("RELAYDESK_TRUSTED_AUTHSERV_IDS", [])]
IMAP_HOST = env_str("RELAYDESK_IMAP_HOST", "")
IMAP_PORT = env_int("RELAYDESK_IMAP_PORT", 993)
IMAP_USER = env_str("RELAYDESK_IMAP_USER", "")
IMAP_PASSWORD = env_str("RELAYDESK_IMAP_PASSWORD", "")
IMAP_FOLDER = env_str("RELAYDESK_IMAP_FOLDER", "INBOX")
IMAP_DONE_FOLDER = env_str("RELAYDESK_IMAP_DONE_FOLDER", "")  # empty: flag \Seen, leave in place
IMAP_SSL = env_bool("RELAYDESK_IMAP_SSL", True)
IMAP_POLL_SECONDS = env_int("RELAYDESK_IMAP_POLL_SECONDS", 60)
CONTACT_PER_ADDRESS_PER_HOUR = env_int("RELAYDESK_CONTACT_PER_ADDRESS_PER_HOUR", 3)
CONTACT_PER_IP_PER_HOUR = env_int("RELAYDESK_CONTACT_PER_IP_PER_HOUR", 10)
# Messages and survey answers a case's customer may post on its status page in an hour
# (relaydesk.portal.status_limit).
STATUS_PAGE_POSTS_PER_HOUR = env_int("RELAYDESK_STATUS_PAGE_POSTS_PER_HOUR", 10)

# The outbox (relaydesk.outbox.sending): a claimed mail is left to its worker for the lease;
# failed sends are retried after 1×, 2×, 4× … the first delay (at most 2 h apart).
OUTBOX_LEASE_SECONDS = env_int("RELAYDESK_OUTBOX_LEASE_SECONDS", 15 * 60)
OUTBOX_RETRY_SECONDS = env_int("RELAYDESK_OUTBOX_RETRY_SECONDS", 30)
# A send the server may accept later (no answer, a 4xx, a refused login or sender: a setting
# someone can fix) is retried until this long after the mail was queued, then marked failed.
MAIL_RETRY_FOR = env_duration("RELAYDESK_MAIL_RETRY_FOR", "2d")
if "RELAYDESK_OUTBOX_MAX_ATTEMPTS" in os.environ:  # retired: not a setting any more
    # An operator's old setting must not stop Relaydesk: it is read no more, and said so.
    warnings.warn(
        "RELAYDESK_OUTBOX_MAX_ATTEMPTS is no longer read: failed sends are retried for a time, "
        'RELAYDESK_MAIL_RETRY_FOR (default "2d")',
        stacklevel=1,
    )
# Staff notification mail waits this long so a storm becomes one digest (relaydesk.cases.notify).
DIGEST_MINUTES = env_int("RELAYDESK_DIGEST_MINUTES", 5)
if DIGEST_MINUTES < 0:
    raise ImproperlyConfigured(f"RELAYDESK_DIGEST_MINUTES must be 0 or more, not {DIGEST_MINUTES}")
# Rule 15: erase customers whose cases all closed more than this many days ago (a worker
# step, relaydesk.privacy.retention); 0, the default, keeps them.
RETAIN_CLOSED_DAYS = env_int("RELAYDESK_RETAIN_CLOSED_DAYS", 0)
if RETAIN_CLOSED_DAYS < 0:
    raise ImproperlyConfigured(
        f"RELAYDESK_RETAIN_CLOSED_DAYS must be 0 (off) or more, not {RETAIN_CLOSED_DAYS}"
    )
