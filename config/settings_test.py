"""Test settings: the real settings with a fast hasher and an in-memory cache."""

import os

os.environ.setdefault("PAINREHAB_SECRET_KEY", "test-only-not-secret")

from config.settings import *  # noqa: F403

# MD5 only here, to keep the suite fast; production uses PBKDF2 (see test_passwords).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory: concurrent-transaction tests need SQLite's
    # real locking (shared-cache memory databases fail with "table is locked").
    # One file per process, so parallel runs never share one.
    _name = f"test-{os.getpid()}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / _name)}  # noqa: F405
