"""`motcua backup` / `motcua restore`: the database and the uploaded files in one tar archive.

The archive holds `manifest.json` (format, engine, time, SHA-256 of every member), the database
(`database.dump` from pg_dump's custom format, or `database.sqlite3` from SQLite's online backup)
and `media/...`, the uploaded files. The database is dumped first, as one snapshot; files are
copied after it. Files are never changed in place (a new upload is a new name), so every file the
snapshot names is in the archive; a file deleted between the two steps (an expired draft) is the
only gap, and the restore check names it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, connections, models
from django.utils import timezone

FORMAT = 1


class BackupError(Exception):
    pass


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else connection.vendor


def _pg_args_env(db: dict) -> tuple[list[str], dict]:
    args, env = [], dict(os.environ)
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


def _dump_database(folder: Path) -> str:
    db = connection.settings_dict
    if _engine() == "postgresql":
        target = folder / "database.dump"
        args, env = _pg_args_env(db)
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                *args,
                "--file",
                str(target),
                "--dbname",
                db["NAME"],
            ],
            env,
        )
        return target.name
    if _engine() == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)  # a consistent copy while others keep writing
        finally:
            destination.close()
        return target.name
    raise BackupError(f"No backup for the {connection.vendor} database engine.")


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_files() -> Iterator[tuple[str, Path]]:
    root = _media_root()
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path.relative_to(root).as_posix(), path


def backup_create(*, output: Path) -> dict:
    """Write the archive to `output` (a .tar file, replaced atomically); its manifest."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="motcua-backup-") as tmp:
        folder = Path(tmp)
        database = _dump_database(folder)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": _engine(),
            "database": {"name": database, "sha256": _sha256_file(folder / database)},
            "files": {},
        }
        partial = output.with_name(output.name + ".part")
        with tarfile.open(partial, "w") as archive:
            archive.add(folder / database, arcname=database)
            for name, path in _media_files():
                manifest["files"][name] = _sha256_file(path)
                archive.add(path, arcname=f"media/{name}")
            data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        os.replace(partial, output)
    return manifest


# -- restore -------------------------------------------------------------------------------------------
def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def _safe_media_name(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not name:
        raise BackupError(f"Refusing a file outside the media folder: {name!r}")
    return name


def _restore_database(archive: tarfile.TarFile, manifest: dict, folder: Path) -> None:
    name = manifest["database"]["name"]
    archive.extract(name, folder, filter="data")
    if _sha256_file(folder / name) != manifest["database"]["sha256"]:
        raise BackupError("The database dump in the archive is damaged (SHA-256 differs from the manifest).")
    db = connection.settings_dict
    if manifest["engine"] == "postgresql":
        args, env = _pg_args_env(db)
        connections.close_all()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *args,
                "--dbname",
                db["NAME"],
                str(folder / name),
            ],
            env,
        )
    else:
        connection.ensure_connection()
        source = sqlite3.connect(folder / name)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        connections.close_all()


def _restore_files(archive: tarfile.TarFile, manifest: dict) -> list[str]:
    problems = []
    root = _media_root()
    for name, expected in manifest["files"].items():
        target = root / _safe_media_name(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        member = archive.extractfile(f"media/{name}")
        if member is None:
            problems.append(f"{name}: missing from the archive")
            continue
        with open(target, "wb") as handle:
            shutil.copyfileobj(member, handle)
        if _sha256_file(target) != expected:
            problems.append(f"{name}: SHA-256 differs from the manifest")
    return problems


def backup_restore(*, archive_path: Path, force: bool = False) -> list[str]:
    """Restore an archive into this (empty) database and media folder; the problems found (none:
    the restore is complete). Refuses a non-empty database unless `force`."""
    try:
        archive = tarfile.open(archive_path, "r")
    except tarfile.TarError as exc:
        raise BackupError(f"Not a Một cửa backup archive: {exc}") from exc
    with archive:
        try:
            manifest = json.load(archive.extractfile("manifest.json"))
        except (KeyError, ValueError) as exc:
            raise BackupError("Not a Một cửa backup (no readable manifest.json).") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
        if manifest["engine"] != _engine():
            raise BackupError(f"The archive holds a {manifest['engine']} database; this one is {_engine()}.")
        if not force and not _database_is_empty():
            raise BackupError("The database is not empty: restore into an empty database (or --force).")
        with tempfile.TemporaryDirectory(prefix="motcua-restore-") as tmp:
            _restore_database(archive, manifest, Path(tmp))
        return _restore_files(archive, manifest)


# -- verification --------------------------------------------------------------------------------------
@dataclass
class Verification:
    dossiers: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)


def verify_restored() -> Verification:
    """Every dossier's history chain, and every stored file: present, and its content matching the
    SHA-256 its row records (where the model keeps one)."""
    from motcua.dossiers.history import verify_all
    from motcua.dossiers.models import Dossier

    result = Verification(dossiers=Dossier.objects.count())
    for problem in verify_all():
        result.problems.append(f"{problem.code}: {problem.problem}")
    for model in apps.get_models():
        file_fields = [f for f in model._meta.get_fields() if isinstance(f, models.FileField)]
        has_hash = any(f.name == "sha256" for f in model._meta.get_fields())
        for file_field in file_fields:
            columns = [file_field.name] + (["sha256"] if has_hash and len(file_fields) == 1 else [])
            for row in model._default_manager.exclude(**{file_field.name: ""}).values_list("pk", *columns):
                pk, name = row[0], row[1]
                label = f"{model._meta.label} {pk} ({name})"
                if not default_storage.exists(name):
                    result.problems.append(f"{label}: file missing")
                    continue
                result.files += 1
                if len(row) > 2:
                    digest = hashlib.sha256()
                    with default_storage.open(name, "rb") as handle:
                        for block in iter(lambda: handle.read(1 << 20), b""):  # noqa: B023
                            digest.update(block)
                    if digest.hexdigest() != row[2]:
                        result.problems.append(f"{label}: SHA-256 differs from the recorded one")
    return result
