"""The demo's signing keys: a demo CA under MOTCUA_PKI_DIR (default MOTCUA_DATA_DIR/pki), a key for
each demo center's leader and a seal for each center, so that `make run` lets a leader sign.
Idempotent; the key files' password is the demo password (a demo is not a deployment)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from motcua.core.text import search_key
from motcua.units.demo import DEMO_CENTERS, DEMO_PASSWORD
from motcua.units.models import Role, ServiceCenter, User

from . import keys, pki
from .models import KeyKind, SigningKey

DEMO_CA_NAME = "CA Demo Một cửa (không dùng thật)"


def _ensure_ca(folder: Path) -> pki.Authority:
    if (folder / pki.CA_KEY).exists():
        return pki.load_ca(folder)
    authority = pki.make_ca(DEMO_CA_NAME)
    pki.save_ca(authority, folder)
    return authority


def _issue(authority: pki.Authority, path: Path, *, cn: str, org: str) -> None:
    if path.exists():
        return
    certificate, key = pki.issue(authority, cn=cn, org=org)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pki.pkcs12_bytes(certificate, key, authority.certificate, DEMO_PASSWORD))
    path.chmod(0o600)


@transaction.atomic
def results_demo_step(province) -> None:
    slugs = {search_key(spec.commune_name): spec.slug for spec in DEMO_CENTERS}
    centers = ServiceCenter.objects.filter(commune__province=province).select_related("commune")
    folder = keys.pki_dir()
    authority = None
    for center in centers:
        slug = slugs.get(search_key(center.commune.name))
        if slug is None:
            continue
        leader = User.objects.filter(
            username=f"{slug}.lanhdao", staff_roles__role=Role.LEADER, staff_roles__center=center
        ).first()
        if leader is None or SigningKey.objects.filter(center=center, user=leader).exists():
            continue
        authority = authority or _ensure_ca(keys.demo_ca_dir())
        org = f"UBND {center.commune.name}"
        leader_file = folder / f"{slug}-lanhdao.p12"
        seal_file = folder / f"{slug}-con-dau.p12"
        _issue(authority, leader_file, cn=leader.full_name or leader.username, org=org)
        _issue(authority, seal_file, cn=org, org=org)
        for user, path in ((leader, leader_file), (None, seal_file)):
            SigningKey.objects.create(
                center=center, user=user, kind=KeyKind.PKCS12, path=str(path), password=DEMO_PASSWORD
            )
