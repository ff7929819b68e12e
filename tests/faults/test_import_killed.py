"""A real `db_worker` killed with SIGKILL in the middle of an import: only whole batches are saved,
the import page shows the job as interrupted with a retry button, and the retry ends with the same
ads, sightings, numbers and links as a clean import of the same file (bench/faults/import_kill.py
does the work; this test gives it a copy of the test database, on SQLite or on PostgreSQL)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _copy_of_test_database(tmp_path: Path) -> tuple[str, str | None]:
    """(URL of a copy of the migrated test database, the PostgreSQL copy's name to drop or None)."""
    if connection.vendor == "sqlite":
        target = tmp_path / "copy.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as dest:
            connection.connection.backup(dest)
        return f"sqlite:///{target}", None
    import psycopg

    settings = connection.settings_dict
    name = f"uppsok_fault_{uuid.uuid4().hex[:8]}"
    server = f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    # A template must have no other session: this test's own connection reconnects afterwards, and
    # a connection an earlier test's thread left open (a live server, a finished worker thread) is
    # idle and stale, so it is ended rather than waited for.
    connection.close()
    with psycopg.connect(server + "/postgres", autocommit=True) as admin:
        for attempt in range(10):
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [settings["NAME"]],
            )
            try:
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{settings["NAME"]}"')
                break
            except psycopg.errors.ObjectInUse:
                if attempt == 9:
                    raise
                time.sleep(0.5)
    return f"{server}/{name}", name


@pytest.mark.slow
def test_a_killed_import_keeps_whole_batches_and_a_retry_ends_like_a_clean_import(transactional_db, tmp_path):
    url, pg_copy = _copy_of_test_database(tmp_path)
    try:
        run = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "faults" / "import_kill.py"), "--database-url", url,
             "--no-migrate", "--ads", "1400", "--json"],
            cwd=ROOT, capture_output=True, text=True, timeout=600,
        )
    finally:
        if pg_copy:
            import psycopg

            settings = connection.settings_dict
            server = f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
            with psycopg.connect(server + "/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{pg_copy}" WITH (FORCE)')
    assert run.stdout, run.stderr[-3000:]
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    assert figures["failures"] == [], figures
    for phase in ("killed_in_batches", "killed_in_analysis"):
        result = figures[phase]
        assert result["status_after_kill"] == "running"
        assert result["page_shows"] == {"Avbruten": True, "Försök igen": True}
        assert result["after_retry"] == figures["clean"]
        assert result["job_counts"]["attempts"] == 2
        # the payload is cleared once the import is done
        assert result["kept_rows_after"] is False
    rows, earlier = figures["rows_in_file"], figures["ads_imported_earlier"]
    assert 0 < figures["killed_in_batches"]["rows_done_at_kill"] < rows
    assert figures["killed_in_analysis"]["rows_done_at_kill"] == rows
    assert figures["clean"]["links"] > 0 and figures["clean"]["sightings"] == rows + earlier
    # ads seen twice in the file are one new ad; the earlier import's ads are updated, not made again
    assert figures["clean_job_counts"] == {"created": figures["ads_in_file"] - earlier, "updated": earlier}
