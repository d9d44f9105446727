"""Is this PDF an unaltered, signed result? pyHanko's validation against the configured CA roots.

A result is valid when every signature is intact (the signed bytes were not changed), valid (the
cryptography holds) and trusted (its certificate chains to a configured root), when the last one
covers the entire file (nothing was appended after it), and when what was appended after each
earlier signature is at most another signature (the organization's seal, a timestamp): a page, an
annotation or any other incremental update counts as an alteration.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from datetime import datetime

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from .signing import outside_event_loop

logger = logging.getLogger(__name__)

VALID, ALTERED, UNTRUSTED, UNSIGNED, DAMAGED = "valid", "altered", "untrusted", "unsigned", "damaged"
ALLOWED_AFTER = ModificationLevel.FORM_FILLING  # adding a signature field and its value


@dataclass(frozen=True)
class SignatureFacts:
    field: str
    name: str
    organization: str
    signed_at: datetime | None
    serial: str
    intact: bool
    valid: bool
    trusted: bool
    covers_file: bool
    modification: str


@dataclass
class Verdict:
    status: str
    signatures: list[SignatureFacts] = field(default_factory=list)
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.status == VALID


def _facts(embedded, status) -> SignatureFacts:
    cert = embedded.signer_cert
    subject = cert.subject.native
    level = status.modification_level
    return SignatureFacts(
        field=embedded.field_name,
        name=subject.get("common_name", ""),
        organization=subject.get("organization_name", "") or "",
        signed_at=status.signer_reported_dt,
        serial=format(cert.serial_number, "x"),
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        covers_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        modification=level.name if level is not None else "",
    )


def validate_pdf(data: bytes, *, roots: list) -> Verdict:
    """The verdict on `data` (PDF bytes) with `roots` (asn1crypto certificates) as the only trust."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception:  # a damaged or non-PDF file: pyHanko raises many kinds of errors
        logger.info("A PDF could not be read for validation", exc_info=True)
        return Verdict(DAMAGED, problem="unreadable")
    if not embedded:
        return Verdict(UNSIGNED)
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    facts: list[SignatureFacts] = []
    problem = ""
    for index, signature in enumerate(embedded):
        try:
            status = outside_event_loop(validate_pdf_signature, signature, context)
        except Exception:
            logger.info("A signature could not be validated", exc_info=True)
            return Verdict(ALTERED, facts, "unvalidated")
        fact = _facts(signature, status)
        facts.append(fact)
        last = index == len(embedded) - 1
        level = status.modification_level
        if not (fact.intact and fact.valid):
            problem = problem or "signature_broken"
        elif last and not fact.covers_file:
            problem = problem or "appended_after_last_signature"
        elif not last and (level is None or level > ALLOWED_AFTER):
            problem = problem or "changed_after_signature"
        elif not fact.trusted and not problem:
            problem = "untrusted"
    if problem == "untrusted":
        return Verdict(UNTRUSTED, facts, problem)
    if problem:
        return Verdict(ALTERED, facts, problem)
    return Verdict(VALID, facts)
