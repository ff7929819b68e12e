"""The production settings, served over plain HTTP on 127.0.0.1 for the load bench only.

`DJANGO_SETTINGS_MODULE=load_settings` with bench/load on PYTHONPATH (bench/load/run.py sets both).
Everything is `uppsok.settings.production` (DEBUG off, WhiteNoise, the same middleware, the same
required environment) except what a browser needs to keep a session without TLS: the HTTPS
redirect (also off with the documented UPPSOK_SSL_REDIRECT=0), HSTS and the Secure flag of the
session and CSRF cookies — a client does not send a Secure cookie back over http://. Never use
this module on a server.
"""

from uppsok.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
