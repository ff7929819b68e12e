"""`uppsok restore`: check an archive, or bring it back into an empty database and media directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from uppsok.core import backup


class Command(BaseCommand):
    help = ("Kontrollera en säkerhetskopia (--check) eller återställ den till en tom databas. / "
            "Check a backup (--check) or restore it into an empty database.")
    # The target is an empty database: checks that read the database have nothing to look at yet.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", help="arkivfilen / the archive file")
        parser.add_argument("--key-file", help=f"nyckelfilen (annars {backup.KEY_FILE_ENV} eller {backup.KEY_ENV}) / "
                                               "the key file (default: from the environment)")
        parser.add_argument("--check", action="store_true",
                            help="kontrollera bara arkivet, återställ inget / only check the archive, restore nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        try:
            key, _key_file = backup.load_key(options["key_file"])
            with backup.sigterm_as_interrupt():
                if options["check"]:
                    result = backup.check_archive(archive, key)
                else:
                    result = backup.restore_backup(archive, key, database=backup.configured_database(),
                                                   media_root=backup.configured_media_root())
        except KeyboardInterrupt:
            raise CommandError("Avbruten – återställningen slutfördes inte. / "
                               "Interrupted – the restore did not finish.") from None
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        m = result.manifest
        tables = len(m["tables"])
        if options["check"]:
            self.stdout.write(
                f"Arkivet är helt och nyckeln stämmer: gjort {m['created']} av Uppsök {m['app_version']} "
                f"({m['database']['server']}); {tables} tabeller, {result.rows} rader, {result.files} filer "
                f"({result.seconds:.1f} s). / The archive is intact and the key fits: made {m['created']} by "
                f"Uppsök {m['app_version']} ({m['database']['server']}); {tables} tables, {result.rows} rows, "
                f"{result.files} files ({result.seconds:.1f} s)."
            )
            return
        self.stdout.write(
            f"Återställt från {archive}: {tables} tabeller med {result.rows} rader och {result.files} filer, "
            f"alla kontrollerade mot arkivets innehållsförteckning ({result.seconds:.1f} s). / Restored from "
            f"{archive}: {tables} tables with {result.rows} rows and {result.files} files, all checked against "
            f"the archive's manifest ({result.seconds:.1f} s)."
        )
        for line in migration_notes(m):
            self.stdout.write(line)


def migration_notes(manifest: dict[str, Any]) -> list[str]:
    """What to do before the services start: the archive's migrations against this version's."""
    from django.db.migrations.loader import MigrationLoader

    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    in_archive = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    notes = []
    unknown = sorted(in_archive - on_disk)
    if unknown:
        listed = ", ".join(f"{a}.{n}" for a, n in unknown[:5])
        notes.append(
            f"Varning: arkivet har migreringar som den här versionen inte känner till ({listed}); installera "
            f"Uppsök {manifest['app_version']} eller senare innan tjänsterna startas. / Warning: the archive has "
            f"migrations this version does not know ({listed}); install Uppsök {manifest['app_version']} or "
            "later before starting the services."
        )
    pending = len(on_disk - in_archive)
    if pending:
        notes.append(f"Kör `uppsok migrate`: den här versionen har migreringar som arkivet saknar ({pending}). / "
                     f"Run `uppsok migrate`: this version has migrations the archive lacks ({pending}).")
    notes.append(
        f"Kör sedan `uppsok purge` innan tjänsterna startas: arkivet ({manifest['created']}) kan innehålla "
        "uppgifter som gallrats sedan det gjordes. / Then run `uppsok purge` before starting the services: "
        f"the archive ({manifest['created']}) may hold data that retention has deleted since it was made."
    )
    return notes
