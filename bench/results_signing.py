"""Electronic results: signatures per second in a bulk approval, and the public check's latency.

    .venv/bin/python bench/results_signing.py                  # 60 results, SQLite in a temp dir
    .venv/bin/python bench/results_signing.py --results 200 --seal

Steps: migrate a fresh SQLite database in a temporary MOTCUA_DATA_DIR; make a demo CA and the
leader's (and, with --seal, the organization's) PKCS#12 keys with `motcua.results.pki`; put N
dossiers at the leader's step; then
- "sign": the PAdES signature with its visible QR stamp of N rendered results with the leader's
  loaded key (what a bulk approval does per dossier, without the database);
- "approve": the bulk approval end to end — one `dossier_act(approve)` per dossier, each rendering
  the result from the template, signing it, storing the file and writing its rows;
- "check": the public check of one result by its id (read, SHA-256, pyHanko validation against the
  CA root), median and 95th percentile over `--checks` runs.
Prints a table and writes bench/results/results-latest.json. No timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"


def setup(tmp: Path) -> None:
    os.environ.update(
        MOTCUA_DATA_DIR=str(tmp), MOTCUA_LOG_LEVEL="ERROR", DJANGO_SETTINGS_MODULE="motcua.settings"
    )
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT.parent))  # tests.factories
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "--noinput", verbosity=0)


def world(tmp: Path, *, n: int, seal: bool):
    from datetime import date

    from django.conf import settings
    from tests import factories

    from motcua.dossiers import services
    from motcua.results import pki
    from motcua.results.models import KeyKind, SigningKey
    from motcua.units.models import Role

    authority = pki.make_ca("CA Bench")
    ca_pem = pki.save_ca(authority, tmp / "ca")
    settings.MOTCUA_RESULTS_TRUST = [str(ca_pem)]
    leader_p12 = pki.issue_pkcs12(
        tmp / "ca", cn="Võ Thành Nhân", org="UBND xã", out=tmp / "l.p12", password="p"
    )
    center = factories.center()
    dept = factories.department(center, code="VP")
    version = factories.procedure_version(
        name="Cấp Giấy xác nhận tình trạng hôn nhân",
        components=("Tờ khai",),
        result_type="Giấy xác nhận tình trạng hôn nhân",
        effective_from=date(2020, 1, 1),
    )
    version.steps.update(department_code="VP")
    desk = factories.user(Role.DESK_OFFICER, center_obj=center)
    specialist = factories.user(Role.SPECIALIST, center_obj=center, department_obj=dept)
    leader = factories.user(Role.LEADER, center_obj=center, full_name="Võ Thành Nhân")
    SigningKey.objects.create(
        center=center, user=leader, kind=KeyKind.PKCS12, path=str(leader_p12), password="p"
    )
    if seal:
        seal_p12 = pki.issue_pkcs12(tmp / "ca", cn="UBND xã", org="UBND xã", out=tmp / "s.p12", password="p")
        SigningKey.objects.create(
            center=center, user=None, kind=KeyKind.PKCS12, path=str(seal_p12), password="p"
        )
    dossiers = []
    for i in range(n):
        applicant = services.Applicant(name=f"Nguyễn Văn Thử {i}", id_number=f"0871900{i:05d}")
        dossier = services.dossier_intake(
            actor=desk,
            center=center,
            procedure_version=version,
            channel="counter",
            applicant=applicant,
            components=[services.ComponentCheck(c.id, True) for c in version.components.all()],
        ).dossier
        dossier = services.dossier_act(actor=desk, dossier=dossier, action="transfer")
        dossiers.append(services.dossier_act(actor=specialist, dossier=dossier, action="forward"))
    return leader, leader_p12, dossiers


def bench_sign(leader_p12: Path, dossiers, seal: bool) -> dict:
    from django.utils import timezone

    from motcua.results import render, signing

    now = timezone.now()
    documents = [render.render_result(d, title="Giấy xác nhận tình trạng hôn nhân", at=now) for d in dossiers]
    signer = signing.load_pkcs12(leader_p12, "p")
    stamp = signing.Stamp("Ký số bởi / Signed by:", "http://127.0.0.1:8000/xac-thuc/x/")
    started = time.perf_counter()
    for data in documents:
        signed = signing.sign_pdf(data, signer=signer, field_name=signing.SIGNER_FIELD, stamp=stamp)
        if seal:
            signing.sign_pdf(signed, signer=signer, field_name=signing.SEAL_FIELD, stamp=stamp, left=True)
    elapsed = time.perf_counter() - started
    return {
        "results": len(documents),
        "seconds": round(elapsed, 3),
        "per_second": round(len(documents) / elapsed, 1),
    }


def bench_approve(leader, dossiers) -> dict:
    from motcua.dossiers import services
    from motcua.results.models import ResultDocument

    started = time.perf_counter()
    for dossier in dossiers:
        services.dossier_act(actor=leader, dossier=dossier, action="approve")
    elapsed = time.perf_counter() - started
    signed = ResultDocument.objects.exclude(signed_sha256="").count()
    assert signed == len(dossiers), f"{signed} of {len(dossiers)} results signed"
    return {"results": signed, "seconds": round(elapsed, 3), "per_second": round(signed / elapsed, 1)}


def bench_check(runs: int) -> dict:
    from motcua.results import checks
    from motcua.results.models import ResultDocument

    check_id = ResultDocument.objects.exclude(signed_sha256="").values_list("check_id", flat=True).first()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        answer = checks.check_by_id(check_id=check_id, client="127.0.0.1")
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status == checks.VALID, answer
    times.sort()
    return {
        "runs": runs,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--results", type=int, default=60)
    parser.add_argument("--checks", type=int, default=50)
    parser.add_argument("--seal", action="store_true", help="add the organization's seal to each result")
    parser.add_argument("--output", type=Path, default=RESULTS / "results-latest.json")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="motcua-results-"))
    setup(tmp)
    leader, leader_p12, dossiers = world(tmp, n=args.results, seal=args.seal)
    report = {
        "seal": args.seal,
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "sign": bench_sign(leader_p12, dossiers, args.seal),
        "approve": bench_approve(leader, dossiers),
        "check": bench_check(args.checks),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"{'measure':<34}{'value':>12}")
    print(f"{'sign (results/s, key loaded once)':<34}{report['sign']['per_second']:>12}")
    print(f"{'bulk approve (results/s, end to end)':<34}{report['approve']['per_second']:>12}")
    print(f"{'public check median (ms)':<34}{report['check']['median_ms']:>12}")
    print(f"{'public check p95 (ms)':<34}{report['check']['p95_ms']:>12}")
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
