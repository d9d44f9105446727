"""Random dossier lifecycles through the real services, and brute-force counts over the result.

`World` is a province with a few staffed centers and procedures; `simulate(world, n, seed)` walks
`n` dossiers through intake (every channel, online submissions, reception decisions), scans and
re-used papers, the internal process, supplements, other agencies, re-appointments, refusals,
withdrawals and returns, at random instants. `brute_counts` recounts from the dossiers, events
and documents tables with plain Python, independently of the rollups.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from motcua.core.errors import DomainError
from motcua.dossiers import documents, reuse, services
from motcua.dossiers.models import Document, Dossier, DossierEvent
from motcua.security.services import presence_record
from motcua.units.models import Role
from motcua.workdays.selectors import calendar_for_center
from tests import factories
from tests.dossiers.support import version

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)


@dataclass
class Staff:
    center: object
    desk: object
    specialist: object
    leader: object


@dataclass
class World:
    province: object
    centers: list[Staff]
    versions: list
    admin: object
    applicants: list[services.Applicant] = field(default_factory=list)

    def staff_of(self, center_id: int) -> Staff:
        return next(s for s in self.centers if s.center.pk == center_id)


def make_world(n_centers: int = 3, province_code: str = "82") -> World:
    province = factories.province(
        province_code, "Đồng Tháp" if province_code == "82" else f"Tỉnh {province_code}"
    )
    centers = []
    for i in range(n_centers):
        center = factories.center(
            factories.commune(province_obj=province),
            area_type=("urban", "rural", "remote")[i % 3],
            yearly_target_per_officer=(1600, 1200, 800)[i % 3],
        )
        dept = factories.department(center, code="VP", name="Văn phòng")
        centers.append(
            Staff(
                center=center,
                desk=factories.user(
                    Role.DESK_OFFICER, center_obj=center, full_name=f"Cán bộ một cửa {i + 1}"
                ),
                specialist=factories.user(
                    Role.SPECIALIST, center_obj=center, department_obj=dept, full_name=f"Chuyên viên {i + 1}"
                ),
                leader=factories.user(Role.LEADER, center_obj=center, full_name=f"Lãnh đạo {i + 1}"),
            )
        )
    civil = factories.field("HOTICH", "Hộ tịch")
    residence = factories.field("CUTRU", "Cư trú")
    versions = [
        version(name="Đăng ký khai sinh", field_obj=civil, boundary_free=True),
        version(
            name="Đăng ký kết hôn",
            field_obj=civil,
            limit_kind="same_day",
            limit_amount=0,
            channels=["counter"],
        ),
        version(
            name="Đăng ký thường trú",
            field_obj=residence,
            limit_amount=7,
            boundary_free=True,
            channels=["counter", "online_partial"],
        ),
    ]
    admin = factories.user(Role.PROVINCE_ADMIN, province_obj=province, full_name="Quản trị tỉnh")
    applicants = [services.Applicant(name=f"Người dân {i}", id_number=f"0871900{i:05d}") for i in range(12)]
    return World(province, centers, versions, admin, applicants)


def _components(v, complete: bool = True):
    comps = list(v.components.all())
    return [services.ComponentCheck(c.id, complete or i > 0) for i, c in enumerate(comps)]


def _upload(rng: random.Random, dossier, actor, at: datetime) -> None:
    comps = list(dossier.procedure_version.components.all())
    component = rng.choice(comps).id if comps and rng.random() < 0.8 else None
    documents.document_upload(
        actor=actor,
        dossier=dossier,
        component_id=component,
        upload=("scan.png", PNG + rng.randbytes(8)),
        at=at,
    )


def _reuse(rng: random.Random, dossier, actor, at: datetime) -> None:
    # the citizen is at the desk (card scanned): other communes' papers that the procedure needs
    presence_record(
        officer=actor, center=dossier.receiving_center, id_number=dossier.applicant_id_number, raw_card="qr"
    )
    found, _present = reuse.reusable_list(
        actor=actor,
        applicant_id_number=dossier.applicant_id_number,
        version=dossier.procedure_version,
        exclude_dossier=dossier,
        limit=5,
    )
    sources = [d.pk for d in found]
    if not sources:
        return
    comps = list(dossier.procedure_version.components.all())
    documents.document_reuse(
        actor=actor,
        dossier=dossier,
        component_id=rng.choice(comps).id if comps else None,
        source_document_id=rng.choice(sources),
        at=at,
    )


def simulate(world: World, n: int, seed: int, start: datetime | None = None, days: int = 70) -> list[Dossier]:
    """Walk `n` random dossiers through the services; instants from `start` over `days` days."""
    rng = random.Random(seed)
    start = start or datetime(2026, 1, 5, 7, 0, tzinfo=VN)
    made = []
    for _ in range(n):
        at = start + timedelta(minutes=rng.randrange(days * 24 * 60))
        made.append(_lifecycle(world, rng, at))
    return made


def _step(rng: random.Random, at: datetime) -> datetime:
    return at + timedelta(minutes=rng.choice((20, 90, 240, 60 * 20, 60 * 30, 60 * 70)))


def _lifecycle(world: World, rng: random.Random, at: datetime) -> Dossier:
    receiving = rng.choice(world.centers)
    v = rng.choice(world.versions)
    handling = receiving
    if v.boundary_free and rng.random() < 0.15:
        handling = rng.choice(world.centers)
    applicant = rng.choice(world.applicants)
    channel = rng.choices(("counter", "post", "kiosk", "online"), (4, 1, 1, 4))[0]
    if channel == "online" and "online_full" not in v.channels and "online_partial" not in v.channels:
        channel = "counter"
    desk = receiving.desk
    if channel in ("online", "kiosk") and rng.random() < 0.7:
        d = services.dossier_submit_online(
            center=receiving.center,
            procedure_version=v,
            applicant=applicant,
            components=_components(v),
            channel=channel,
            handling_center=handling.center,
            at=at,
        )
        if rng.random() < 0.5:
            _upload(rng, d, None, at)
        at = _step(rng, at)
        roll = rng.random()
        if roll < 0.1:
            return services.dossier_act(
                actor=desk, dossier=d, action="reception_supplement", problems=["Thiếu giấy tờ"], at=at
            )
        if roll < 0.17:
            return services.dossier_act(
                actor=desk, dossier=d, action="reception_refuse", reason="Sai thẩm quyền", at=at
            )
        if roll < 0.2:
            return services.dossier_act(actor=desk, dossier=d, action="withdraw", reason="Rút", at=at)
        d = services.dossier_act(actor=desk, dossier=d, action="receive", at=at)
    else:
        if channel == "online":
            channel = "kiosk"
        roll = rng.random()
        decision, complete = None, True
        if roll < 0.1:
            complete = False
        elif roll < 0.16:
            decision = "refuse"
        kwargs = {"postal_tracking_number": "RR123456789VN"} if channel == "post" else {}
        result = services.dossier_intake(
            actor=desk,
            center=receiving.center,
            procedure_version=v,
            channel=channel,
            applicant=applicant,
            components=_components(v, complete),
            decision=decision,
            reason="Không đủ điều kiện" if decision else "",
            handling_center=handling.center,
            result_delivery=rng.choice(("counter", "electronic")),
            at=at,
            **kwargs,
        )
        d = result.dossier
        if not result.received:
            return d
    # scans and re-used papers of the received dossier
    for _ in range(rng.choice((0, 0, 1, 2))):
        at = at + timedelta(minutes=5)
        if rng.random() < 0.3:
            _reuse(rng, d, desk, at)
        else:
            _upload(rng, d, desk, at)
    return _process(world, rng, d, at)


_STEPS: dict[int, list] = {}


def _steps(d: Dossier) -> list:
    if d.procedure_version_id not in _STEPS:
        _STEPS[d.procedure_version_id] = services.processing_steps(d.procedure_version)
    return _STEPS[d.procedure_version_id]


def _choices(world: World, d: Dossier) -> list[tuple[object, str, float]]:
    """(who, action, weight) that the rules allow now, decided from the state and the step (the
    services still check everything; a refused choice is skipped)."""
    handling = world.staff_of(d.center_id)
    desk = world.staff_of(d.receiving_center_id).desk
    if d.state == "received":
        return [(desk, "transfer", 30), (handling.leader, "reappoint", 1), (desk, "withdraw", 0.4)]
    if d.state == "in_progress":
        steps = _steps(d)
        step = next((s for s in steps if s.position == d.step_position), None)
        role = step.role if step else "specialist"
        out = (
            [(handling.leader, "approve", 20)] if role == "leader" else [(handling.specialist, "forward", 20)]
        )
        out += [
            (handling.specialist, "request_supplement", 3),
            (handling.specialist, "interagency_transfer", 1),
            (handling.leader, "refuse", 0.6),
            (desk, "withdraw", 0.4),
            (handling.leader, "reappoint", 1),
        ]
        if step is not None and steps and step.position != steps[0].position:
            out.append((handling.leader, "send_back", 1))
        if role == "specialist":
            out.append((handling.leader, "assign", 1))
        return out
    if d.state == "supplement_requested":
        return [(desk, "supplement", 15), (handling.leader, "refuse", 0.6), (desk, "withdraw", 0.4)]
    if d.state == "interagency":
        return [(handling.specialist, "interagency_return", 15)]
    if d.state == "result_ready":
        return [(desk, "return", 12), (desk, "withdraw", 0.4)]
    return []


def _process(world: World, rng: random.Random, d: Dossier, at: datetime) -> Dossier:
    handling = world.staff_of(d.center_id)
    for _ in range(14):
        at = _step(rng, at)
        options = _choices(world, d)
        if not options or rng.random() < 0.04:
            return d  # finished, or left in progress
        person, action, _w = rng.choices(options, [w for _p, _a, w in options])[0]
        kwargs: dict = {}
        if action == "request_supplement":
            kwargs["problems"] = ["Bổ sung bản sao"]
        if action in ("refuse", "withdraw", "send_back", "interagency_transfer", "reappoint"):
            kwargs["reason"] = "Lý do"
        if action == "interagency_transfer":
            kwargs.update(agency="Công an xã", budget_days=Decimal("1"))
        if action == "return":
            kwargs["method"] = rng.choice(("counter", "post", "electronic"))
            if kwargs["method"] == "electronic":
                signed_result(d)  # an electronic return needs a signed result (issue 15)
        if action == "assign":
            kwargs["assignee_id"] = handling.specialist.pk
        if action == "reappoint":
            calendar = calendar_for_center(d.center)
            kwargs["new_due"] = calendar.next_working_day(d.due_at.astimezone(VN).date() + timedelta(days=2))
        try:
            d = services.dossier_act(actor=person, dossier=d, action=action, at=at, **kwargs)
        except DomainError:
            continue
    return d


def signed_result(d: Dossier) -> None:
    """A result already signed for `d`, as the results app leaves it (the row only: the reports do
    not read the file), so that the desk may return it electronically."""
    from motcua.results.models import ResultDocument

    if not ResultDocument.objects.filter(dossier_id=d.pk, revoked_at__isnull=True).exists():
        ResultDocument.objects.create(
            dossier_id=d.pk,
            kind="rendered",
            title="Kết quả",
            original_file=f"results/sim/{d.pk}.pdf",
            original_sha256="0" * 64,
            signed_file=f"results/sim/{d.pk}-signed.pdf",
            signed_sha256=f"{d.pk:064d}",
            check_id=f"sim-{d.pk:028d}",  # 32 characters, as a real check id
            holder_name=d.applicant_name,
        )


# -- brute force ------------------------------------------------------------------------------------
def _day(instant: datetime) -> date:
    return instant.astimezone(VN).date()


@dataclass
class Tables:
    """The dossiers, events and documents tables, read once."""

    dossiers: dict
    events: dict
    docs: dict

    @classmethod
    def load(cls) -> Tables:
        dossiers = {d.pk: d for d in Dossier.objects.select_related("procedure_version", "center__commune")}
        events = defaultdict(list)
        for e in DossierEvent.objects.order_by("dossier_id", "seq"):
            events[e.dossier_id].append(e)
        docs = defaultdict(list)
        for doc in Document.objects.all():
            docs[doc.dossier_id].append(doc)
        return cls(dossiers, events, docs)


def brute_counts(
    world_centers,
    start: date,
    end: date,
    *,
    side: str = "handling",
    field_id=None,
    procedure_id=None,
    channel=None,
    by: str | None = None,
    tables: Tables | None = None,
) -> dict:
    """{group key (None when not grouped): {counter: value}} recounted from the tables."""
    ids = set(world_centers)
    out: dict = defaultdict(lambda: defaultdict(int))
    tables = tables or Tables.load()
    dossiers, events, docs = tables.dossiers, tables.events, tables.docs

    def inside(instant) -> bool:
        return start <= _day(instant) <= end

    for d in dossiers.values():
        center = d.center_id if side == "handling" else d.receiving_center_id
        if center not in ids:
            continue
        procedure = d.procedure_version.procedure_id
        if field_id and d.field_id != field_id or procedure_id and procedure != procedure_id:
            continue
        if channel and d.channel != channel:
            continue
        key = {
            None: None,
            "center": center,
            "field": d.field_id,
            "procedure": procedure,
            "channel": d.channel,
        }[by]
        c = out[key]
        history = events[d.pk]
        if d.counted and inside(d.received_at):
            c["received"] += 1
            if d.channel == "online":
                c["received_online"] += 1
            if docs[d.pk]:
                c["digitized"] += 1
            reused = [x for x in docs[d.pk] if x.reused_from_id]
            if reused:
                c["reused_dossiers"] += 1
                c["reused_documents"] += len(reused)
        requests = 0
        paused_since = None
        pauses = []
        for e in history:
            if e.action == "request_supplement":
                requests += 1
                paused_since = e.at
                if inside(e.at):
                    c["supplement_requests"] += 1
            if e.action == "supplement":
                pauses.append((paused_since, e.at))
                paused_since = None
            if e.to_state == "reception_supplement" and inside(e.at):
                c["reception_supplement"] += 1
            if e.to_state == "reception_refused" and inside(e.at):
                c["reception_refused"] += 1
            finished = e.action == "refuse" or (
                e.action in ("forward", "approve") and e.to_state == "result_ready"
            )
            if finished and inside(e.at):
                c["handled"] += 1
                c[d.outcome] += 1
                if d.outcome == "late" or requests > 1:
                    c["index_late"] += 1
                if requests > 1:
                    c["multi_supplement"] += 1
                if e.action == "refuse":
                    c["refused"] += 1
                calendar = calendar_for_center(d.center)
                gaps = pauses + ([(paused_since, e.at)] if paused_since else [])
                office = calendar.office_time_between(d.received_at, e.at, gaps)
                days = Decimal(office.total_seconds()) / (calendar.daily_hours() * 3600)
                c["processing_mdays"] += int((days * 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))
                limit = d.procedure_version.time_limit.in_working_days(calendar.daily_hours())
                c["limit_mdays"] += int((Decimal(limit) * 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            if e.action == "withdraw" and d.counted and inside(e.at):
                c["withdrawn"] += 1
                if e.from_state in ("received", "in_progress", "supplement_requested", "interagency"):
                    c["withdrawn_pending"] += 1
            if e.action == "return" and inside(e.at):
                c["returned"] += 1
                if d.return_method == "electronic":
                    c["returned_electronic"] += 1
    return {k: {n: v for n, v in c.items() if v} for k, c in out.items() if any(c.values())}


def brute_officers(center_ids, start: date, end: date) -> dict:
    """{(center, user): counters} of the officers' events at these centers."""
    out: dict = defaultdict(lambda: defaultdict(int))
    for e in DossierEvent.objects.filter(center_id__in=list(center_ids), actor__isnull=False).select_related(
        "dossier"
    ):
        if not start <= _day(e.at) <= end:
            continue
        c = out[(e.center_id, e.actor_id)]
        if e.action in ("intake", "receive") and e.to_state == "received":
            c["received"] += 1
        elif e.to_state == "reception_supplement":
            c["reception_supplement"] += 1
        elif e.to_state == "reception_refused":
            c["reception_refused"] += 1
        elif e.action == "refuse" or (e.action in ("forward", "approve") and e.to_state == "result_ready"):
            c["handled"] += 1
            if e.dossier.outcome == "late":
                c["late"] += 1
        elif e.action == "return":
            c["returned"] += 1
    return {k: dict(v) for k, v in out.items() if any(v.values())}


def nonzero(counts) -> dict:
    from motcua.reports.models import BUCKETS

    return {
        k: v
        for k, v in dict(counts).items()
        if v and k not in BUCKETS and k not in ("in_progress", "overdue")
    }
