"""Domain errors: raised by services, turned into clear messages by pages, API and CLI."""


class DomainError(Exception):
    """A business rule refused the request. `code` is machine-readable; `message` is translated."""

    code = "domain_error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field


class NotFound(DomainError):
    """The record does not exist or is outside the user's units (the two look the same)."""

    code = "not_found"
    status = 404


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403


class ValidationFailed(DomainError):
    code = "invalid"
    status = 422


class Conflict(DomainError):
    """The dossier's current state does not allow the request."""

    code = "conflict"
    status = 409


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429
