"""PAdES signatures with pyHanko: loaded signers, a visible stamp with a QR code, optional timestamps.

A PKCS#12 file is decrypted once per process (its key-derivation is most of the third of a second
that a naive signature costs) and its signer is kept, keyed by the file's path and modification
time: a bulk approval signs every result with the same loaded key. The private key is also kept
parsed (`LoadedSigner`): pyHanko's `SimpleSigner` re-reads it from DER at every signature.

The stamp says who signed, when, and carries a QR code to the public check page; its text is set in
the vendored DejaVu Sans, so Vietnamese names keep their diacritics (`stamps.py` makes it cheap).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import io
import threading
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.keys.internal import (
    translate_pyca_cryptography_cert_to_asn1,
    translate_pyca_cryptography_key_to_asn1,
)
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash, load_cert_from_pemder
from pyhanko.sign.signers.pdf_cms import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from . import stamps

STAMP_W, STAMP_H, STAMP_MARGIN = 230, 74, 24
SIGNER_FIELD, SEAL_FIELD = "KyDuyet", "DongDau"  # the leader's signature, the organization's seal
CMS_RESERVED = 12_288  # bytes kept for the signature container (hex-encoded twice that in the file)


def outside_event_loop(fn, /, *args, **kwargs):
    """Call `fn` (pyHanko's synchronous API, which runs its own event loop) here, or in a worker
    thread when this thread already runs an event loop (an async server, a browser test)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


class KeyError_(ValueError):
    """A key file that cannot be used (wrong password, damaged, missing)."""


class LoadedSigner(SimpleSigner):
    """A SimpleSigner that keeps the parsed private key (RSA, PKCS#1 v1.5 with SHA-256)."""

    def __init__(self, *, private_key: RSAPrivateKey, **kwargs):
        super().__init__(**kwargs)
        self._private_key = private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        if not isinstance(self._private_key, RSAPrivateKey):  # other kinds: pyHanko's own code
            return super().sign_raw(data, digest_algorithm)
        return self._private_key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))


_cache: dict[tuple[str, int, str], LoadedSigner] = {}
_cache_lock = threading.Lock()


def load_pkcs12(path: str | Path, password: str) -> LoadedSigner:
    """The signer of a PKCS#12 file, decrypted once per process and file version."""
    path = Path(path)
    try:  # the password is part of the key: a wrong one never gets the cached signer
        secret = hashlib.sha256((password or "").encode()).hexdigest()
        key = (str(path.resolve()), path.stat().st_mtime_ns, secret)
    except OSError:
        raise KeyError_(f"missing key file {path}") from None
    with _cache_lock:
        signer = _cache.get(key)
        if signer is not None:
            return signer
    try:
        private_key, certificate, others = pkcs12.load_key_and_certificates(
            path.read_bytes(), (password or "").encode()
        )
    except (ValueError, TypeError) as exc:
        raise KeyError_(f"cannot open key file {path}: wrong password or damaged") from exc
    if private_key is None or certificate is None:
        raise KeyError_(f"key file {path} holds no key and certificate")
    registry = SimpleCertificateStore()
    registry.register_multiple([translate_pyca_cryptography_cert_to_asn1(c) for c in others])
    signer = LoadedSigner(
        private_key=private_key,
        signing_key=translate_pyca_cryptography_key_to_asn1(private_key),
        signing_cert=translate_pyca_cryptography_cert_to_asn1(certificate),
        cert_registry=registry,
        embed_roots=False,  # validators bring their own trust roots: one certificate less to encode
    )
    with _cache_lock:
        for stale in [k for k in _cache if k[0] == key[0]]:
            del _cache[stale]  # the file was replaced: the old key is gone
        _cache[key] = signer
    return signer


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def load_certificate(path: str | Path) -> asn1_x509.Certificate:
    return load_cert_from_pemder(str(path))


def subject_name(certificate: asn1_x509.Certificate) -> str:
    return certificate.subject.native.get("common_name", "") or certificate.subject.human_friendly


def subject_org(certificate: asn1_x509.Certificate) -> str:
    return certificate.subject.native.get("organization_name", "") or ""


@dataclass(frozen=True)
class Stamp:
    """What the visible stamp says: a first line (who signs, in which capacity) and the QR's target."""

    heading: str
    url: str


_style_lock = threading.Lock()
_styles: dict[str, stamps.FastQRStampStyle] = {}


def _style(heading_template: str) -> stamps.FastQRStampStyle:
    # A style (and its font factory) is reusable across signatures; each signature embeds its subset.
    with _style_lock:
        style = _styles.get(heading_template)
        if style is None:
            style = stamps.FastQRStampStyle(
                stamp_text=heading_template,
                text_box_style=TextBoxStyle(font=stamps.StampFont(str(stamps.FONT_FILE), font_size=7)),
                border_width=1,
                innsep=2,
                timestamp_format="%d/%m/%Y %H:%M:%S %z",
            )
            _styles[heading_template] = style
        return style


def _box(writer: IncrementalPdfFileWriter, *, left: bool) -> tuple[int, int, int, int]:
    page, _resources = writer.find_page_for_modification(-1)
    box = page.get_object().get("/MediaBox") or [0, 0, 595, 842]
    width = float(box[2]) - float(box[0])
    x1 = STAMP_MARGIN if left else int(width) - STAMP_MARGIN - STAMP_W
    return (x1, STAMP_MARGIN, x1 + STAMP_W, STAMP_MARGIN + STAMP_H)


def sign_pdf(
    data: bytes,
    *,
    signer: signers.Signer,
    field_name: str,
    stamp: Stamp | None,
    left: bool = False,
    reason: str = "",
    location: str = "",
    timestamper=None,
) -> bytes:
    """`data` with one more PAdES signature (an incremental update), with a visible stamp on the
    last page when `stamp` is given."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    page_count = int(writer.root["/Pages"]["/Count"])
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason or None,
        location=location or None,
    )
    spec = None
    style = None
    params = None
    if stamp is not None:
        spec = fields.SigFieldSpec(field_name, on_page=page_count - 1, box=_box(writer, left=left))
        template = stamp.heading.replace("%", "%%") + "\n%(signer)s\n%(ts)s"
        style = _style(template)
        params = {"url": stamp.url}
    pdf_signer = signers.PdfSigner(
        meta, signer=signer, timestamper=timestamper, stamp_style=style, new_field_spec=spec
    )
    out = io.BytesIO()
    # A fixed reservation for the CMS (two certificates, attributes, an RSA signature: about 3 KB)
    # saves pyHanko a dry-run signature to estimate it; a timestamp's token is estimated as usual.
    reserved = None if timestamper is not None else CMS_RESERVED
    outside_event_loop(
        pdf_signer.sign_pdf, writer, output=out, appearance_text_params=params, bytes_reserved=reserved
    )
    return out.getvalue()
