"""The API's error answers: the 422 body made from pydantic's errors (a Vietnamese sentence, a
`code` and the `field` at fault) and the error responses every operation declares in OpenAPI."""

from django.utils.translation import gettext as _

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "field": {"type": "string"},
    },
    "required": ["detail", "code"],
}
ERROR_RESPONSES = {
    "400": "The request is malformed (e.g. a body that is not JSON) or breaks a rule",
    "401": "No valid API token or session",
    "403": "Not allowed for your role or units",
    "404": "Not found, or outside your units",
    "409": "The record's current state does not allow this",
    "422": "An input is not valid; `field` names it",
    "429": "Too many attempts; try again later",
    "500": "An unexpected error, recorded for the operators",
}
SOURCES = ("body", "query", "path", "form", "file", "header", "cookie")


def _field(loc) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in SOURCES:
        source, parts = parts[0], parts[1:]
        if source in ("body", "form") and len(parts) > 1 and parts[0] in ("payload", "data"):
            parts = parts[1:]
    return ".".join(parts)


def validation_body(errors: list[dict]) -> dict:
    first = errors[0] if errors else {}
    field = _field(first.get("loc", ()))
    kind = first.get("type", "")
    ctx = first.get("ctx") or {}
    if kind in ("string_too_long", "too_long") and "max_length" in ctx:
        detail = _("“%(field)s” is too long: at most %(max)d characters.") % {
            "field": field,
            "max": ctx["max_length"],
        }
    elif kind == "missing":
        detail = _("“%(field)s” is required.") % {"field": field}
    elif kind == "json_invalid":
        detail = _("The request body is not valid JSON.")
    else:
        detail = (
            _("“%(field)s” is not valid.") % {"field": field} if field else _("The request is not valid.")
        )
    body = {"detail": detail, "code": "invalid", "errors": errors}
    if field:
        body["field"] = field
    return body


def add_error_responses(schema: dict) -> dict:
    """Every operation may answer these errors with the Error shape; declared ones are kept."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status, description in ERROR_RESPONSES.items():
                if status == "401" and not operation.get("security"):
                    continue
                responses.setdefault(int(status), {"description": description, "content": ref})
    return schema
