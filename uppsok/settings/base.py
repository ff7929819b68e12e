"""Settings shared by every environment. Environment-specific modules import from here."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from .env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(env_str("UPPSOK_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = False
SECRET_KEY = env_str("UPPSOK_SECRET_KEY")
ALLOWED_HOSTS = env_list("UPPSOK_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "uppsok.core",
    "uppsok.accounts",
    "uppsok.audit",
    "uppsok.network",
    "uppsok.outreach",
    "uppsok.cases",
    "uppsok.stats",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "uppsok.core.display.BidiNeutraliseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "uppsok.core.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "uppsok.core.middleware.ActiveOrganisationMiddleware",
    "uppsok.core.middleware.TwoFactorMiddleware",
    "uppsok.core.middleware.DenyByDefaultMiddleware",
    # Axes must come last so it sees the final response of a failed login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "uppsok.urls"
WSGI_APPLICATION = "uppsok.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "uppsok.core.context_processors.organisation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'uppsok.sqlite3'}"),
        conn_max_age=env_int("UPPSOK_DB_CONN_MAX_AGE", 60),
        # A kept connection is checked before a request uses it, so after a database restart the
        # next request reconnects instead of failing on the dead connection.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker write the same file: a deferred transaction that later needs
    # the write lock fails at once with "database is locked" (a page saving its session during an
    # import); IMMEDIATE takes the lock up front and waits for it (timeout, seconds).
    # WAL lets pages read while the worker writes; with it, NORMAL sync loses no committed data on
    # a crash of the process (the last commits can be lost if the machine itself loses power). A 64 MB page cache (the default is 2 MB) keeps the text-feature index of an
    # import in memory instead of re-reading its pages for every row.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out credentials before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock an account+address pair after five failures for half an hour: enough for typos, too few
# for guessing a password.
AXES_FAILURE_LIMIT = env_int("UPPSOK_AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The lockout table keeps what it counts under: a keyed digest, never the typed name (people type
# their password there).
AXES_USERNAME_CALLABLE = "uppsok.accounts.lockout.lockout_username"

# A shared office computer left open is the most likely leak: sessions expire after 30 idle minutes.
SESSION_COOKIE_AGE = env_int("UPPSOK_SESSION_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

OTP_TOTP_ISSUER = "Uppsök"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
# Photos and documents appear whole or not at all: a full disk leaves no truncated file behind.
STORAGES = {
    "default": {"BACKEND": "uppsok.core.files.AtomicFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A running import renews its lease with every batch (a batch takes about a second); a job past its
# lease has lost its worker and is shown as interrupted, ready to be retried.
UPPSOK_IMPORT_LEASE_SECONDS = env_int("UPPSOK_IMPORT_LEASE_SECONDS", 120)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("UPPSOK_LOG_LEVEL", "WARNING")},
    # Axes logs usernames of failed attempts; our audit log already records them without noise.
    "loggers": {"axes": {"level": "ERROR"}},
}

UPPSOK_DEMO_MODE = env_bool("UPPSOK_DEMO", False)

# Covering indexes (INCLUDE) speed up PostgreSQL; SQLite, the embedded default, just ignores the
# extra columns, which is harmless.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
UPPSOK_AUDIT_DB_TRIGGERS = True

# E-mail is optional: without UPPSOK_EMAIL_HOST, invitation and reset links are handed over by the
# person who made them; with it, they can also be mailed to the address on the account.
UPPSOK_EMAIL_ENABLED = bool(env_str("UPPSOK_EMAIL_HOST", ""))
if UPPSOK_EMAIL_ENABLED:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("UPPSOK_EMAIL_HOST", "")
    EMAIL_PORT = env_int("UPPSOK_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("UPPSOK_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = env_str("UPPSOK_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("UPPSOK_EMAIL_USE_TLS", True)
    DEFAULT_FROM_EMAIL = env_str("UPPSOK_EMAIL_FROM", "uppsok@localhost")
# The address invitation links printed by `uppsok invite` start with (e.g. https://uppsok.example.se).
UPPSOK_BASE_URL = env_str("UPPSOK_BASE_URL", "")
