"""The `motcua` console command: Django's management commands under the project's settings.

`motcua serve`, `motcua demo`, `motcua import-units`, `motcua catalog ...`, `motcua due-date` are
management commands of the project's apps; dashes map to underscores so both spellings work.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "motcua"
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
