"""Production settings: refuse to start without secrets; `check --deploy` is clean."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UPPSOK = ROOT / ".venv" / "bin" / "uppsok"
GOOD_KEY = "k" * 30 + "Z9#x" * 8


def _run(extra_env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UPPSOK_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC"))}
    env["DJANGO_SETTINGS_MODULE"] = "uppsok.settings.production"
    env.update(extra_env)
    cmd = [str(UPPSOK)] if UPPSOK.exists() else [sys.executable, "-m", "uppsok.cli"]
    return subprocess.run([*cmd, *args], env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_missing_secret_key_stops_start_up():
    result = _run({"UPPSOK_ALLOWED_HOSTS": "x.se", "DATABASE_URL": "postgres://u@127.0.0.1/db"}, "check")
    assert result.returncode != 0
    assert "UPPSOK_SECRET_KEY saknas" in result.stderr


def test_short_secret_key_is_refused():
    result = _run(
        {"UPPSOK_SECRET_KEY": "short", "UPPSOK_ALLOWED_HOSTS": "x.se", "DATABASE_URL": "postgres://u@127.0.0.1/db"},
        "check",
    )
    assert result.returncode != 0
    assert "minst 50 tecken" in result.stderr


def test_missing_database_url_stops_start_up():
    result = _run({"UPPSOK_SECRET_KEY": GOOD_KEY, "UPPSOK_ALLOWED_HOSTS": "x.se"}, "check")
    assert result.returncode != 0
    assert "DATABASE_URL saknas" in result.stderr


def test_check_deploy_has_no_warnings():
    result = _run(
        {
            "UPPSOK_SECRET_KEY": GOOD_KEY,
            "UPPSOK_ALLOWED_HOSTS": "uppsok.example.se",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_security_settings():
    env = {
        "UPPSOK_SECRET_KEY": GOOD_KEY,
        "UPPSOK_ALLOWED_HOSTS": "uppsok.example.se",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    }
    code = (
        "from django.conf import settings as s; import django; django.setup(); "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS >= 31536000, "
        "s.X_FRAME_OPTIONS, s.DEBUG, s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'])"
    )
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("UPPSOK_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC"))}
    full_env.update(env, DJANGO_SETTINGS_MODULE="uppsok.settings.production")
    result = subprocess.run([sys.executable, "-c", code], env=full_env, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True True DENY False [\"'self'\"]"
