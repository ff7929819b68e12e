"""`uppsok backup`: an encrypted archive of the database and the stored files, or a new key."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from uppsok.core import backup


class Command(BaseCommand):
    help = ("Skriv en krypterad säkerhetskopia av databasen och de lagrade filerna. / "
            "Write an encrypted backup of the database and the stored files.")
    # A backup is wanted most when something is wrong, so a failing system check must not stop it.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("output", nargs="?",
                            help="en katalog (arkivet får ett daterat namn) eller ett filnamn / "
                                 "a directory (the archive gets a dated name) or a file name")
        parser.add_argument("--key-file", help=f"nyckelfilen (annars {backup.KEY_FILE_ENV} eller {backup.KEY_ENV}) / "
                                               "the key file (default: from the environment)")
        parser.add_argument("--keep-days", type=int, metavar="DAGAR",
                            help="radera sedan katalogens arkiv som är äldre än så många dagar / "
                                 "then delete the directory's archives older than this many days")
        parser.add_argument("--verify", action="store_true",
                            help="läs sedan hela arkivet och kontrollera det som `restore --check` / "
                                 "then read the whole archive back and check it as `restore --check` does")
        parser.add_argument("--generate-key", action="store_true",
                            help="skapa en ny nyckel: till --key-file, annars skrivs den ut / "
                                 "make a new key: into --key-file, else printed")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["generate_key"]:
                self._generate_key(options["key_file"])
                return
            if not options["output"]:
                raise CommandError("Ange en katalog eller ett filnamn för arkivet. / Give a directory or file name.")
            if options["keep_days"] is not None and options["keep_days"] < 1:
                raise CommandError("--keep-days måste vara minst 1. / --keep-days must be at least 1.")
            key, key_file = backup.load_key(options["key_file"])
            with backup.sigterm_as_interrupt():
                result = backup.create_backup(Path(options["output"]), key, database=backup.configured_database(),
                                              media_root=backup.configured_media_root(), key_file=key_file)
                tables = len(result.manifest["tables"])
                mb = result.size / 1e6
                self.stdout.write(
                    f"Säkerhetskopian är skriven: {result.path} ({mb:.1f} MB; {tables} tabeller, {result.rows} "
                    f"rader, {result.files} filer; {result.seconds:.1f} s). / Backup written: {result.path} "
                    f"({mb:.1f} MB; {tables} tables, {result.rows} rows, {result.files} files; "
                    f"{result.seconds:.1f} s)."
                )
                if options["verify"]:
                    checked = backup.check_archive(result.path, key)
                    self.stdout.write(f"Arkivet är kontrollerat ({checked.seconds:.1f} s). / "
                                      f"The archive was checked ({checked.seconds:.1f} s).")
        except KeyboardInterrupt:
            raise CommandError("Avbruten. / Interrupted.") from None
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        # Old archives go only once a new one is written (and checked, with --verify).
        if options["keep_days"] is not None:
            removed = backup.rotate(result.path.parent, options["keep_days"])
            for path in removed:
                self.stdout.write(f"Raderade / deleted {path}")
            self.stdout.write(f"{len(removed)} gamla arkiv raderade (äldre än {options['keep_days']} dagar). / "
                              f"{len(removed)} old archives deleted (older than {options['keep_days']} days).")

    def _generate_key(self, key_file: str | None) -> None:
        if key_file:
            backup.write_key_file(Path(key_file))
            self.stdout.write(
                f"En ny nyckel är skriven till {key_file} (bara ägaren kan läsa den). Förvara en kopia skild från "
                "arkiven, se docs/DEPLOY.md. / A new key was written to "
                f"{key_file} (readable by its owner only). Keep a copy apart from the archives, see docs/DEPLOY.md."
            )
            return
        self.stdout.write(backup.generate_key())
        sys.stderr.write("Förvara nyckeln skild från arkiven; utan den går inget arkiv att läsa. / "
                         "Keep the key apart from the archives; without it no archive can be read.\n")
