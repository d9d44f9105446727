"""The shape both catalog formats share: column and key names, and the records they carry."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..specs import VersionSpec

FORMAT_NAME = "motcua-catalog"
FORMAT_VERSION = 1
FORMATS = ("json", "csv")

CSV_COLUMNS = [
    "national_code",
    "field_code",
    "field_name",
    "version",
    "effective_from",
    "effective_to",
    "name",
    "level",
    "competent_unit",
    "applicants",
    "steps_description",
    "limit",
    "limit_note",
    "channels",
    "boundary_free",
    "result",
    "legal_basis",
    "fee_note",
    "is_demo",
    "components",
    "fees",
    "steps",
    "form",
]
VERSION_KEYS = CSV_COLUMNS[3:]
COMPONENT_KEYS = ["name", "paper_form", "copies", "mandatory", "condition", "form_template"]
FEE_KEYS = ["name", "kind", "channel", "amount", "pages_at_first_rate", "later_page_amount", "cap", "note"]
STEP_KEYS = ["name", "role", "department_code", "budget_days"]


@dataclass(frozen=True)
class CatalogEntry:
    """One version read from a file, with where it was read (for error messages)."""

    location: str
    national_code: str
    field_code: str
    field_name: str
    spec: VersionSpec


@dataclass
class ProcedureRecord:
    """A procedure with all its versions, as both formats write it."""

    national_code: str
    field_code: str
    field_name: str
    versions: list[VersionSpec] = field(default_factory=list)
