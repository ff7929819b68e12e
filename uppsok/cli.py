"""`uppsok` command: the analysis command, otherwise Django management commands."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "analyse":
        from uppsok.analysis.cli import main as analyse_main

        return analyse_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uppsok.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["uppsok", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
