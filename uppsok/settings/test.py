"""Test settings: SQLite in memory by default, PostgreSQL when DATABASE_URL says so."""

from .base import *  # noqa: F403
from .base import DATABASES
from .env import env_str

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests; argon2 is tested directly
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["NAME"] = ":memory:"
    DATABASES["default"]["TEST"] = {"NAME": env_str("UPPSOK_TEST_SQLITE_FILE", "") or None}
DATABASES["default"]["CONN_MAX_AGE"] = 0
UPPSOK_DEMO_MODE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
UPPSOK_AUDIT_DB_TRIGGERS = False
