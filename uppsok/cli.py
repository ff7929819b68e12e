"""`uppsok` command: the analysis command, otherwise Django management commands."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "analyse":
        from uppsok.analysis.cli import main as analyse_main

        return analyse_main(args[1:])
    if args and not args[0].startswith("-"):
        # `uppsok import-ads` reads better on a command line; Django's commands use underscores.
        args[0] = args[0].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uppsok.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["uppsok", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
