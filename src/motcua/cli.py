"""The `motcua` console command: Django's management commands under the project's settings.

`motcua serve`, `motcua demo`, `motcua import-units`, `motcua catalog ...`, `motcua due-date` are
management commands of the project's apps; dashes map to underscores so both spellings work.
"""

import os
import sys

# Commands that work on a database without the project's tables (they create or inspect them).
WITHOUT_TABLES = {
    "migrate",
    "makemigrations",
    "showmigrations",
    "sqlmigrate",
    "check",
    "help",
    "restore",
    "shell",
    "dbshell",
    "test",
    "version",
    "compilemessages",
    "makemessages",
    "collectstatic",
}


def unapplied_migrations() -> bool | None:
    """True when the database lacks migrations the code has (None: the database cannot tell)."""
    from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return None


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    args = list(sys.argv if argv is None else argv)
    args[0] = "motcua"
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    try:
        execute_from_command_line(args)
    except DatabaseError:
        # A fresh checkout (or an upgrade) whose database misses tables: say what to do instead of
        # a traceback. Any other database error is shown as it is.
        if len(args) > 1 and args[1] not in WITHOUT_TABLES and unapplied_migrations():
            from django.conf import settings
            from django.utils import translation
            from django.utils.translation import gettext as _

            translation.activate(settings.LANGUAGE_CODE)
            sys.stderr.write(
                _("The database is not set up for this version: run `motcua migrate` first.") + "\n"
            )
            sys.exit(2)
        raise


if __name__ == "__main__":
    main()
