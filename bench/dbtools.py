"""PostgreSQL helpers for the benchmark: the dedicated database, and bulk-load index handling."""

from __future__ import annotations

import time
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


def admin_url(url: str) -> str:
    """The same server, database `postgres`: where CREATE/DROP DATABASE are issued."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def db_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def conninfo(url: str) -> str:
    """psycopg accepts postgres:// URLs directly; kept as a function for one place to adapt."""
    return url


def database_exists(url: str) -> bool:
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db_name(url)]).fetchone()
            is not None
        )


def recreate_database(url: str) -> None:
    name = db_name(url)
    if not name.startswith("motcua_bench"):
        raise SystemExit(
            f"Refusing to drop {name!r}: the bench database's name must start with motcua_bench."
        )
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    name = db_name(url)
    if not name.startswith("motcua_bench"):
        raise SystemExit(f"Refusing to drop {name!r}.")
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def drop_secondary_structures(conn: psycopg.Connection, table: str) -> list[str]:
    """Drop the foreign keys, unique constraints and non-primary indexes of `table` and return the
    statements that restore them exactly (as the migrations made them).

    A bulk COPY into a table with 17 indexes and 7 deferred foreign-key triggers is several times
    slower than loading bare rows and building each index once; rebuilding the constraints also
    checks the generated data (unique codes, one event per dossier and seq, valid references).
    """
    restore: list[str] = []
    rows = conn.execute(
        """SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint
           WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC, conname""",
        [table],
    ).fetchall()
    constraint_names = {name for name, _d, _t in rows}
    indexes = conn.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           WHERE i.schemaname = current_schema() AND i.tablename = %s
             AND i.indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)
           ORDER BY i.indexname""",
        [table, table],
    ).fetchall()
    for name, _definition, _kind in rows:
        conn.execute(
            sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(sql.Identifier(table), sql.Identifier(name))
        )
    for name, _definition in indexes:
        if name in constraint_names:
            continue
        conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    # Unique constraints first (their indexes serve the foreign keys' checks), then plain indexes,
    # then foreign keys.
    restore += [f'ALTER TABLE "{table}" ADD CONSTRAINT "{n}" {d}' for n, d, k in rows if k == "u"]
    restore += [definition for _name, definition in indexes]
    restore += [f'ALTER TABLE "{table}" ADD CONSTRAINT "{n}" {d}' for n, d, k in rows if k == "f"]
    return restore


def run_statements(conn: psycopg.Connection, statements: list[str], log=print) -> float:
    started = time.monotonic()
    for statement in statements:
        t = time.monotonic()
        conn.execute(statement)
        log(f"    {time.monotonic() - t:6.1f} s  {statement[:110]}")
    return time.monotonic() - started
