"""What a slip needs to know about a dossier, read once: the dossier with its procedure and centers,
its events in order, and the facts the slips are about (which event received it, asked for
supplements, refused it, reset its appointment).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from urllib.parse import quote

from django.conf import settings

from motcua.core.text import nfc

from ..models import Document, Dossier, DossierEvent, State
from . import vi

RECEIVING = "receiving"
SUPPLEMENT = "supplement"
REFUSAL = "refusal"
REAPPOINTMENT = "reappointment"
APPOINTING = "appointing"


def _kind(event: DossierEvent) -> str | None:
    """Which slip-worthy fact an event is."""
    if event.action == "intake":
        return {
            State.RECEIVED: RECEIVING,
            State.RECEPTION_SUPPLEMENT: SUPPLEMENT,
            State.RECEPTION_REFUSED: REFUSAL,
        }.get(event.to_state)
    return {
        "receive": RECEIVING,
        "reception_supplement": SUPPLEMENT,
        "request_supplement": SUPPLEMENT,
        "reception_refuse": REFUSAL,
        "refuse": REFUSAL,
        "reappoint": REAPPOINTMENT,
    }.get(event.action)


def parse_instant(value) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def person(event: DossierEvent | None) -> str:
    """The full name of who took an action, as it was recorded."""
    if event is None:
        return ""
    actor = event.actor
    if actor is not None and getattr(actor, "full_name", ""):
        return nfc(actor.full_name)
    return nfc(event.actor_name) or (nfc(actor.get_username()) if actor is not None else "")


@dataclass
class SlipContext:
    dossier: Dossier
    events: list[DossierEvent]

    @classmethod
    def load(cls, dossier: Dossier) -> SlipContext:
        fresh = Dossier.objects.select_related(
            "procedure_version__procedure",
            "receiving_center__commune",
            "center__commune",
            "department",
        ).get(pk=dossier.pk)
        events = list(
            DossierEvent.objects.filter(dossier_id=fresh.pk).select_related("actor").order_by("seq")
        )
        return cls(dossier=fresh, events=events)

    # -- facts --------------------------------------------------------------------------------
    def latest(self, kind: str, before_seq: int | None = None) -> DossierEvent | None:
        for event in reversed(self.events):
            if before_seq is not None and event.seq >= before_seq:
                continue
            if _kind(event) == kind:
                return event
        return None

    @property
    def receipt_event(self) -> DossierEvent | None:
        return self.latest(RECEIVING)

    @property
    def supplement_event(self) -> DossierEvent | None:
        return self.latest(SUPPLEMENT)

    @property
    def refusal_event(self) -> DossierEvent | None:
        return self.latest(REFUSAL)

    @property
    def reappoint_event(self) -> DossierEvent | None:
        return self.latest(REAPPOINTMENT)

    def appointment_before(self, seq: int | None = None) -> tuple[datetime | None, DossierEvent | None]:
        """The appointment given at reception or after the last completed supplement, before event
        `seq` (all events when None), and the event that gave it."""
        for event in reversed(self.events):
            if seq is not None and event.seq >= seq:
                continue
            if _kind(event) == RECEIVING or event.action == "supplement":
                due = parse_instant(event.payload.get("due"))
                if due is not None:
                    return due, event
        return None, None

    # -- the dossier as printed ---------------------------------------------------------------
    @property
    def center(self):
        """The one-stop shop that issues the slips: the receiving center."""
        return self.dossier.receiving_center

    @property
    def center_lines(self) -> tuple[str, str]:
        """The issuing center as the header prints it: "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" over the
        commune's name in capitals."""
        return "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", nfc(self.center.commune.name).upper()

    @property
    def place(self) -> str:
        commune = self.center.commune
        return vi.place_name(commune.name, commune.division_type)

    @property
    def procedure_name(self) -> str:
        return nfc(self.dossier.procedure_version.name)

    @property
    def national_code(self) -> str:
        return self.dossier.procedure_version.procedure.national_code

    @property
    def reference(self) -> str:
        return f"#{self.dossier.pk}"

    @property
    def qr_url(self) -> str:
        base = settings.PUBLIC_URL.rstrip("/")
        d = self.dossier
        if d.code:
            url = f"{base}/tra-cuu/{quote(d.code, safe='')}/"
            return f"{url}?s={quote(d.secret, safe='')}" if d.secret else url
        return f"{base}/thu-tuc/{quote(self.national_code, safe='')}/"

    def code_lines(self, *, with_secret: bool = True) -> list[tuple[str, str]]:
        d = self.dossier
        if not d.code:
            return [("Mã tham chiếu", self.reference)]
        lines = [("Mã hồ sơ", d.code)]
        if with_secret and d.secret:
            lines.append(("Mã tra cứu", vi.secret(d.secret)))
        return lines

    @property
    def qr_caption(self) -> str:
        if self.dossier.code:
            return "Quét mã QR hoặc truy cập địa chỉ dưới đây để theo dõi hồ sơ:"
        return "Quét mã QR để xem thông tin và thành phần hồ sơ của thủ tục:"

    @cached_property
    def components(self) -> list:
        return list(self.dossier.procedure_version.components.all())

    @cached_property
    def scanned_component_ids(self) -> set[int]:
        return set(
            Document.objects.filter(dossier_id=self.dossier.pk, component__isnull=False).values_list(
                "component_id", flat=True
            )
        )

    @cached_property
    def provided_component_ids(self) -> set[int] | None:
        """Components the citizen said they provided online; None when not recorded (counter)."""
        for event in self.events:
            if event.action == "submit" and isinstance(event.payload.get("components"), list):
                return {c["component"] for c in event.payload["components"] if c.get("provided")}
        return None

    @cached_property
    def step_names(self) -> dict[int, str]:
        return {s.position: nfc(s.name) for s in self.dossier.procedure_version.steps.all()}
