"""E-mails to citizens: the link to resume a draft, and the code and secret of a submitted dossier.

Written to the outbox in the filing's transaction (a rolled-back submission sends nothing) and
tried once right after the commit; the worker retries a failure with backoff. The pages say
"sent" only once the outbox says delivered, and "will be sent" otherwise.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.notify.selectors import message_status
from motcua.notify.services import email_enqueue


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


def _send_later(subject: str, body: str, to: str, *, key: str, kind: str, center=None) -> None:
    email_enqueue(key=key, to=to, subject=subject, body=body, kind=kind, center=center, deliver_now=True)


def draft_link_key(token, to: str) -> str:
    return f"portal-draft:{token}:{hashlib.sha256(to.encode()).hexdigest()[:16]}"


def submitted_key(code: str) -> str:
    return f"portal-submitted:{code}"


def sent_state(key: str) -> str:
    """ "sent" once delivered, "failed" for a dead or cancelled message, else "pending"."""
    status = message_status(key)
    if status == "delivered":
        return "sent"
    return "failed" if status in ("dead", "cancelled") else "pending"


def send_draft_link(*, to: str, procedure_name: str, token, center=None) -> None:
    subject = _("Your draft filing: %(procedure)s") % {"procedure": procedure_name}
    body = _(
        "Hello,\n\n"
        "You started filing “%(procedure)s” online. To continue, open this link:\n%(url)s\n\n"
        "The draft is kept for %(days)d days. Anyone with the link can open it, so do not share it.\n\n"
        "One-stop shop — Public Administration Service Center"
    ) % {"procedure": procedure_name, "url": draft_url(token), "days": draft_days()}
    _send_later(subject, body, to, key=draft_link_key(token, to), kind="draft_link", center=center)


def send_submitted(
    *, to: str, procedure_name: str, code: str, secret: str, center_name: str, center=None
) -> None:
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
    _send_later(subject, body, to, key=submitted_key(code), kind="submitted", center=center)


def draft_days() -> int:
    return int(getattr(settings, "MOTCUA_DRAFT_DAYS", 30))
