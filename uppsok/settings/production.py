"""Production: PostgreSQL, HTTPS only, every secret from the environment.

Importing this module raises ImproperlyConfigured when a required variable is missing, so a
misconfigured server fails at start-up instead of running with a guessable key.
"""

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list, env_str

DEBUG = False
SECRET_KEY = env_str("UPPSOK_SECRET_KEY", required=True)
if len(SECRET_KEY) < 50:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "UPPSOK_SECRET_KEY måste vara minst 50 tecken. / UPPSOK_SECRET_KEY must be at least 50 characters."
    )
ALLOWED_HOSTS = env_list("UPPSOK_ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("UPPSOK_ALLOWED_HOSTS saknas. / UPPSOK_ALLOWED_HOSTS is missing.")
env_str("DATABASE_URL", required=True)

SECURE_SSL_REDIRECT = env_bool("UPPSOK_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("UPPSOK_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
UPPSOK_DEMO_MODE = False
STORAGES = {
    "default": {"BACKEND": "uppsok.core.files.AtomicFileSystemStorage"},
    # hashed names (cached for a year) and compressed copies, served by WhiteNoise from STATIC_ROOT
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# The app serves its own static files (no proxy configuration needed for them), right after the
# security middleware so they get its headers too.
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "whitenoise.middleware.WhiteNoiseMiddleware")
STATIC_ROOT = env_str("UPPSOK_STATIC_ROOT", str(STATIC_ROOT))  # noqa: F405
