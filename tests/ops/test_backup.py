"""`motcua backup` / `motcua restore`: restored into an empty database, every dossier's history
verifies and every file matches its SHA-256; a damaged file is named; a non-empty database refused."""

import hashlib
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from motcua.dossiers import documents, services
from motcua.dossiers.models import Document
from tests.staff.support import birth_registration, pdf_bytes, receive, staffed

pytestmark = pytest.mark.django_db(transaction=True)
MOTCUA = str(Path(sys.executable).parent / "motcua")


@pytest.fixture
def empty_database(tmp_path):
    """Settings for a second installation: an empty database and an empty data folder."""
    env = {"PATH": "/usr/bin:/bin", "MOTCUA_DATA_DIR": str(tmp_path / "restored")}
    if connection.vendor != "postgresql":
        yield env
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    env["DATABASE_URL"] = (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    )
    yield env
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def some_dossiers(count: int = 3) -> list:
    c = staffed()
    version = birth_registration()
    made = []
    for n in range(count):
        dossier = receive(c, version)
        documents.document_upload(
            actor=c.desk,
            dossier=dossier,
            component_id=None,
            upload=(f"scan{n}.pdf", pdf_bytes(f"Giay so {n}")),
        )
        if n % 2 == 0:
            services.dossier_act(actor=c.desk, dossier=dossier, action="transfer")
        made.append(dossier)
    return made


def restore(env: dict, archive: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [MOTCUA, "restore", str(archive)], env=env, capture_output=True, text=True, timeout=300
    )


def test_a_backup_restores_into_an_empty_database_with_every_history_and_file(tmp_path, empty_database):
    # given dossiers with events and scans
    some_dossiers(3)
    archive = tmp_path / "motcua.tar"
    # when the operator backs up, and restores into an empty installation
    call_command("backup", output=str(archive))
    done = restore(empty_database, archive)
    # then every history verifies and every file is there with its SHA-256
    assert done.returncode == 0, done.stderr
    assert "Restored and verified: 3 dossier histories, 3 file(s) by SHA-256." in done.stdout
    check = subprocess.run([MOTCUA, "verify-history"], env=empty_database, capture_output=True, text=True)
    assert check.returncode == 0 and "All dossier histories verify." in check.stdout
    restored = Path(empty_database["MOTCUA_DATA_DIR"]) / "media"
    for document in Document.objects.all():
        assert hashlib.sha256((restored / document.file.name).read_bytes()).hexdigest() == document.sha256
    # and a second restore over the now filled database is refused
    again = restore(empty_database, archive)
    assert again.returncode == 2 and "not empty" in again.stderr


def test_a_scan_changed_before_the_backup_is_named_by_the_restore(tmp_path, empty_database):
    some_dossiers(1)
    document = Document.objects.get()
    with open(default_storage.path(document.file.name), "ab") as handle:
        handle.write(b"tampered")
    archive = tmp_path / "motcua.tar"
    call_command("backup", output=str(archive))
    done = restore(empty_database, archive)
    assert done.returncode == 1
    assert f"dossiers.Document {document.pk}" in done.stderr and "SHA-256 differs" in done.stderr


def test_an_archive_that_is_not_a_backup_is_refused(tmp_path, empty_database):
    bogus = tmp_path / "bogus.tar"
    bogus.write_bytes(b"not a tar at all" * 100)
    done = restore(empty_database, bogus)
    assert done.returncode != 0 and "Traceback" not in done.stderr
