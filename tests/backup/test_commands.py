"""`uppsok backup` and `uppsok restore` as an operator runs them: production settings, the database and
MEDIA_ROOT from the environment, the key from a file, messages in Swedish then English."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import MEDIA, ROOT, media_contents, sqlite_contents

UPPSOK = str(Path(sys.executable).parent / "uppsok")


def run(args: list[str], var_dir: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("UPPSOK_BACKUP_KEY")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "uppsok.settings.production",
        "UPPSOK_SECRET_KEY": "backup-command-test-" + "k" * 40,
        "UPPSOK_ALLOWED_HOSTS": "uppsok.example.se",
        "DATABASE_URL": f"sqlite:///{var_dir / 'uppsok.sqlite3'}",
        "UPPSOK_VAR_DIR": str(var_dir),
        **extra,
    })
    return subprocess.run([UPPSOK, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_backup_check_and_restore_from_the_command_line(tmp_path, sqlite_source):
    db, media = sqlite_source
    source_var = Path(db.name).parent
    keys, archives, target_var = tmp_path / "etc", tmp_path / "archives", tmp_path / "restored"
    keys.mkdir(), archives.mkdir()
    key_file = keys / "backup.key"

    made = run(["backup", "--generate-key", "--key-file", str(key_file)], source_var)
    assert made.returncode == 0 and "En ny nyckel är skriven" in made.stdout
    assert str(key_file.read_text().strip()) not in made.stdout + made.stderr

    written = run(["backup", str(archives), "--keep-days", "30", "--verify"], source_var, UPPSOK_BACKUP_KEY_FILE=str(key_file))
    assert written.returncode == 0, written.stderr
    assert "Säkerhetskopian är skriven" in written.stdout and "/ Backup written" in written.stdout
    assert "Arkivet är kontrollerat" in written.stdout
    (archive,) = archives.iterdir()
    assert key_file.read_text().strip() not in written.stdout + written.stderr

    checked = run(["restore", "--check", str(archive), "--key-file", str(key_file)], tmp_path)
    assert checked.returncode == 0 and "Arkivet är helt och nyckeln stämmer" in checked.stdout
    assert not (tmp_path / "uppsok.sqlite3").exists()

    wrong = run(["restore", str(archive)], target_var, UPPSOK_BACKUP_KEY=os.urandom(32).hex())
    assert wrong.returncode != 0 and "Fel nyckel" in wrong.stderr and "Wrong key" in wrong.stderr
    assert not (target_var / "uppsok.sqlite3").exists()

    restored = run(["restore", str(archive), "--key-file", str(key_file)], target_var)
    assert restored.returncode == 0, restored.stderr
    assert "Återställt från" in restored.stdout and "uppsok purge" in restored.stdout
    assert sqlite_contents(target_var / "uppsok.sqlite3") == sqlite_contents(Path(db.name))
    assert media_contents(target_var / "media") == MEDIA
