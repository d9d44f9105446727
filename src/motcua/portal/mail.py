"""E-mails to citizens: the link to resume a draft, and the code and secret of a submitted dossier.

Sent only after the transaction commits (a rolled-back submission sends nothing), through
Django's mail backend (the console unless SMTP is configured). A mail server that is down must
not turn a saved filing into an error page, so failures are logged, not raised.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def public_url(path: str) -> str:
    return settings.PUBLIC_URL.rstrip("/") + path


def draft_url(token) -> str:
    return public_url(reverse("portal:draft", args=[token]))


def tracking_url(code: str, secret: str) -> str:
    return public_url(reverse("dossiers:track", args=[code])) + f"?s={quote(secret, safe='')}"


def secret_text(secret: str) -> str:
    """ "ABCDE-FGH23", as printed on the slips: two halves are easier to copy."""
    half = (len(secret) + 1) // 2
    return f"{secret[:half]}-{secret[half:]}" if len(secret) > 5 else secret


def _send_later(subject: str, body: str, to: str) -> None:
    def deliver() -> None:
        try:
            send_mail(subject, body, None, [to])
        except Exception:  # the filing is saved; the page still shows the link or the code
            logger.exception("Could not send the e-mail %r", subject)

    transaction.on_commit(deliver)


def send_draft_link(*, to: str, procedure_name: str, token) -> None:
    subject = _("Your draft filing: %(procedure)s") % {"procedure": procedure_name}
    body = _(
        "Hello,\n\n"
        "You started filing “%(procedure)s” online. To continue, open this link:\n%(url)s\n\n"
        "The draft is kept for %(days)d days. Anyone with the link can open it, so do not share it.\n\n"
        "One-stop shop — Public Administration Service Center"
    ) % {"procedure": procedure_name, "url": draft_url(token), "days": draft_days()}
    _send_later(subject, body, to)


def send_submitted(*, to: str, procedure_name: str, code: str, secret: str, center_name: str) -> None:
    subject = _("Dossier %(code)s submitted") % {"code": code}
    body = _(
        "Hello,\n\n"
        "Your dossier “%(procedure)s” was submitted to %(center)s.\n\n"
        "Dossier code: %(code)s\n"
        "Lookup secret: %(secret)s\n\n"
        "Follow its progress here:\n%(url)s\n\n"
        "A desk officer checks it and receives it; you are told if anything is missing.\n\n"
        "One-stop shop — Public Administration Service Center"
    ) % {
        "procedure": procedure_name,
        "center": center_name,
        "code": code,
        "secret": secret_text(secret),
        "url": tracking_url(code, secret),
    }
    _send_later(subject, body, to)


def draft_days() -> int:
    return int(getattr(settings, "MOTCUA_DRAFT_DAYS", 30))
