"""`motcua vietqr --bin 970416 --account 257678859 [--amount 10000] [--purpose "Chuyen tien"]`."""

import re

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.payments.vietqr import VietQRError, vietqr_payload


class Command(BaseCommand):
    help = "Print the VietQR payload (EMVCo, NAPAS) for a transfer, alone on one line."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--bin", required=True, help="Bank BIN (6 digits), e.g. 970416 for ACB.")
        parser.add_argument("--account", required=True, help="Account number, at most 19 letters/digits.")
        parser.add_argument("--amount", help="Amount in whole VND; makes a one-time (dynamic) QR.")
        parser.add_argument("--purpose", default="", help="Transfer purpose, e.g. the dossier code.")

    def handle(self, *args, **options):
        amount = None
        raw = options["amount"]
        if raw is not None:
            raw = raw.strip()
            if not re.fullmatch(r"[0-9]+", raw) or int(raw) <= 0:
                raise CommandError(_("The amount must be a positive whole number of VND."), returncode=2)
            amount = int(raw)
        try:
            payload = vietqr_payload(
                bin=options["bin"].strip(),
                account=options["account"].strip(),
                amount=amount,
                purpose=options["purpose"],
            )
        except VietQRError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        self.stdout.write(payload)
