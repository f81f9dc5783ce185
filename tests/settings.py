"""Test settings: the product's settings with a throwaway home and the chosen test database.

RELAYDESK_TEST_DATABASE_URL=postgresql://… runs the whole suite on PostgreSQL; without it the
suite runs on SQLite.
"""

import os
import tempfile

# A home made here is removed when the run ends (tests/conftest.py); one given is left alone.
THROWAWAY_HOME = None
if "RELAYDESK_HOME" not in os.environ:
    THROWAWAY_HOME = os.environ["RELAYDESK_HOME"] = tempfile.mkdtemp(prefix="relaydesk-test-")
os.environ.setdefault("RELAYDESK_SECRET_KEY", "test-secret-key-not-for-production")

from relaydesk.settings import *  # noqa: E402,F403
from relaydesk.settings import STATIC_ROOT, _database_from_url  # noqa: E402

TEST_DATABASE_URL = os.environ.get("RELAYDESK_TEST_DATABASE_URL", "")
if TEST_DATABASE_URL:
    # A commit does not wait for its WAL to reach the disk (what a power cut would lose is a
    # throwaway test database): the suite's committing tests (flushes, live servers, threads,
    # and the worker processes they start, which inherit this) stop waiting on fsync. What a
    # commit makes visible, and when, is the same.
    os.environ.setdefault("PGOPTIONS", "-c synchronous_commit=off")
    DATABASES = {"default": _database_from_url(TEST_DATABASE_URL)}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # A file in WAL mode, as the product runs, rather than Django's shared in-memory database:
    # threads then have their own connections and wait on SQLite's locks as in production.
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(os.environ["RELAYDESK_HOME"], "test.db")}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing static root
