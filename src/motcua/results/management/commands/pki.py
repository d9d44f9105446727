"""`motcua pki`: a demo certificate authority and PKCS#12 keys for signers and seals.

    motcua pki init-ca --name "CA Demo Một cửa" --out var/pki/ca
    motcua pki issue --ca var/pki/ca --cn "Võ Thành Nhân" --org "UBND xã Mỹ An Hưng" \
        --out var/pki/lanhdao.p12 --password ...

Bad input: a message in Vietnamese and English, exit status 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from motcua.results import pki


class Command(BaseCommand):
    help = "Demo CA and signing keys (PKCS#12) for electronic results."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="command", required=True)
        init = sub.add_parser("init-ca", help="Create a demo root CA in a folder.")
        init.add_argument("--name", required=True)
        init.add_argument("--out", required=True)
        init.add_argument("--years", type=int, default=10)
        issue = sub.add_parser("issue", help="Issue a signer's or an organization's key (PKCS#12).")
        issue.add_argument("--ca", required=True)
        issue.add_argument("--cn", required=True, help="The signer's full name, or the organization's.")
        issue.add_argument("--org", default="")
        issue.add_argument("--out", required=True)
        issue.add_argument("--password", required=True)
        issue.add_argument("--years", type=int, default=3)

    def handle(self, *args, **options) -> None:
        try:
            if options["command"] == "init-ca":
                if options["years"] < 1:
                    raise pki.PkiError("Số năm phải lớn hơn 0. / --years must be at least 1.")
                authority = pki.make_ca(options["name"], years=options["years"])
                path = pki.save_ca(authority, Path(options["out"]))
                self.stdout.write(f"CA: {path}")
            else:
                if options["years"] < 1:
                    raise pki.PkiError("Số năm phải lớn hơn 0. / --years must be at least 1.")
                out = Path(options["out"])
                if out.exists():
                    raise pki.PkiError(f"Tệp {out} đã tồn tại. / {out} already exists.")
                pki.issue_pkcs12(
                    Path(options["ca"]),
                    cn=options["cn"],
                    org=options["org"],
                    out=out,
                    password=options["password"],
                    years=options["years"],
                )
                self.stdout.write(f"PKCS#12: {out}")
        except (pki.PkiError, OSError) as exc:
            self.stderr.write(str(exc))
            sys.exit(2)
