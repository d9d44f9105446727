"""A fake remote signing service (a CA's hash signing) on 127.0.0.1, port 0, that can fail on demand.

It speaks the protocol of `motcua.results.remote`: the credential's certificate, a signing request
with a SHA-256 hash, then polls of its status. Modes: "confirm" (pending for `pending_polls` polls,
then confirmed), "refuse" (the signer says no on the phone), "wait" (never confirmed: the caller
times out), "error" (every call answers 500).
"""

from __future__ import annotations

import base64
import json
import uuid

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, utils

from tests.fakeserver import LocalServer, QuietHandler


class FakeRemoteSigner(LocalServer):
    def __init__(self, *, credential: str, key, certificate, chain, api_key: str = "secret-key"):
        self.credential, self.key, self.certificate, self.chain = credential, key, certificate, chain
        self.api_key = api_key
        self.mode = "confirm"
        self.pending_polls = 1
        self.requests: dict[str, dict] = {}
        self.polls = 0
        fake = self

        class Handler(QuietHandler):
            def _send(self, status: int, data=None):
                self.send_json(status, data or {})

            def _authorized(self) -> bool:
                return self.headers.get("Authorization") == f"Bearer {fake.api_key}"

            def do_GET(self):
                if fake.mode == "error":
                    return self._send(500, {"error": "boom"})
                if not self._authorized():
                    return self._send(401, {"error": "unauthorized"})
                if self.path == f"/credentials/{fake.credential}":
                    der = [
                        c.public_bytes(serialization.Encoding.DER) for c in [fake.certificate, *fake.chain]
                    ]
                    return self._send(
                        200,
                        {
                            "certificate": base64.b64encode(der[0]).decode(),
                            "chain": [base64.b64encode(d).decode() for d in der[1:]],
                        },
                    )
                if self.path.startswith("/signatures/"):
                    request = fake.requests.get(self.path.rsplit("/", 1)[-1])
                    if request is None:
                        return self._send(404, {"error": "unknown"})
                    fake.polls += 1
                    request["polls"] += 1
                    if fake.mode == "refuse":
                        return self._send(200, {"status": "refused"})
                    if fake.mode == "wait" or request["polls"] <= fake.pending_polls:
                        return self._send(200, {"status": "pending"})
                    signature = fake.key.sign(
                        request["hash"], padding.PKCS1v15(), utils.Prehashed(hashes.SHA256())
                    )
                    return self._send(
                        200, {"status": "confirmed", "signature": base64.b64encode(signature).decode()}
                    )
                return self._send(404, {"error": "not found"})

            def do_POST(self):
                if fake.mode == "error":
                    return self._send(500, {"error": "boom"})
                if not self._authorized():
                    return self._send(401, {"error": "unauthorized"})
                body = json.loads(self.read_body() or b"{}")
                if self.path != "/signatures" or body.get("credential") != fake.credential:
                    return self._send(404, {"error": "unknown credential"})
                request_id = uuid.uuid4().hex
                fake.requests[request_id] = {**body, "hash": base64.b64decode(body["hash"]), "polls": 0}
                return self._send(201, {"id": request_id})

        super().__init__(Handler)
