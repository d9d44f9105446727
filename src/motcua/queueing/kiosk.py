"""The kiosk's second way to a number: scan the ID card (the CCCD QR, read by `identity.cccd`) and
pick the procedure; the procedure sets the queue service (a service that lists it, else the one
that covers its field). A card whose holder booked a time today checks the booking in instead.

Nothing of the card is stored or carried to the next screen: it gives the greeting, the suggested
priority (60 or older) and the booking lookup only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.selectors import procedure_versions_in_force
from motcua.core.errors import ValidationFailed
from motcua.identity.cccd import CCCDError, parse_cccd_qr
from motcua.units.models import ServiceCenter

from . import appointments, rules, services
from .models import Appointment, AppointmentStatus, QueueService, Ticket, TicketChannel

PROCEDURES_SHOWN = 400  # a commune center offers a few hundred procedures at most


@dataclass(frozen=True)
class Scan:
    """What a card scan at the kiosk gives: a greeting name and the priority to offer."""

    name: str
    priority: str


def _covers(center: ServiceCenter) -> tuple[list[rules.Cover], dict[int, QueueService]]:
    found = list(QueueService.objects.filter(center=center).order_by("prefix").prefetch_related("procedures"))
    covers = [rules.Cover(s.pk, frozenset(p.pk for p in s.procedures.all()), s.field_id) for s in found]
    return covers, {s.pk: s for s in found}


def kiosk_procedures(center: ServiceCenter, *, at: datetime | None = None) -> list[tuple[QueueService, list]]:
    """Each service taking tickets with the procedures (versions in force) whose citizens join it."""
    covers, by_id = _covers(center)
    fields = {c.field for c in covers if c.field is not None}
    listed = set().union(*(c.procedures for c in covers)) if covers else set()
    versions = procedure_versions_in_force(services.local_today(at)).filter(
        Q(procedure__field_id__in=fields) | Q(procedure_id__in=listed)
    )[:PROCEDURES_SHOWN]
    groups: dict[int, list] = defaultdict(list)
    for version in versions:
        chosen = rules.service_for_procedure(
            covers, procedure=version.procedure_id, field=version.procedure.field_id
        )
        groups[chosen].append(version)
    return [(s, groups[pk]) for pk, s in by_id.items() if s.is_open and groups.get(pk)]


@transaction.atomic
def ticket_take_for_procedure(
    *, center: ServiceCenter, procedure, priority: str = "", at: datetime | None = None
) -> Ticket:
    """A kiosk ticket in the queue of the service that takes `procedure` (its id). Errors: unknown
    procedure, no service covering it, closed service, full day (nothing is changed)."""
    at = at or timezone.now()
    version = (
        procedure_versions_in_force(services.local_today(at)).filter(procedure_id=procedure).first()
        if str(procedure or "").isdigit()
        else None
    )
    if version is None:
        raise ValidationFailed(
            _("This procedure is not offered now: choose one from the list."), field="procedure"
        )
    covers, by_id = _covers(center)
    service_id = rules.service_for_procedure(
        covers, procedure=version.procedure_id, field=version.procedure.field_id
    )
    if service_id is None:
        raise ValidationFailed(
            _("No queue of this center takes “%(name)s”: please ask at the reception desk.")
            % {"name": version.name},
            field="procedure",
            code="not_served",
        )
    return services.ticket_take(
        service=by_id[service_id], channel=TicketChannel.KIOSK, priority=priority, at=at
    )


def kiosk_scan(*, center: ServiceCenter, text: str, at: datetime | None = None) -> tuple[Ticket | None, Scan]:
    """Read a scanned card. Its holder's booking of today (still within its time) is checked in:
    the ticket; otherwise no ticket, and the kiosk asks for the procedure."""
    at = at or timezone.now()
    try:
        card = parse_cccd_qr(text)
    except CCCDError as exc:
        raise ValidationFailed(str(exc), field="card") from None
    today = services.local_today(at)
    scan = Scan(card.full_name, rules.kiosk_priority("", birth=card.birth_date, today=today))
    for booking in Appointment.objects.select_related("service").filter(
        center=center, id_number=card.id_number, status=AppointmentStatus.BOOKED
    ):
        if services.local_today(booking.starts_at) == today and at <= appointments.check_in_deadline(booking):
            return appointments.appointment_check_in(center=center, code_or_id=booking.code, at=at), scan
    return None, scan
