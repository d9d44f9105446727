"""Writes for declarations: a filled e-form becomes the dossier's declaration document."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.eform import FormSpec, clean_values
from motcua.core.errors import DomainError, ValidationFailed
from motcua.core.text import nfc
from motcua.dossiers import documents
from motcua.dossiers.models import Dossier
from motcua.dossiers.slips.vi import local, place_name

from . import pdf
from .models import Declaration
from .selectors import form_component, version_form


def addressee(competent_unit: str, commune_name: str) -> str:
    """ "Ủy ban nhân dân cấp xã" for Xã Mỹ An → "Ủy ban nhân dân xã Mỹ An"."""
    unit, commune = nfc(competent_unit), nfc(commune_name)
    if "cấp xã" in unit and commune:
        return unit.replace("cấp xã", commune[:1].lower() + commune[1:])
    return unit


def paper_for(version, center, on: date | None, reference: str = "") -> pdf.Paper:
    """The page around the fields for a declaration made at `center` (a blank one without)."""
    footer = f"Tờ khai điện tử · Thủ tục {version.procedure.national_code}, phiên bản {version.version}"
    if reference:
        footer += f" · {reference}"
    if center is None:
        return pdf.Paper(footer=footer)
    commune = center.commune
    return pdf.Paper(
        addressee=addressee(version.competent_unit_type, commune.name),
        place=place_name(commune.name, commune.division_type),
        on=on,
        footer=footer,
    )


def render_blank(version) -> bytes:
    form = version_form(version)
    if form is None:
        raise DomainError(_("This procedure has no e-form."), code="no_eform")
    return pdf.render(form, {}, paper_for(version, None, None))


def checked(form: FormSpec, raw: dict) -> dict[str, str]:
    values, problems = clean_values(form, raw)
    if problems:
        key, message = next(iter(problems.items()))
        label = form.field(key).label if form.field(key) else key
        raise ValidationFailed(f"{label}: {message}", code="declaration_invalid", field=key)
    return values


@transaction.atomic
def declaration_attach(
    *, actor, dossier: Dossier, values: dict, signature: bytes | None = None, at: datetime | None = None
) -> Declaration:
    """Render the filled declaration, store it as the dossier's declaration component (a document
    with its SHA-256, like a scan) and keep its values for the applicant's next declaration."""
    version = dossier.procedure_version
    form = version_form(version)
    if form is None:
        raise DomainError(_("This procedure has no e-form."), code="no_eform")
    clean = checked(form, values)
    when = at or timezone.now()
    paper = paper_for(version, dossier.center, local(when).date(), dossier.code or f"#{dossier.pk}")
    content = pdf.render(form, clean, paper, signature)
    component = form_component(version, form)
    name = f"to-khai-{version.procedure.national_code}.pdf"
    document = documents.document_upload(
        actor=actor,
        dossier=dossier,
        component_id=component.pk if component else None,
        upload=(name, content),
        at=at,
    )
    return Declaration.objects.create(
        dossier=dossier,
        document=document,
        applicant_id_number=dossier.applicant_id_number,
        values=clean,
        signed=signature is not None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
