"""One dossier's story as the services would have written it: the denormalized row and its
hash-chained events, as COPY text; and the `Generator` that writes the dossiers of a chunk of
days (run in worker processes)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from hashlib import sha256

from histrefs import CenterRef, Refs, StepRef, VersionRef
from histtime import EPOCH_ORDINAL, OFFICE_DAY, VN_OFFSET, OfficeClock, day_text, iso_local, pg_ts, utc_micro
from vnnames import FastRandom, People

# Share of dossiers filed online on working days, by year (weekends are online only).
ONLINE_SHARE = {2023: 0.45, 2024: 0.55, 2025: 0.63, 2026: 0.70}
MISSING = "Thiếu"  # what completeness_problems writes (translated) for a missing component


# -- one dossier's story -----------------------------------------------------------------------------
def _copy_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class Story:
    """The denormalized columns of one dossier and its events, kept as the services keep them."""

    __slots__ = (
        "id",
        "events",
        "last_hash",
        "seq",
        "state",
        "step_position",
        "department_id",
        "step_due",
        "due",
        "original_due",
        "clock",
        "paused",
        "supplements",
        "finished",
        "returned",
        "return_method",
        "outcome",
        "counted",
        "received",
        "submitted",
        "updated",
    )

    def __init__(self, dossier_id: int):
        self.id = dossier_id
        self.events: list[str] = []
        self.last_hash = ""
        self.seq = 0
        self.state = ""
        self.step_position = None
        self.department_id = None
        self.step_due = self.due = self.original_due = self.clock = self.paused = None
        self.finished = self.returned = self.received = self.submitted = None
        self.supplements = 0
        self.return_method = ""
        self.outcome = ""
        self.counted = False
        self.updated = 0

    def record(
        self, action: str, from_state: str, actor, center_id: int, at: int, reason: str, payload: dict
    ) -> None:
        """One event, hashed as `chain.event_hash(prev, chain.event_content(...))` would hash it: the
        canonical JSON is written out directly (keys in sorted order), which `_self_check` and
        `verify_sample` hold against the application's own functions."""
        self.seq += 1
        actor_id, actor_name = actor if actor else (None, "")
        payload_json = _CANONICAL.encode(payload)
        reason_json = _REASONS.get(reason)
        if reason_json is None:
            reason_json = _REASONS[reason] = _CANONICAL.encode(reason)
        content = (
            f'{{"action":"{action}","actor":{"null" if actor_id is None else actor_id},'
            f'"at":"{utc_micro(at)}","center":{center_id},"dossier":{self.id},"from":"{from_state}",'
            f'"payload":{payload_json},"reason":{reason_json},"seq":{self.seq},"to":"{self.state}"}}'
        )
        digest = sha256(f"{self.last_hash}\n{content}".encode()).hexdigest()
        self.events.append(
            "\t".join(
                (
                    str(self.id),
                    str(self.seq),
                    action,
                    from_state,
                    self.state,
                    "\\N" if actor_id is None else str(actor_id),
                    actor_name,
                    str(center_id),
                    pg_ts(at),
                    _copy_text(reason) if reason else "",
                    payload_json.replace("\\", "\\\\"),
                    self.last_hash,
                    digest,
                )
            )
        )
        self.last_hash = digest
        self.updated = at


# Sorted keys, no spaces, UTF-8 as is: `chain.canonical`'s settings, with one encoder for all calls.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_REASONS: dict[str, str] = {}


@dataclass
class ChunkResult:
    dossiers: bytes
    events: bytes
    counters: list[tuple[str, int, int]]
    stats: Counter
    samples: list[tuple[str, str]]
    count: int
    event_count: int


@dataclass
class Plan:
    days: list[tuple[int, int]]  # (daynum, dossiers that day)
    id_start: int
    index: int


@dataclass
class Generator:
    refs: Refs
    clock: OfficeClock
    now: int
    seed: int
    sample_every: int
    dossier_suffix: str = ""
    event_suffix: str = ""
    rng: FastRandom = field(default_factory=FastRandom)

    def __post_init__(self):
        self.center_cum = _cumulative([c.weight for c in self.refs.centers])
        self.center_index = tuple(range(len(self.refs.centers)))
        self._versions_cache: dict = {}

    # -- helpers
    def versions_on(self, daynum: int, online: bool):
        """The versions in force that day (offered online, for online filings) and their weights."""
        hit = self._versions_cache.get((daynum, online))
        if hit is None:
            day = date.fromordinal(daynum + EPOCH_ORDINAL)
            in_force = [
                v
                for v in self.refs.versions
                if v.effective_from <= day and (v.effective_to is None or v.effective_to >= day)
            ]
            if not in_force:  # a catalog whose versions start after the history's start: use the current ones
                in_force = [v for v in self.refs.versions if v.effective_to is None] or list(
                    self.refs.versions
                )
            pool = [v for v in in_force if v.online] if online else in_force
            pool = pool or in_force
            hit = self._versions_cache[(daynum, online)] = (pool, _cumulative([v.weight for v in pool]))
        return hit

    def office_instant(self, i: int) -> int:
        """A uniformly drawn instant in the office sessions of day index `i`."""
        spans = self.clock.sessions[i]
        total = sum(e - s for s, e in spans)
        r = self.rng.randrange(total)
        for s, e in spans:
            if r < e - s:
                return s + r
            r -= e - s
        raise AssertionError

    def online_instant(self, daynum: int) -> int:
        rng = self.rng
        hour = rng.pick(ONLINE_HOURS, ONLINE_HOURS_CUM)
        return (daynum * 86400 - VN_OFFSET) + hour * 3600 + rng.randrange(3600)

    def staff(self, center: CenterRef, role: str, department_code: str = ""):
        rng = self.rng
        if role == "leader":
            return rng.choice(center.leaders)
        if role == "desk_officer":
            return rng.choice(center.desks)
        return rng.choice(center.specialists.get(department_code) or center.specialists[""])

    # -- a chunk of days
    def run(self, plan: Plan) -> ChunkResult:
        self.rng.seed(self.seed * 1_000_003 + plan.index)
        rng = self.rng
        people = People(rng)
        centers = self.refs.centers
        dossier_lines: list[str] = []
        event_lines: list[str] = []
        counters: list[tuple[str, int, int]] = []
        stats: Counter = Counter()
        samples: list[tuple[str, str]] = []
        next_id = plan.id_start
        for daynum, count in plan.days:
            i = daynum - self.clock.first
            working = bool(self.clock.sessions[i])
            year = date.fromordinal(daynum + EPOCH_ORDINAL).year
            share = ONLINE_SHARE.get(
                year, ONLINE_SHARE[max(ONLINE_SHARE)] if year > 2026 else ONLINE_SHARE[2023]
            )
            arrivals = []
            for _ in range(count):
                c = rng.pick(self.center_index, self.center_cum)
                if not working:
                    channel = "online"
                else:
                    r = rng.random()
                    online = share * centers[c].online_factor
                    if r < online:
                        channel = "online"
                    else:
                        r = (r - online) / (1 - online)
                        channel = "counter" if r < 0.84 else ("kiosk" if r < 0.93 else "post")
                t0 = self.online_instant(daynum) if channel == "online" else self.office_instant(i)
                arrivals.append((t0, c, channel))
            arrivals.sort()
            sequence: dict[int, int] = {}
            for t0, c, channel in arrivals:
                pool, cum = self.versions_on(daynum, channel == "online")
                version = rng.pick(pool, cum)
                if channel == "online" and not version.online:
                    channel = "counter"
                line, events, code, secret, story = self.dossier(
                    next_id, t0, centers[c], channel, version, people, sequence, c
                )
                dossier_lines.append(line)
                event_lines.extend(events)
                stats[f"state:{story.state}"] += 1
                stats[f"channel:{channel}"] += 1
                if story.outcome:
                    stats[f"outcome:{story.outcome}"] += 1
                stats["events"] += len(events)
                if code and secret and next_id % self.sample_every == 0:
                    samples.append((code, secret))
                next_id += 1
            for c, last in sequence.items():
                counters.append((centers[c].agency_code, daynum, last))
        d_end, e_end = self.dossier_suffix + "\n", self.event_suffix + "\n"
        return ChunkResult(
            dossiers=(d_end.join(dossier_lines) + d_end).encode() if dossier_lines else b"",
            events=(e_end.join(event_lines) + e_end).encode() if event_lines else b"",
            counters=counters,
            stats=stats,
            samples=samples,
            count=len(dossier_lines),
            event_count=len(event_lines),
        )

    def dossier(
        self,
        did: int,
        t0: int,
        center: CenterRef,
        channel: str,
        version: VersionRef,
        people: People,
        sequence: dict[int, int],
        center_index: int,
    ):
        rng, clock = self.rng, self.clock
        st = Story(did)
        handling = center
        if version.boundary_free and rng.random() < 0.05:
            handling = rng.choice(self.refs.centers)
        boundary_free = handling is not center

        female = rng.random() < 0.56
        birth_year = rng.randint(1945, 2005)
        if rng.random() < 0.015:
            kind, name, id_number, birth = "organization", people.organization(), "", None
        else:
            kind, name = "person", people.name(female)
            id_number = people.id_number(female, birth_year)
            birth = f"{birth_year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        phone = people.phone()
        email = people.email(name) if channel == "online" and rng.random() < 0.2 else ""
        address = people.address(center.commune_name)
        representative = ("", "", "")
        if rng.random() < 0.05:
            rep_female = rng.random() < 0.5
            representative = (
                people.name(rep_female),
                people.id_number(rep_female, rng.randint(1950, 2000)),
                people.phone(),
            )
        postal = f"EL{rng.randrange(10**9):09d}VN" if channel == "post" else ""
        code = None
        secret = ""
        created_by = None
        base_payload = {"procedure": version.national_code, "version": version.version, "channel": channel}
        desk = self.staff(center, "desk_officer")

        def take_code() -> str:
            n = sequence.get(center_index, 0) + 1
            sequence[center_index] = n
            d, _s = divmod(t0 + VN_OFFSET, 86400)
            t = day_text(d)
            return f"{center.agency_code}-{t[2:4]}{t[5:7]}{t[8:10]}-{n:04d}"

        def new_secret() -> str:
            return "".join(rng.choices(SECRET_ALPHABET, k=10))

        transfer_at = None
        if channel in ("online", "kiosk"):
            code, secret = take_code(), new_secret()
            st.state, st.submitted = "submitted", t0
            st.record(
                "submit",
                "",
                None,
                center.id,
                t0,
                "",
                base_payload
                | {
                    "code": code,
                    "components": [
                        {"component": cid, "provided": True} for cid, _n, _m in version.components
                    ],
                },
            )
            t1 = clock.add(t0, 60 + int(rng.expovariate(1 / 5400)))
            if t1 <= self.now:
                r = rng.random()
                if r < 0.045:
                    problems = [f"{n}: {MISSING.lower()}" for _c, n, m in version.components if m][:1] or [
                        "Bản chụp không rõ"
                    ]
                    st.state = "reception_supplement"
                    st.record(
                        "reception_supplement",
                        "submitted",
                        desk,
                        center.id,
                        t1,
                        "Hồ sơ chưa đầy đủ thành phần",
                        {"problems": problems},
                    )
                elif r < 0.06:
                    st.state = "reception_refused"
                    st.record(
                        "reception_refuse",
                        "submitted",
                        desk,
                        center.id,
                        t1,
                        "Không thuộc thẩm quyền giải quyết của cấp xã",
                        {"problems": []},
                    )
                else:
                    st.state, st.received, st.counted = "received", t1, True
                    st.clock = t1
                    st.due = st.original_due = clock.due(t1, version.limit)
                    st.record(
                        "receive",
                        "submitted",
                        desk,
                        center.id,
                        t1,
                        "",
                        {"due": iso_local(st.due), "not_scanned": []},
                    )
                    transfer_at = t1
        else:
            r = rng.random()
            created_by = desk[0]
            if r < 0.035:
                refused = r >= 0.03
                st.state = "reception_refused" if refused else "reception_supplement"
                problems = (
                    []
                    if refused
                    else [
                        {"component": cid, "name": n, "problem": MISSING}
                        for cid, n, m in version.components
                        if m
                    ][:2]
                )
                st.record(
                    "intake",
                    "",
                    desk,
                    center.id,
                    t0,
                    "Không đủ điều kiện tiếp nhận" if refused else "",
                    base_payload | {"problems": problems},
                )
            else:
                code, secret = take_code(), new_secret()
                st.state, st.received, st.submitted, st.counted, st.clock = "received", t0, t0, True, t0
                st.due = st.original_due = clock.due(t0, version.limit)
                st.step_due = clock.transfer_due(t0)
                payload = base_payload | {"code": code, "due": iso_local(st.due)}
                if boundary_free:
                    payload["handling_center"] = handling.agency_code
                st.record("intake", "", desk, center.id, t0, "", payload)
                transfer_at = clock.add(t0, rng.randint(300, 3 * 3600))
                if transfer_at > self.now:
                    transfer_at = None

        if transfer_at is not None:
            self.process(st, version, center, handling, desk, transfer_at, channel)

        created_at = t0
        line = "\t".join(
            (
                str(did),
                code or "\\N",
                secret,
                str(version.id),
                str(version.field_id),
                str(center.id),
                str(handling.id),
                _n(st.department_id),
                channel,
                "t" if boundary_free else "f",
                postal,
                kind,
                name,
                id_number,
                birth or "\\N",
                phone,
                email,
                address,
                representative[0],
                representative[1],
                representative[2],
                st.state,
                _n(st.step_position),
                "\\N",
                _t(st.submitted),
                _t(st.received),
                _t(st.clock),
                _t(st.due),
                _t(st.original_due),
                _t(st.step_due),
                _t(st.paused),
                str(st.supplements),
                "f",
                _t(st.finished),
                _t(st.returned),
                st.return_method,
                st.outcome,
                "t" if st.counted else "f",
                str(st.seq),
                st.last_hash,
                _n(created_by),
                pg_ts(created_at),
                pg_ts(st.updated),
            )
        )
        return line, st.events, code, secret, st

    def process(
        self,
        st: Story,
        version: VersionRef,
        center: CenterRef,
        handling: CenterRef,
        desk,
        at: int,
        channel: str,
    ) -> None:
        """Transfer, the internal process, supplements, refusal or withdrawal, and the return of
        the result; stops at the present instant."""
        rng, clock, now = self.rng, self.clock, self.now
        steps = version.steps

        def enter(step: StepRef | None, when: int) -> None:
            st.step_position = step.position if step else None
            if step and step.department_code and step.department_code in handling.departments:
                st.department_id = handling.departments[step.department_code]
            st.step_due = clock.add(when, step.budget_seconds) if step else st.due

        from_state = st.state
        st.state = "in_progress"
        enter(steps[0] if steps else None, at)
        st.record(
            "transfer",
            from_state,
            desk,
            center.id,
            at,
            "",
            {
                "step": st.step_position,
                "department": st.department_id,
                "handling_center": handling.agency_code,
                "step_due": iso_local(st.step_due),
            },
        )
        w_start = clock.to_work(at)
        r = rng.random()
        fate = "refuse" if r < 0.015 else ("withdraw" if r < 0.02 else "finish")
        if rng.random() < 0.04:  # appraisal finds something missing: ask, wait, restart the clock
            w_ask = w_start + rng.randint(600, int(1.5 * OFFICE_DAY))
            t_ask = clock.from_work(w_ask)
            if t_ask > now:
                return
            step = steps[0] if steps else None
            asker = self.staff(handling, "specialist", step.department_code if step else "")
            used = (w_ask - clock.to_work(st.received)) / OFFICE_DAY
            st.state, st.paused, st.supplements = "supplement_requested", t_ask, 1
            st.record(
                "request_supplement",
                "in_progress",
                asker,
                handling.id,
                t_ask,
                "Cần bổ sung giấy tờ",
                {"problems": ["Bổ sung bản sao giấy tờ chứng minh"], "count": 1, "within_window": used <= 3},
            )
            if rng.random() < 0.15:  # never supplied: withdrawn after a month
                t_w = clock.add(t_ask + 30 * 86400, 600)
                if t_w <= now:
                    st.state, st.finished, st.step_due = "withdrawn", t_w, None
                    st.record(
                        "withdraw", "supplement_requested", desk, center.id, t_w, "Công dân xin rút hồ sơ", {}
                    )
                return
            t_sup = clock.add(t_ask + rng.randint(1, 12) * 86400, rng.randint(60, 4 * 3600))
            if t_sup > now:
                return
            st.state, st.clock, st.paused = "in_progress", t_sup, None
            st.due = clock.due(t_sup, version.limit)
            enter(step, t_sup)
            st.record(
                "supplement",
                "supplement_requested",
                desk,
                center.id,
                t_sup,
                "",
                {"due": iso_local(st.due), "paused_since": iso_local(t_ask)},
            )
            w_start = clock.to_work(t_sup)

        # When the result is issued: early (before the appointment day), on time, or late.
        w_due = clock.to_work(st.due)
        w_due_day = clock.cum_start[clock.index(st.due)]
        r = rng.random()
        late = 0.055 * handling.late_factor
        if r < late:
            extra = int(rng.expovariate(1 / (1.2 * OFFICE_DAY)))
            if rng.random() < 0.04:  # stuck for weeks: the overdue list of the inbox
                extra += rng.randint(20, 60) * OFFICE_DAY
            w_fin = w_due + 60 + extra
        elif r < late + 0.62 and w_due_day > w_start + 900:
            w_fin = w_start + 300 + int((w_due_day - w_start - 600) * rng.random() ** 0.7)
        else:
            lo = max(w_start + 300, w_due_day)
            w_fin = lo + int((w_due - lo) * rng.random()) if w_due > lo else max(w_due, w_start + 60)
        if fate != "finish":
            w_fin = w_start + int((w_fin - w_start) * rng.uniform(0.2, 0.9)) + 1

        k = max(len(steps), 1)
        cuts = sorted(rng.random() for _ in range(k - 1))
        marks = [w_start + int(c * (w_fin - w_start)) + 1 for c in cuts] + [w_fin]
        stop_at = k - 1 if fate == "finish" else rng.randrange(k)
        for index in range(k):
            t = clock.from_work(marks[index])
            if t > now:
                return
            step = steps[index] if steps else None
            if index == stop_at and fate == "refuse":
                leader = self.staff(handling, "leader")
                st.state, st.finished, st.step_due = "refused", t, None
                st.outcome = _outcome(t, st.due)
                st.record(
                    "refuse",
                    "in_progress",
                    leader,
                    handling.id,
                    t,
                    "Không đủ điều kiện giải quyết",
                    {"outcome": st.outcome},
                )
                return
            if index == stop_at and fate == "withdraw":
                st.state, st.finished, st.step_due = "withdrawn", t, None
                st.record("withdraw", "in_progress", desk, center.id, t, "Công dân xin rút hồ sơ", {})
                return
            actor = self.staff(
                handling, step.role if step else "leader", step.department_code if step else ""
            )
            if index < k - 1:
                following = steps[index + 1]
                enter(following, t)
                st.record(
                    "forward",
                    "in_progress",
                    actor,
                    handling.id,
                    t,
                    "",
                    {"step": following.position, "step_due": iso_local(st.step_due)},
                )
                continue
            action = "approve" if step is None or step.role == "leader" else "forward"
            st.state, st.step_position, st.step_due, st.finished = "result_ready", None, None, t
            st.outcome = _outcome(t, st.due)
            st.record(
                action, "in_progress", actor, handling.id, t, "", {"issued": True, "outcome": st.outcome}
            )

        # Return of the result.
        if channel == "online" and rng.random() < 0.5:
            method, t_ret = "electronic", st.finished + rng.randint(30, 1800)
        else:
            method = "post" if channel == "post" else "counter"
            t_ret = clock.from_work(
                clock.to_work(st.finished) + 60 + int(rng.expovariate(1 / (0.8 * OFFICE_DAY)))
            )
        if t_ret > now:
            return
        st.state, st.returned, st.return_method = "returned", t_ret, method
        st.record(
            "return", "result_ready", desk, center.id, t_ret, "", {"method": method, "outcome": st.outcome}
        )


SECRET_ALPHABET = (
    "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # motcua.dossiers.codes.SECRET_ALPHABET (checked at start)
)
ONLINE_HOURS = tuple(range(0, 24))
ONLINE_HOURS_CUM = tuple(
    _acc
    for _acc in [
        sum(
            (0.2, 0.1, 0.1, 0.1, 0.2, 0.6, 1.5, 3, 5, 6, 6, 5, 3, 3, 5, 5.5, 5, 4, 3, 3.5, 4, 3, 1.5, 0.6)[
                : h + 1
            ]
        )
        for h in range(24)
    ]
)


def _cumulative(weights: list[float]) -> list[float]:
    acc, out = 0.0, []
    for w in weights:
        acc += w
        out.append(acc)
    return out


def _n(value) -> str:
    return "\\N" if value is None else str(value)


def _t(ts: int | None) -> str:
    return "\\N" if ts is None else pg_ts(ts)


def _outcome(finished: int, due: int | None) -> str:
    """`lifecycle.outcome_for` on whole seconds in Vietnam's zone."""
    if due is None:
        due = finished
    if finished > due:
        return "late"
    if (finished + VN_OFFSET) // 86400 < (due + VN_OFFSET) // 86400:
        return "early"
    return "on_time"
