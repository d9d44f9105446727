"""Read-only JSON API of the procedure catalog (public: the catalog is public information)."""

from ninja import Query, Router

from motcua.api.fields import OFFSET_MAX, Code, Day, Text

from .display import limit_text
from .exchange.writing import version_to_dict
from .selectors import procedure_page_version, procedure_versions_in_force, today_local
from .specs import spec_from_version

router = Router(tags=["procedures"])


@router.get("/procedures", response=dict)
def list_procedures(
    request,
    q: Text(200) = "",
    field: Text(40) = "",
    on: Day | None = None,
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=OFFSET_MAX),
):
    """Procedures in force (today, or on `on`), searched accent-insensitively."""
    versions = procedure_versions_in_force(on or today_local(), query=q, field_code=field)
    rows = list(versions[offset : offset + limit])
    return {
        "count": versions.count(),
        "results": [
            {
                "code": v.procedure.national_code,
                "name": v.name,
                "field": {"code": v.procedure.field.code, "name": v.procedure.field.name},
                "version": v.version,
                "time_limit": str(v.time_limit),
                "time_limit_text": limit_text(v.time_limit),
                "channels": v.channels,
                "boundary_free": v.boundary_free,
            }
            for v in rows
        ],
    }


@router.get("/procedures/{code}", response={200: dict, 404: dict})
def get_procedure(request, code: Code, on: Day | None = None):
    """One procedure's version in force, as in the catalog export, with component ids for intake."""
    version = procedure_page_version(code, on or today_local())
    body = version_to_dict(spec_from_version(version))
    body |= {
        "code": version.procedure.national_code,
        "field": {"code": version.procedure.field.code, "name": version.procedure.field.name},
        "component_ids": [c.id for c in version.components.all()],
    }
    return body
