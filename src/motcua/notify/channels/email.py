"""E-mail over SMTP: the province's server if it set one, otherwise the one in the settings. The
Message-ID is made from the idempotency key, so a receiver can drop a duplicate."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from . import Result, integration

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def _connection(config):
    if config is not None and config.smtp_host:
        return get_connection(
            SMTP_BACKEND,
            host=config.smtp_host,
            port=config.smtp_port,
            username=config.smtp_username or None,
            password=config.smtp_password or None,
            use_tls=config.smtp_tls,
            timeout=10,
            fail_silently=False,
        )
    return get_connection(fail_silently=False)


def send(message, now) -> Result:
    config = integration(message)
    data = message.payload["email"]
    sender = (config.email_from if config and config.email_from else "") or settings.DEFAULT_FROM_EMAIL
    email = EmailMessage(
        subject=data["subject"],
        body=data["body"],
        from_email=sender,
        to=[data["to"]],
        headers={"Message-ID": f"<{message.key}@motcua>", "Idempotency-Key": message.key},
        connection=_connection(config),
    )
    try:
        email.send()
    except smtplib.SMTPRecipientsRefused as exc:
        return Result(ok=False, permanent=True, error=f"Recipient refused: {exc}")
    except (smtplib.SMTPException, OSError) as exc:
        return Result(ok=False, error=f"SMTP: {exc}")
    return Result(ok=True, response="250 accepted")
