"""Reads for declarations: a version's form, and what the applicant declared before (scoped)."""

from __future__ import annotations

from motcua.catalog.eform import FormSpec, form_from_dict
from motcua.core.text import nfc
from motcua.dossiers.selectors import dossiers_for_user

from .models import Declaration

EARLIER_LIMIT = 20


def version_form(version) -> FormSpec | None:
    """The e-form of a procedure version, None when the version has none."""
    return form_from_dict(version.form) if version is not None and version.form else None


def form_component(version, form: FormSpec):
    """The required component the filled declaration stands for (None: an extra paper)."""
    if form.component is None:
        return None
    return next((c for c in version.components.all() if c.position == form.component), None)


def earlier_values(user, id_number: str) -> dict[str, str]:
    """The applicant's last value for every key of their earlier declarations, and the phone of
    their last dossier, in the dossiers the user may see."""
    id_number = nfc(id_number).replace(" ", "")
    if not id_number:
        return {}
    dossiers = dossiers_for_user(user).filter(applicant_id_number=id_number)
    values: dict[str, str] = {}
    last = (
        dossiers.exclude(applicant_phone="").order_by("-id").values_list("applicant_phone", flat=True).first()
    )
    if last:
        values["requester_phone"] = last
    rows = (
        Declaration.objects.filter(applicant_id_number=id_number, dossier__in=dossiers.values("pk"))
        .order_by("-id")
        .values_list("values", flat=True)[:EARLIER_LIMIT]
    )
    for row in reversed(list(rows)):  # oldest first, so the newest value wins
        values.update({k: v for k, v in (row or {}).items() if isinstance(v, str) and v})
    return values
