"""Writing catalog files in the canonical order and spelling (so a round trip is byte-identical)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from ..eform import form_to_dict
from ..specs import CatalogFileError, ComponentSpec, FeeSpec, StepSpec, VersionSpec
from .format import CSV_COLUMNS, FORMAT_NAME, FORMAT_VERSION, FORMATS, ProcedureRecord


def _number(value: Decimal) -> int | float:
    # Budgets have two decimals at most, which a float repr keeps exactly ("0.25", "1.5").
    return int(value) if value == value.to_integral_value() else float(value)


def _component_dict(c: ComponentSpec) -> dict:
    out: dict[str, Any] = {
        "name": c.name,
        "paper_form": c.paper_form,
        "copies": c.copies,
        "mandatory": c.mandatory,
    }
    if c.condition:
        out["condition"] = c.condition
    if c.form_template:
        out["form_template"] = c.form_template
    return out


def _fee_dict(f: FeeSpec) -> dict:
    out: dict[str, Any] = {"name": f.name, "kind": f.kind}
    if f.channel:
        out["channel"] = f.channel
    if f.amount:
        out["amount"] = f.amount
    for key in ("pages_at_first_rate", "later_page_amount", "cap"):
        if getattr(f, key) is not None:
            out[key] = getattr(f, key)
    if f.note:
        out["note"] = f.note
    return out


def _step_dict(s: StepSpec) -> dict:
    out: dict[str, Any] = {"name": s.name, "role": s.role}
    if s.department_code:
        out["department_code"] = s.department_code
    out["budget_days"] = _number(s.budget_days)
    return out


def version_to_dict(spec: VersionSpec) -> dict:
    out = {
        "version": spec.version,
        "effective_from": spec.effective_from.isoformat(),
        "effective_to": spec.effective_to.isoformat() if spec.effective_to else None,
        "name": spec.name,
        "level": spec.level,
        "competent_unit": spec.competent_unit,
        "applicants": spec.applicants,
        "steps_description": spec.steps_description,
        "limit": str(spec.limit),
        "limit_note": spec.limit_note,
        "channels": list(spec.channels),
        "boundary_free": spec.boundary_free,
        "result": spec.result,
        "legal_basis": spec.legal_basis,
        "fee_note": spec.fee_note,
        "is_demo": spec.is_demo,
        "components": [_component_dict(c) for c in spec.components],
        "fees": [_fee_dict(f) for f in spec.fees],
        "steps": [_step_dict(s) for s in spec.steps],
    }
    if spec.form is not None:  # only versions with an e-form carry the key
        out["form"] = form_to_dict(spec.form)
    return out


def dump_json(records: Iterable[ProcedureRecord]) -> str:
    document = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "procedures": [
            {
                "national_code": r.national_code,
                "field": {"code": r.field_code, "name": r.field_name},
                "versions": [version_to_dict(v) for v in r.versions],
            }
            for r in records
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _cell_json(value: list) -> str:
    return json.dumps(value, ensure_ascii=False)


def dump_csv(records: Iterable[ProcedureRecord]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in records:
        for spec in r.versions:
            d = version_to_dict(spec)
            row = {
                **d,
                "national_code": r.national_code,
                "field_code": r.field_code,
                "field_name": r.field_name,
                "effective_to": d["effective_to"] or "",
                "channels": ";".join(d["channels"]),
                "boundary_free": "true" if spec.boundary_free else "false",
                "is_demo": "true" if spec.is_demo else "false",
                "components": _cell_json(d["components"]),
                "fees": _cell_json(d["fees"]),
                "steps": _cell_json(d["steps"]),
                "form": json.dumps(d["form"], ensure_ascii=False) if "form" in d else "",
            }
            writer.writerow([row[c] for c in CSV_COLUMNS])
    # The BOM goes in as a character so the text is complete whatever writes it to disk.
    return "\ufeff" + out.getvalue()


def records_from_db() -> list[ProcedureRecord]:
    from ..selectors import procedures_for_export
    from ..specs import spec_from_version

    return [
        ProcedureRecord(
            national_code=p.national_code,
            field_code=p.field.code,
            field_name=p.field.name,
            versions=[spec_from_version(v) for v in p.versions.all()],
        )
        for p in procedures_for_export()
    ]


def export_catalog(fmt: str) -> tuple[str, int]:
    """The whole catalog as text in `fmt`, and the number of procedure versions in it."""
    records = records_from_db()
    text = dump_json(records) if fmt == "json" else dump_csv(records)
    return text, sum(len(r.versions) for r in records)


def detect_format(path: str | Path, fmt: str | None = None) -> str:
    if fmt:
        fmt = fmt.lower().lstrip(".")
        if fmt not in FORMATS:
            raise CatalogFileError([_('unknown format "%(format)s" (use json or csv)') % {"format": fmt}])
        return fmt
    suffix = Path(str(path)).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise CatalogFileError(
            [
                _('cannot tell the format of "%(path)s" from its extension: use .json or .csv, or --format')
                % {"path": path}
            ]
        )
    return suffix


def write_catalog_file(path: str | Path, *, fmt: str | None = None) -> int:
    """Write the whole catalog to a file; returns the number of procedure versions written."""
    fmt = detect_format(path, fmt)
    text, count = export_catalog(fmt)
    Path(path).write_text(text, encoding="utf-8", newline="")
    return count
