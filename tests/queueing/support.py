"""Factories for queue tests: a center with two services and three counters."""

from dataclasses import dataclass
from datetime import datetime

from motcua.queueing import services
from motcua.queueing.models import QueueService
from motcua.units.models import Counter, Role, ServiceCenter
from motcua.workdays.core import VN_TZ
from tests import factories


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN_TZ)


@dataclass
class Setup:
    center: ServiceCenter
    a: QueueService
    b: QueueService
    c1: Counter
    c2: Counter
    c3: Counter
    officer: object
    officer2: object
    officer3: object


def queue_center(**service_options) -> Setup:
    center = factories.center()
    a = services.service_create(center=center, prefix="A", name="Tư pháp - Hộ tịch", **service_options)
    b = services.service_create(center=center, prefix="B", name="Đất đai", **service_options)
    c1 = Counter.objects.create(center=center, number=1, name="Quầy 1")
    c2 = Counter.objects.create(center=center, number=2, name="Quầy 2")
    c3 = Counter.objects.create(center=center, number=3, name="Quầy 3")
    services.counter_services_set(counter=c1, services=[a, b])
    services.counter_services_set(counter=c2, services=[b, a])
    officers = [factories.user(Role.DESK_OFFICER, center_obj=center) for _ in range(3)]
    for counter, officer in zip((c1, c2), officers, strict=False):
        services.counter_open(counter=counter, officer=officer)
    return Setup(center, a, b, c1, c2, c3, *officers)
