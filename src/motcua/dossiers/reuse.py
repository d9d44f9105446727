"""Who may see and re-use a citizen's earlier scans (issue 10, defect 3).

An ID number alone is no consent: anyone can type one. So:
- papers kept by the officer's own centers (the same commune) are offered and re-used as before;
- papers kept by other communes need the citizen's presence: their ID card QR read at this
  officer's desk within `MOTCUA_PRESENCE_MINUTES` (a row the scan itself wrote on the server,
  `security.CitizenPresence`, never a flag the browser sends). Even then only the papers that the
  current procedure's components need are shown, and each re-use is written to the read audit;
- a citizen on the portal (no signed-in citizen accounts exist yet) re-uses only papers of the
  dossier's own centers.
Every listing of re-usable papers is written to the read audit (one insert).

The citizen's results store (kho kết quả) is the same mechanism: a signed electronic result is kept
as a `Document` of kind "result" under the holder's ID number, named by its title (the procedure's
result, e.g. "Trích lục khai sinh"), which is matched like a component's name. A revoked result is
retired and no longer offered or accepted.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from motcua.catalog.models import RequiredComponent
from motcua.core.errors import DomainError, PermissionDenied
from motcua.core.text import nfc, search_key
from motcua.security.models import ReadAction
from motcua.security.services import presence_for, read_record
from motcua.units.scoping import user_scope

from .models import Document, DocumentKind

CONSENT_CODE = "citizen_consent_needed"


def reusable_documents(
    *, applicant_id_number: str, component_name: str | None = None, exclude_dossier=None
) -> QuerySet:
    """Earlier scans of the applicant with this ID number, newest first; with `component_name`,
    only those filed for a component of the same name (accent- and case-insensitive).

    Not scoped by center: re-use crosses communes. Callers pass the ID number of a dossier the
    user is working on (got through a scoped selector), never one typed in freely."""
    id_number = nfc(applicant_id_number).replace(" ", "")
    if not id_number:
        return Document.objects.none()
    qs = Document.objects.filter(applicant_id_number=id_number, retired_at__isnull=True).select_related(
        "dossier", "component", "reused_from"
    )
    if exclude_dossier is not None:
        qs = qs.exclude(dossier_id=getattr(exclude_dossier, "pk", exclude_dossier))
    if component_name is not None:
        wanted = search_key(component_name)
        candidates = RequiredComponent.objects.filter(pk__in=qs.values("component_id")).values_list(
            "id", "name"
        )
        qs = qs.filter(
            Q(component_id__in=[pk for pk, name in candidates if search_key(name) == wanted])
            | Q(
                pk__in=[
                    pk
                    for pk, title in qs.filter(kind=DocumentKind.RESULT).values_list("pk", "title")
                    if search_key(title) == wanted
                ]
            )
        )
    return qs.order_by("-uploaded_at", "-id")


def _is_staff(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def own_center_ids(actor, dossier=None) -> frozenset[int] | None:
    """The centers whose papers count as the actor's own (None: every center, a superuser)."""
    if _is_staff(actor):
        scope = user_scope(actor)
        return None if scope.everything else scope.center_ids
    if dossier is None:
        return frozenset()
    return frozenset({dossier.receiving_center_id, dossier.center_id})


def is_local(document: Document, own: frozenset[int] | None) -> bool:
    if own is None:
        return True
    kept = document.dossier
    return kept.receiving_center_id in own or kept.center_id in own


def paper_name(document: Document) -> str:
    """What the paper is: its component's name, or a result's title."""
    if document.component_id:
        return document.component.name
    return document.title if document.kind == DocumentKind.RESULT else ""


def needed_names(version) -> set[str]:
    if version is None:
        return set()
    return {search_key(c.name) for c in version.components.all()}


def check_source(
    *, actor, dossier, source: Document, origin: Document | None = None, request=None, channel: str = "page"
) -> None:
    """Refuse (403) the re-use of another commune's paper without the citizen's presence, or of a
    paper the dossier's procedure does not ask for; record an allowed cross-commune re-use. A
    paper is the actor's own when the row or its original upload is kept by the actor's centers."""
    if source.retired_at is not None or (origin is not None and origin.retired_at is not None):
        raise DomainError(
            _("This result was revoked by the issuing agency; it cannot be re-used."), code="result_revoked"
        )
    own = own_center_ids(actor, dossier)
    if is_local(source, own) or (origin is not None and is_local(origin, own)):
        return
    presence = (
        presence_for(officer=actor, id_number=dossier.applicant_id_number) if _is_staff(actor) else None
    )
    if presence is None:
        raise PermissionDenied(
            _(
                "This paper was digitized in another commune. Scan the citizen's ID card at your desk "
                "(the citizen's consent) to re-use it."
            ),
            code=CONSENT_CODE,
        )
    name = paper_name(source)
    if not name or search_key(name) not in needed_names(dossier.procedure_version):
        raise PermissionDenied(
            _("This paper from another commune is not one that this dossier's procedure asks for."),
            code="paper_not_needed",
        )
    read_record(
        user=actor,
        action=ReadAction.DOCUMENT_REUSE,
        request=request,
        channel=channel,
        center_id=dossier.receiving_center_id,
        other_center_id=source.dossier.receiving_center_id,
        dossier_id=dossier.pk,
        target=dossier.code or str(dossier.pk),
        detail={"source_document": source.pk, "presence": presence.pk},
    )


def reusable_list(
    *,
    actor,
    applicant_id_number: str,
    version=None,
    exclude_dossier=None,
    originals_only: bool = False,
    limit: int = 50,
    center_id: int | None = None,
    request=None,
    channel: str = "page",
) -> tuple[list[Document], bool]:
    """The applicant's earlier scans that `actor` may be offered, newest first, and whether the
    citizen's presence was proven (so that other communes' papers could be included). The listing
    is recorded in the read audit."""
    id_number = nfc(applicant_id_number or "").replace(" ", "")
    qs = reusable_documents(applicant_id_number=id_number, exclude_dossier=exclude_dossier)
    if originals_only:
        qs = qs.filter(reused_from__isnull=True)
    own = own_center_ids(actor, exclude_dossier)
    presence = (
        presence_for(officer=actor, id_number=id_number) if _is_staff(actor) and own is not None else None
    )
    needed = needed_names(version) if presence is not None else set()
    found: list[Document] = []
    for document in qs.select_related("dossier", "component")[: limit * 4]:
        if is_local(document, own) or (paper_name(document) and search_key(paper_name(document)) in needed):
            found.append(document)
            if len(found) >= limit:
                break
    if _is_staff(actor) and id_number:
        read_record(
            user=actor,
            action=ReadAction.REUSABLE_LIST,
            request=request,
            channel=channel,
            center_id=exclude_dossier.receiving_center_id if exclude_dossier is not None else center_id,
            target=f"…{id_number[-4:]}",
            detail={"documents": [d.pk for d in found], "presence": presence.pk if presence else None},
        )
    return found, presence is not None
