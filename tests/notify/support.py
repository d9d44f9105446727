"""Helpers for notify tests: a province with its integration settings, subscriptions, messages."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from motcua.notify import services
from motcua.notify.models import ProvinceIntegration, WebhookSubscription
from tests import factories

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def integration(province_code: str = "82", **kwargs) -> ProvinceIntegration:
    obj, _ = ProvinceIntegration.objects.update_or_create(
        province=factories.province(province_code), defaults=kwargs
    )
    return obj


def subscription(center, url: str, *, secret: str = "bi-mat", actions=()) -> WebhookSubscription:
    return WebhookSubscription.objects.create(center=center, url=url, secret=secret, actions=list(actions))


def webhook_message(sub: WebhookSubscription, n: int, *, order_key: str = "", at=T0, **kwargs):
    return services.message_enqueue(
        key=f"test:{sub.pk}:{n}",
        channel="webhook",
        destination=f"webhook:{sub.pk}",
        payload={"subscription": sub.pk, "event": {"n": n, "order": order_key}},
        center=sub.center,
        province_id=sub.center.commune.province_id,
        order_key=order_key,
        at=at,
        **kwargs,
    )


def published(run):
    """Run a dossier action in its own transaction (the notify listener writes its messages inside
    it, through `motcua.dossiers.events`) and return the dossier."""
    from django.db import transaction

    from motcua.dossiers.models import Dossier

    with transaction.atomic():
        result = run()
    return result if isinstance(result, Dossier) else result.dossier
