"""The citizen's results store (kho kết quả): a signed result kept as a re-usable document.

The results app calls these when it signs or revokes a result; the rows are ordinary `Document`s
of kind "result", so listing, consent and re-use work exactly as for scans (`reuse.py`,
`documents.document_reuse`). They are not papers of their own dossier: the digitization figures
count scans only, and no document listener is told of them.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .models import Document, DocumentKind, Dossier


@transaction.atomic
def document_keep_result(
    *,
    dossier: Dossier,
    file_name: str,
    size: int,
    sha256: str,
    title: str,
    holder_id_number: str,
    original_name: str,
    actor=None,
) -> Document:
    """Keep a signed result (already stored under `file_name`) for its holder."""
    return Document.objects.create(
        dossier=dossier,
        kind=DocumentKind.RESULT,
        file=file_name,
        original_name=original_name,
        content_type="application/pdf",
        size=size,
        sha256=sha256,
        title=title,
        applicant_id_number=holder_id_number,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )


@transaction.atomic
def document_retire(*, document_id: int, at: datetime | None = None) -> None:
    """A revoked result leaves the store: no longer offered nor re-usable (its earlier re-uses stay,
    as the history of the dossiers that used it)."""
    Document.objects.filter(pk=document_id, retired_at__isnull=True).update(retired_at=at or timezone.now())
