"""A demo certificate authority and the keys of signers and seals (PKCS#12), made with `cryptography`.

Real deployments get officials' certificates from the government CA or a licensed public CA (often
as remote signing, see `remote.py`); this module makes the same shapes for a demo and for tests:
a self-signed root (`ca.pem` + `ca-key.pem` in a folder) and, per signer or organization, a
PKCS#12 file with the key, its certificate (digital signature + non-repudiation, the e-mail
protection and document signing usages) and the root.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_CERT, CA_KEY = "ca.pem", "ca-key.pem"
KEY_BITS = 2048
DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.4.1.311.10.3.12")  # Microsoft's, read by PDF readers


class PkiError(ValueError):
    """Bad input for the demo CA (the message is shown to the person who typed it)."""


@dataclass(frozen=True)
class Authority:
    certificate: x509.Certificate
    key: rsa.RSAPrivateKey


def _name(cn: str, org: str = "", country: str = "VN") -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, country)]
    if org:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(parts)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)  # a little slack for clock skew


def make_ca(name: str, *, years: int = 10) -> Authority:
    name = (name or "").strip()
    if not name:
        raise PkiError("Tên CA không được để trống. / The CA's name is required.")
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    subject = _name(name, name)
    start = _now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Authority(certificate, key)


def save_ca(authority: Authority, folder: Path) -> Path:
    folder = Path(folder)
    if (folder / CA_KEY).exists():
        raise PkiError(
            f"Thư mục {folder} đã có một CA; chọn thư mục khác. / "
            f"{folder} already holds a CA; choose another folder."
        )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CA_CERT).write_bytes(authority.certificate.public_bytes(serialization.Encoding.PEM))
    key_path = folder / CA_KEY
    key_path.write_bytes(
        authority.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key_path.chmod(0o600)
    return folder / CA_CERT


def load_ca(folder: Path) -> Authority:
    folder = Path(folder)
    try:
        certificate = x509.load_pem_x509_certificate((folder / CA_CERT).read_bytes())
        key = serialization.load_pem_private_key((folder / CA_KEY).read_bytes(), password=None)
    except FileNotFoundError:
        raise PkiError(
            f"Không tìm thấy CA trong {folder} (cần {CA_CERT} và {CA_KEY}). / No CA in {folder} "
            f"({CA_CERT} and {CA_KEY} are needed)."
        ) from None
    except ValueError:
        raise PkiError(f"Tệp CA trong {folder} bị hỏng. / The CA files in {folder} are damaged.") from None
    return Authority(certificate, key)


def issue(
    authority: Authority, *, cn: str, org: str = "", years: int = 3, key: rsa.RSAPrivateKey | None = None
) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """A signing certificate for a person (cn = their name) or an organization's seal (cn = its name)."""
    cn = (cn or "").strip()
    if not cn:
        raise PkiError("Tên người ký (--cn) không được để trống. / The signer's name (--cn) is required.")
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    start = _now()
    ca_cert = authority.certificate
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(cn, (org or "").strip()))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(min(start + dt.timedelta(days=365 * years), ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()), critical=False
        )
        .sign(authority.key, hashes.SHA256())
    )
    return certificate, key


def pkcs12_bytes(
    certificate: x509.Certificate, key: rsa.RSAPrivateKey, authority_cert: x509.Certificate, password: str
) -> bytes:
    if not password:
        raise PkiError("Cần mật khẩu cho tệp khóa (--password). / A password for the key file is required.")
    name = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    return pkcs12.serialize_key_and_certificates(
        str(name).encode(),
        key,
        certificate,
        [authority_cert],
        serialization.BestAvailableEncryption(password.encode()),
    )


def issue_pkcs12(ca_folder: Path, *, cn: str, org: str, out: Path, password: str, years: int = 3) -> Path:
    authority = load_ca(ca_folder)
    if not password:
        raise PkiError("Cần mật khẩu cho tệp khóa (--password). / A password for the key file is required.")
    certificate, key = issue(authority, cn=cn, org=org, years=years)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pkcs12_bytes(certificate, key, authority.certificate, password))
    out.chmod(0o600)
    return out
