"""The queue of the demo centers: one service per counter's fields, with a second choice so that
an idle counter helps its neighbour. Idempotent; called at the end of `motcua demo`."""

from django.db import transaction

from motcua.catalog.models import Field
from motcua.units.models import Counter, ServiceCenter

from . import services
from .models import QueueService

# (letter, name, field codes, counter number that calls it first, counters that help)
DEMO_SERVICES = (
    ("A", "Tư pháp - Hộ tịch, Chứng thực", ("HOTICH", "CHUNGTHUC"), 1, (3,)),
    ("B", "Đất đai, Xây dựng, Kinh doanh", ("DATDAI", "XAYDUNG", "KINHDOANH"), 2, ()),
    ("C", "Văn hóa - Xã hội, Cư trú", ("BTXH", "VANHOA", "CUTRU", "NGUOICOCONG"), 3, (1,)),
)


@transaction.atomic
def queue_demo_load(centers=None) -> int:
    """Queue services and counters' preferences for every center without any; the count set up."""
    made = 0
    fields = {f.code: f for f in Field.objects.all()}
    for center in centers if centers is not None else ServiceCenter.objects.filter(is_active=True):
        if QueueService.objects.filter(center=center).exists():
            continue
        counters = {c.number: c for c in Counter.objects.filter(center=center)}
        if not counters:
            continue
        created = {}
        for prefix, name, codes, _first, _helpers in DEMO_SERVICES:
            created[prefix] = services.service_create(
                center=center, prefix=prefix, name=name, field=fields.get(codes[0])
            )
        for number, counter in counters.items():
            first = [created[p] for p, _n, _c, owner, _h in DEMO_SERVICES if owner == number]
            helping = [created[p] for p, _n, _c, _o, helpers in DEMO_SERVICES if number in helpers]
            if first or helping:
                services.counter_services_set(counter=counter, services=first + helping)
        made += 1
    return made


def queue_demo_step(province) -> None:
    """The queue's part of `motcua demo` (a step of `units.demo`): the demo province's centers."""
    queue_demo_load(ServiceCenter.objects.filter(commune__province=province))
