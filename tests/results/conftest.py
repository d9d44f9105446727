"""A demo CA made by the tests (once per worker), keys for a leader and a seal, a rogue CA, and a
staffed center whose procedure's result is rendered from the template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from motcua.results import pki, signing
from motcua.results.models import KeyKind, SigningKey
from motcua.units.models import Role
from tests import factories

PASSWORD = "khoa-thu-nghiem"


@dataclass
class Pki:
    folder: Path
    ca_pem: Path
    leader_p12: Path
    seal_p12: Path
    rogue_p12: Path
    remote_key: object
    remote_cert: object
    authority: pki.Authority


@pytest.fixture(scope="session")
def pki_root(tmp_path_factory) -> Pki:
    folder = tmp_path_factory.mktemp("pki")
    authority = pki.make_ca("CA Thử nghiệm Một cửa")
    ca_pem = pki.save_ca(authority, folder / "ca")
    leader = pki.issue_pkcs12(
        folder / "ca",
        cn="Võ Thành Nhân",
        org="UBND xã Mỹ An Hưng",
        out=folder / "leader.p12",
        password=PASSWORD,
    )
    seal = pki.issue_pkcs12(
        folder / "ca",
        cn="UBND xã Mỹ An Hưng",
        org="UBND xã Mỹ An Hưng",
        out=folder / "seal.p12",
        password=PASSWORD,
    )
    rogue = pki.make_ca("CA Giả mạo")
    pki.save_ca(rogue, folder / "rogue")
    rogue_p12 = pki.issue_pkcs12(
        folder / "rogue",
        cn="Võ Thành Nhân",
        org="UBND xã Mỹ An Hưng",
        out=folder / "rogue.p12",
        password=PASSWORD,
    )
    remote_cert, remote_key = pki.issue(authority, cn="Lê Văn Ký Từ Xa", org="UBND xã Mỹ An Hưng")
    return Pki(folder, ca_pem, leader, seal, rogue_p12, remote_key, remote_cert, authority)


@pytest.fixture
def trust(settings, pki_root):
    settings.MOTCUA_RESULTS_TRUST = [str(pki_root.ca_pem)]
    settings.PUBLIC_URL = "http://testserver"
    return pki_root


@pytest.fixture
def roots(pki_root):
    return [signing.load_certificate(pki_root.ca_pem)]


@dataclass
class Env:
    center: object
    desk: object
    specialist: object
    leader: object
    other_leader: object
    version: object
    pki: Pki


@pytest.fixture
def env(db, trust) -> Env:
    center = factories.center()
    dept = factories.department(center, code="VP", name="Văn phòng HĐND và UBND")
    version = factories.procedure_version(
        name="Cấp Giấy xác nhận tình trạng hôn nhân",
        components=("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",),
        result_type="Giấy xác nhận tình trạng hôn nhân",
        effective_from=date(2020, 1, 1),
    )
    version.steps.update(department_code="VP")
    leader = factories.user(Role.LEADER, center_obj=center, full_name="Võ Thành Nhân")
    other_leader = factories.user(Role.LEADER, center_obj=center, full_name="Phạm Văn Khóa")
    SigningKey.objects.create(
        center=center, user=leader, kind=KeyKind.PKCS12, path=str(trust.leader_p12), password=PASSWORD
    )
    SigningKey.objects.create(
        center=center, user=None, kind=KeyKind.PKCS12, path=str(trust.seal_p12), password=PASSWORD
    )
    return Env(
        center=center,
        desk=factories.user(Role.DESK_OFFICER, center_obj=center),
        specialist=factories.user(Role.SPECIALIST, center_obj=center, department_obj=dept),
        leader=leader,
        other_leader=other_leader,
        version=version,
        pki=trust,
    )
