"""Remote signing (ký số từ xa): the hash-signing services that Vietnamese CAs offer.

The document never leaves the system: pyHanko computes what is to be signed, this signer sends its
SHA-256 to the service, the official confirms on their phone, and the service returns the raw
signature, which is polled for. The certificate (and its chain) comes from the service. The
protocol, as the configured service speaks it (JSON, `Authorization: Bearer <API key>`):

    GET  {base}/credentials/{credential}   → {"certificate": b64 DER, "chain": [b64 DER, ...]}
    POST {base}/signatures                 {"credential", "hash": b64, "hash_algorithm": "sha256",
                                            "description"} → 201 {"id"}
    GET  {base}/signatures/{id}            → {"status": "pending" | "confirmed" | "refused" |
                                              "expired", "signature": b64 (when confirmed)}

A refusal, an expiry, a wait longer than the service's timeout, an unreachable service or a 5xx
each raise `RemoteSigningError` with a code the pages translate; nothing is stored then.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Callable

from asn1crypto import x509 as asn1_x509
from pyhanko.sign.signers.pdf_cms import Signer
from pyhanko_certvalidator.registry import SimpleCertificateStore

from motcua.notify.channels.http import Answer, call

REFUSED, TIMEOUT, UNAVAILABLE, BAD_ANSWER = "refused", "timeout", "unavailable", "bad_answer"


class RemoteSigningError(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


class RemoteClient:
    def __init__(
        self,
        base_url: str,
        api_key: str = "",
        *,
        poll_seconds: float = 2,
        timeout_seconds: float = 120,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.base = base_url.rstrip("/")
        self.api_key = api_key
        self.poll_seconds = float(poll_seconds)
        self.timeout_seconds = float(timeout_seconds)
        self.sleep, self.clock = sleep, clock

    def _request(self, method: str, path: str, data=None) -> dict:
        headers = {"Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        body = json.dumps(data).encode() if data is not None else None
        try:
            answer: Answer = call(method, self.base + path, body=body, headers=headers)
        except OSError as exc:  # refused connection, DNS, socket timeout
            raise RemoteSigningError(UNAVAILABLE, str(exc)) from exc
        if answer.status >= 500:
            raise RemoteSigningError(UNAVAILABLE, f"HTTP {answer.status}")
        parsed = answer.json()
        if answer.status >= 400 or not isinstance(parsed, dict):
            raise RemoteSigningError(BAD_ANSWER, f"HTTP {answer.status}: {answer.text[:200]}")
        return parsed

    def certificates(self, credential: str) -> tuple[asn1_x509.Certificate, list[asn1_x509.Certificate]]:
        answer = self._request("GET", f"/credentials/{credential}")
        try:
            certificate = asn1_x509.Certificate.load(base64.b64decode(answer["certificate"]))
            chain = [asn1_x509.Certificate.load(base64.b64decode(c)) for c in answer.get("chain", [])]
            certificate.native  # noqa: B018 (parses it now: a bad certificate fails here, not later)
        except (KeyError, ValueError, TypeError) as exc:
            raise RemoteSigningError(BAD_ANSWER, "certificate") from exc
        return certificate, chain

    def sign_hash(self, credential: str, digest: bytes, description: str = "") -> bytes:
        created = self._request(
            "POST",
            "/signatures",
            {
                "credential": credential,
                "hash": base64.b64encode(digest).decode(),
                "hash_algorithm": "sha256",
                "description": description,
            },
        )
        request_id = created.get("id")
        if not request_id:
            raise RemoteSigningError(BAD_ANSWER, "no request id")
        deadline = self.clock() + self.timeout_seconds
        while True:
            status = self._request("GET", f"/signatures/{request_id}")
            state = status.get("status")
            if state == "confirmed":
                try:
                    return base64.b64decode(status["signature"], validate=True)
                except (KeyError, ValueError, TypeError) as exc:
                    raise RemoteSigningError(BAD_ANSWER, "signature") from exc
            if state in ("refused", "rejected"):
                raise RemoteSigningError(REFUSED)
            if state == "expired":
                raise RemoteSigningError(TIMEOUT, "expired at the service")
            if state != "pending":
                raise RemoteSigningError(BAD_ANSWER, f"status {state!r}")
            if self.clock() + self.poll_seconds > deadline:
                raise RemoteSigningError(TIMEOUT)
            self.sleep(self.poll_seconds)


class RemoteSigner(Signer):
    """A pyHanko signer whose raw signature comes from a remote hash-signing service (RSA,
    PKCS#1 v1.5 over SHA-256)."""

    def __init__(self, client: RemoteClient, credential: str, *, description: str = ""):
        certificate, chain = client.certificates(credential)
        registry = SimpleCertificateStore()
        registry.register_multiple(chain)
        super().__init__(signing_cert=certificate, cert_registry=registry)
        self.client, self.credential, self.description = client, credential, description
        self._size = (certificate.public_key.bit_size + 7) // 8

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        if dry_run:  # pyHanko asks for a placeholder of the right size first
            return bytes(self._size)
        if digest_algorithm.lower() != "sha256":
            raise RemoteSigningError(BAD_ANSWER, f"digest {digest_algorithm}")
        return self.client.sign_hash(self.credential, hashlib.sha256(data).digest(), self.description)
