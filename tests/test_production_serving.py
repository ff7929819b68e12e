"""Production settings served by gunicorn with the repository's configuration: pages, static files
with hashed names from WhiteNoise, and the health endpoint — a real server in a subprocess."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:  # noqa: S310 - a local test server
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_gunicorn_serves_pages_static_files_and_health(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "uppsok.settings.production",
        "UPPSOK_SECRET_KEY": "t" * 20 + "production-serving-test-key-with-enough-length-0123456789",
        "UPPSOK_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "UPPSOK_STATIC_ROOT": str(tmp_path / "static"),
        "UPPSOK_SSL_REDIRECT": "0",
        "UPPSOK_BIND": f"127.0.0.1:{port}",
        "UPPSOK_WEB_WORKERS": "1",
    }
    for cmd in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([str(BIN / "uppsok"), *cmd], cwd=ROOT, env=env, check=True, timeout=300)
    server = subprocess.Popen([str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "uppsok.wsgi"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                status, _h, page = _get(base + "/konto/logga-in/")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        else:
            raise AssertionError("gunicorn did not answer")
        assert status == 200 and b"Logga in" in page
        css = re.search(rb'href="(/static/[^"]+\.css)"', page)
        assert css and re.search(rb"\.[0-9a-f]{12}\.css$", css.group(1))  # the hashed name
        status, headers, body = _get(base + css.group(1).decode())
        assert status == 200 and body and "max-age=315360000" in headers.get("Cache-Control", "")
        status, headers, body = _get(base + "/halsa/")
        # no worker or scheduler runs beside this server: the check says so, and nothing else
        assert status == 503 and body == b'{"status": "fel", "checks": {"database": true, "worker": false, "scheduler": false}}'
    finally:
        server.terminate()
        server.wait(timeout=30)
