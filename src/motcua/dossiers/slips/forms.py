"""The bodies of slips 01-05 (Circular 01/2018 forms, as the one-stop shops still print them).

Each builder takes a SlipContext and returns (Heading, story); it raises SlipNotAvailable when the
dossier's history holds nothing the slip could be about.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.platypus import KeepTogether

from motcua.core.errors import DomainError
from motcua.core.text import nfc

from ..models import DossierEvent
from . import vi
from .context import SlipContext, parse_instant, person
from .layout import Heading, Styles, esc, field, grid, numbered, p, signature_flowables, signatures

TITLES = {
    "01": "PHIẾU TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "02": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "03": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "04": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
    "05": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
}

SIGN_HINT = "(Ký và ghi rõ họ tên)"


class SlipNotAvailable(DomainError):
    code = "slip_not_available"
    status = 409

    def __init__(self, message: str):
        super().__init__(message, code="slip_not_available")


def _heading(ctx: SlipContext, form: str, when, *, with_secret: bool = True) -> Heading:
    return Heading(
        center_lines=ctx.center_lines,
        place_date=vi.place_date(ctx.place, when),
        form=form,
        title=TITLES[form],
        code_lines=ctx.code_lines(with_secret=with_secret),
        qr_url=ctx.qr_url,
        qr_caption=ctx.qr_caption,
    )


def _applicant(ctx: SlipContext, label: str) -> list:
    """Who the dossier is for; `label` ("Hồ sơ của") is followed by "Ông/Bà" or "tổ chức"."""
    d = ctx.dossier
    whom = "tổ chức" if d.applicant_kind == "organization" else "Ông/Bà"
    story = [field(f"{label} {whom}", d.applicant_name)]
    contact = []
    if d.applicant_id_number:
        kind = "Số định danh cá nhân" if d.applicant_kind == "person" else "Mã số"
        contact.append(f"{kind}: <b>{esc(d.applicant_id_number)}</b>")
    contact.append(f"Điện thoại: <b>{esc(d.applicant_phone) or '……………………'}</b>")
    if d.applicant_email:  # on the same line: slip 01 must fit one A5 page
        contact.append(f"Email: <b>{esc(d.applicant_email)}</b>")
    story.append(p("; ".join(contact)))
    story.append(field("Địa chỉ", d.applicant_address))
    if d.representative_name:
        parts = [f"<b>{esc(d.representative_name)}</b>"]
        if d.representative_id_number:
            parts.append(f"số định danh {esc(d.representative_id_number)}")
        if d.representative_phone:
            parts.append(f"điện thoại {esc(d.representative_phone)}")
        story.append(p("Người nộp thay: " + ", ".join(parts)))
    return story


def _request(ctx: SlipContext) -> object:
    return p(
        f"Nội dung yêu cầu giải quyết: <b>{esc(ctx.procedure_name)}</b> (mã thủ tục {esc(ctx.national_code)})"
    )


def _handling_unit(ctx: SlipContext) -> str:
    d = ctx.dossier
    name = nfc(d.center.name)
    if d.department is not None:
        name = f"{nfc(d.department.name)} - {name}"
    return name


# Blocks other apps add to a slip without dossiers importing them (payments: fees and the VietQR
# on slip 01): {"01": [callable(dossier) -> list of flowables]}, filled in their AppConfig.ready().
EXTRA_BLOCKS: dict[str, list] = {}


def extra_blocks(number: str, dossier) -> list:
    return [flowable for block in EXTRA_BLOCKS.get(number, ()) for flowable in block(dossier)]


# -- 01 -------------------------------------------------------------------------------------------
def receipt(ctx: SlipContext):
    event = ctx.receipt_event
    d = ctx.dossier
    if event is None or not d.code:
        raise SlipNotAvailable(
            _("The receipt and appointment slip is only for received dossiers; this one was never received.")
        )
    story = _applicant(ctx, "Tiếp nhận hồ sơ của")
    story.append(_request(ctx))
    line = f"Hình thức nộp: <b>{esc(vi.CHANNEL.get(d.channel, d.channel))}</b>"
    if d.postal_tracking_number:
        line += f" (số hiệu bưu gửi {esc(d.postal_tracking_number)})"
    story.append(p(line))
    if d.boundary_free:
        story.append(field("Cơ quan giải quyết (phi địa giới hành chính)", d.center.name))

    story.append(p("1. Thành phần hồ sơ nộp gồm:", Styles.numbered))
    rows = [
        [
            p("TT", Styles.cell_head),
            p("Tên giấy tờ", Styles.cell_head),
            p("Hình thức", Styles.cell_head),
            p("Số bản", Styles.cell_head),
            p("Đã số hóa", Styles.cell_head),
        ]
    ]
    provided = ctx.provided_component_ids
    scanned = ctx.scanned_component_ids
    listed = [
        c
        for c in ctx.components
        if c.mandatory or c.id in scanned or (provided is not None and c.id in provided)
    ]
    for i, c in enumerate(listed, start=1):
        name = esc(c.name)
        if c.condition:
            name += f"<br/><font color='#555555'>({esc(c.condition)})</font>"
        rows.append(
            [
                p(str(i), Styles.cell_center),
                p(name, Styles.cell),
                p(esc(vi.PAPER_FORM.get(c.paper_form, c.paper_form)), Styles.cell),
                p(f"{c.copies:02d}", Styles.cell_center),
                p("✓" if c.id in scanned else "", Styles.cell_center),
            ]
        )
    if len(rows) == 1:
        rows.append(
            [p("", Styles.cell), p("(Thủ tục không quy định thành phần hồ sơ)", Styles.cell), "", "", ""]
        )
    story.append(grid(rows, [7, 70, 23, 10, 13]))

    version = d.procedure_version
    due, due_event = ctx.appointment_before()
    due = due or d.original_due_at or d.due_at
    # What follows the papers stays together with the signatures: when the list runs onto another
    # page the signatures never stand there alone.
    tail = [
        p("2. Số lượng hồ sơ: <b>01</b> (bộ)", Styles.numbered),
        p(
            "3. Thời hạn giải quyết hồ sơ theo quy định: "
            f"<b>{esc(vi.limit(version.limit_kind, version.limit_amount, ctx.center.cutoff))}</b>",
            Styles.numbered,
        ),
        p(f"4. Thời gian nhận hồ sơ: <b>{esc(vi.instant(event.at))}</b>", Styles.numbered),
        p(f"5. Thời gian trả kết quả giải quyết hồ sơ: <b>{esc(vi.instant(due))}</b>", Styles.numbered),
    ]
    notes = []
    if due_event is not None and due_event.action == "supplement":
        notes.append(f"tính lại từ khi nhận đủ hồ sơ bổ sung lúc {vi.instant(due_event.at)}")
    reappointed = ctx.reappoint_event
    if reappointed is not None and (due_event is None or reappointed.seq > due_event.seq):
        notes.append(f"đã hẹn lại: {vi.instant(d.due_at)}, theo phiếu xin lỗi và hẹn lại")
    if notes:
        tail.append(p(esc(f"({'; '.join(notes)})"), Styles.item))
    tail.append(p(f"6. Hình thức nhận kết quả: <b>{esc(_return_place(ctx))}</b>", Styles.numbered))
    tail.append(
        p(
            "Mã hồ sơ và mã tra cứu dùng để theo dõi hồ sơ và nhận kết quả; "
            "xin giữ phiếu này và không cung cấp mã tra cứu cho người khác.",
            Styles.note,
        )
    )
    tail += extra_blocks("01", d)  # e.g. the VietQR of what is owed (payments)
    tail += signature_flowables(
        [
            ("NGƯỜI NỘP HỒ SƠ", SIGN_HINT, d.representative_name or d.applicant_name),
            ("NGƯỜI TIẾP NHẬN HỒ SƠ", SIGN_HINT, person(event)),
        ]
    )
    story.append(KeepTogether(tail))
    return _heading(ctx, "01", event.at), story


def _return_place(ctx: SlipContext) -> str:
    method = ctx.dossier.return_method or ctx.dossier.result_delivery
    if method == "post":
        return f"{vi.RETURN_METHOD['post']} (theo địa chỉ của người nộp)"
    if method == "electronic":
        return vi.RETURN_METHOD["electronic"]
    place = f"{vi.RETURN_METHOD['counter']} - {nfc(ctx.center.name)}"
    if ctx.center.address:
        place += f", {nfc(ctx.center.address)}"
    return place


# -- 02 -------------------------------------------------------------------------------------------
def supplement(ctx: SlipContext):
    event = ctx.supplement_event
    if event is None:
        raise SlipNotAvailable(_("No supplements were ever requested for this dossier."))
    d = ctx.dossier
    at_reception = event.action != "request_supplement"
    items = [vi.problem(item) for item in event.payload.get("problems") or []]
    items = [item for item in items if item]
    story = _applicant(ctx, "Hồ sơ của")
    story.append(_request(ctx))
    if at_reception:
        story.append(p(f"Thời điểm kiểm tra hồ sơ: <b>{esc(vi.instant(event.at))}</b>"))
    else:
        story.append(p(f"Hồ sơ đã tiếp nhận lúc: <b>{esc(vi.instant(d.received_at))}</b>"))
        story.append(p(f"Thời điểm yêu cầu bổ sung: <b>{esc(vi.instant(event.at))}</b>"))
    story.append(p("Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:", Styles.heading))
    story += numbered(items or ([event.reason] if event.reason else ["(không ghi nội dung)"]))
    if event.reason and items:
        story.append(p(f"Lý do: <b>{esc(event.reason)}</b>", Styles.body))
    if at_reception:
        story.append(
            p(
                "Hồ sơ chưa được tiếp nhận. Khi nộp lại, xin mang theo phiếu này và bổ sung đầy đủ "
                "các nội dung trên.",
                Styles.remark,
            )
        )
    else:
        story.append(
            p(
                f"Thời gian giải quyết hồ sơ tạm dừng từ {esc(vi.instant(event.at))}; khi nhận đủ hồ sơ "
                "bổ sung, thời hạn giải quyết được tính lại từ đầu.",
                Styles.remark,
            )
        )
    officer = person(event)
    contact = f"{esc(officer)}, {esc(ctx.center.name)}" if officer else esc(ctx.center.name)
    if ctx.center.phone:
        contact += f", số điện thoại {esc(ctx.center.phone)}"
    story.append(
        p(
            f"Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ {contact} "
            "để được hướng dẫn.",
            Styles.body,
        )
    )
    story.append(signatures([("NGƯỜI HƯỚNG DẪN", SIGN_HINT, officer)]))
    return _heading(ctx, "02", event.at), story


# -- 03 -------------------------------------------------------------------------------------------
def refusal(ctx: SlipContext):
    event = ctx.refusal_event
    if event is None:
        raise SlipNotAvailable(_("This dossier was not refused."))
    d = ctx.dossier
    at_reception = event.action != "refuse"
    unit = ctx.center.name if at_reception else _handling_unit(ctx)
    story = _applicant(ctx, "Hồ sơ của")
    story.append(_request(ctx))
    if d.received_at and not at_reception:
        story.append(p(f"Thời gian nhận hồ sơ: <b>{esc(vi.instant(d.received_at))}</b>"))
    story.append(p(f"Thời điểm từ chối: <b>{esc(vi.instant(event.at))}</b>"))
    what = "tiếp nhận, giải quyết" if at_reception else "giải quyết"
    story.append(p(f"Sau khi xem xét, {esc(unit)} từ chối {what} hồ sơ này vì lý do sau:", Styles.remark))
    story.append(p(f"<b>{esc(event.reason) or '(không ghi lý do)'}</b>", Styles.quote))
    problems = [vi.problem(item) for item in event.payload.get("problems") or []]
    if any(problems):
        story.append(p("Các nội dung chưa đáp ứng:", Styles.body))
        story += numbered([item for item in problems if item])
    story.append(p("Xin thông báo cho Ông/Bà được biết và thực hiện./.", Styles.remark))
    title = "NGƯỜI TIẾP NHẬN HỒ SƠ" if at_reception else "ĐẠI DIỆN CƠ QUAN GIẢI QUYẾT"
    story.append(signatures([(title, SIGN_HINT, person(event))]))
    return _heading(ctx, "03", event.at), story


# -- 04 -------------------------------------------------------------------------------------------
def apology(ctx: SlipContext):
    event = ctx.reappoint_event
    if event is None:
        raise SlipNotAvailable(_("This dossier's appointment was never reset."))
    d = ctx.dossier
    previous, _given = ctx.appointment_before(event.seq)
    if previous is None:
        previous = parse_instant(event.payload.get("previous_due")) or d.original_due_at
    new_due = parse_instant(event.payload.get("due")) or d.due_at
    unit = nfc(ctx.center.name)
    story = [
        p(f"Kính gửi: Ông/Bà <b>{esc(d.applicant_name)}</b>"),
        p(f"Ngày {esc(vi.day(d.received_at))}, {esc(unit)} tiếp nhận giải quyết hồ sơ của Ông/Bà."),
        _request(ctx),
        p(f"Thời gian hẹn trả kết quả giải quyết hồ sơ: <b>{esc(vi.instant(previous))}</b>"),
        p(
            f"Tuy nhiên đến nay, {esc(unit)} chưa trả kết quả giải quyết hồ sơ của Ông/Bà, lý do:",
            Styles.body,
        ),
        p(f"<b>{esc(event.reason) or '(không ghi lý do)'}</b>", Styles.quote),
        p(
            f"Sự chậm trễ này đã gây phiền hà cho Ông/Bà. {esc(unit)} xin lỗi Ông/Bà "
            "và hẹn lại thời gian trả kết quả vào:",
            Styles.body,
        ),
        p(f"<b>{esc(vi.instant(new_due))}</b>", Styles.quote),
        p("Rất mong nhận được sự thông cảm của Ông/Bà./.", Styles.remark),
        signatures([("ĐẠI DIỆN CƠ QUAN", "(Ký, ghi rõ họ tên và đóng dấu)", person(event))]),
    ]
    return _heading(ctx, "04", event.at), story


# -- 05 -------------------------------------------------------------------------------------------
def event_note(ctx: SlipContext, event: DossierEvent) -> str:
    """What a hand-over carried besides its reason, in a few words."""
    payload = event.payload or {}
    parts: list[str] = []
    if event.action in ("intake", "receive", "supplement") and payload.get("due"):
        parts.append(f"Hẹn trả: {vi.short(parse_instant(payload['due']))}")
    if event.action in ("intake", "reception_supplement", "request_supplement", "reception_refuse"):
        problems = [vi.problem(item) for item in payload.get("problems") or []]
        if any(problems):
            parts.append("Cần bổ sung: " + "; ".join(x for x in problems if x))
    if event.action in ("transfer", "forward", "send_back", "interagency_return") and payload.get("step"):
        name = ctx.step_names.get(payload["step"])
        if name:
            parts.append(f"{'Về bước' if event.action == 'send_back' else 'Bước'}: {name}")
    if payload.get("issued"):
        parts.append("Đã có kết quả")
    if payload.get("outcome") and event.action in ("forward", "approve", "refuse"):
        parts.append(f"Kết quả: {vi.OUTCOME.get(payload['outcome'], payload['outcome'])}")
    if event.action == "assign" and payload.get("assignee_name"):
        parts.append(f"Giao cho: {nfc(payload['assignee_name'])}")
    if event.action == "interagency_transfer" and payload.get("agency"):
        parts.append(
            f"Đến: {nfc(payload['agency'])}, {vi.number(payload.get('budget_days') or 0)} ngày làm việc"
        )
    if event.action == "reappoint":
        parts.append(f"Hẹn lại: {vi.short(parse_instant(payload.get('due')))}")
    if event.action == "return" and payload.get("method"):
        parts.append(vi.RETURN_METHOD.get(payload["method"], payload["method"]))
    if event.action in ("submit", "intake") and payload.get("channel"):
        parts.append(vi.CHANNEL.get(payload["channel"], payload["channel"]))
    text = "; ".join(parts)
    reason = nfc(event.reason)
    if reason:
        text = f"{reason}. {text}" if text else reason
    return text


def _who(event: DossierEvent) -> str:
    name = person(event)
    if name:
        return name
    return "Công dân (trực tuyến)" if event.action == "submit" else "Hệ thống"


def process(ctx: SlipContext):
    if not ctx.events:
        raise SlipNotAvailable(_("This dossier has no history yet."))
    d = ctx.dossier
    story = []
    if d.code and ctx.receipt_event is not None:
        story.append(p(f"(Kèm theo Phiếu tiếp nhận hồ sơ và hẹn trả kết quả số: {esc(d.code)})", Styles.note))
    story.append(
        p(
            f"Người nộp: <b>{esc(d.applicant_name)}</b>"
            + (f" - điện thoại {esc(d.applicant_phone)}" if d.applicant_phone else "")
        )
    )
    story.append(_request(ctx))
    story.append(field("Cơ quan tiếp nhận", ctx.center.name))
    story.append(field("Cơ quan (bộ phận) giải quyết hồ sơ", _handling_unit(ctx)))
    agencies = sorted(
        {
            nfc(e.payload.get("agency"))
            for e in ctx.events
            if e.action == "interagency_transfer" and e.payload.get("agency")
        }
    )
    if agencies:
        story.append(field("Cơ quan phối hợp giải quyết hồ sơ", ", ".join(agencies)))
    if d.received_at:
        story.append(
            p(
                f"Nhận hồ sơ: <b>{esc(vi.short(d.received_at))}</b>; hẹn trả kết quả: "
                f"<b>{esc(vi.short(d.due_at))}</b>"
            )
        )
    status = f"Tình trạng: <b>{esc(vi.state(d.state))}</b>"
    if d.outcome:
        status += f" ({esc(vi.OUTCOME.get(d.outcome, d.outcome))})"
    story.append(p(status))
    story.append(p("Quá trình giao, nhận và xử lý hồ sơ:", Styles.heading))
    rows = [
        [
            p(text, Styles.cell_head)
            for text in ("TT", "Thời gian", "Nội dung", "Người thực hiện", "Trạng thái", "Ghi chú")
        ]
    ]
    for event in ctx.events:
        moved = vi.state(event.to_state)
        if event.from_state and event.from_state != event.to_state:
            moved = f"{vi.state(event.from_state)} → {moved}"
        rows.append(
            [
                p(str(event.seq), Styles.cell_center),
                p(esc(vi.short(event.at)), Styles.cell),
                p(esc(vi.action(event.action, event.to_state)), Styles.cell),
                p(esc(_who(event)), Styles.cell),
                p(esc(moved), Styles.cell),
                p(esc(event_note(ctx, event)), Styles.cell),
            ]
        )
    story.append(grid(rows, [6, 17, 24, 20, 27, 30]))
    story.append(
        p(f"In lúc {esc(vi.short(timezone.now()))}; thời gian theo giờ Việt Nam (UTC+7).", Styles.note)
    )
    return _heading(ctx, "05", timezone.now(), with_secret=False), story


BUILDERS = {"01": receipt, "02": supplement, "03": refusal, "04": apology, "05": process}


def applies(ctx: SlipContext, number: str) -> bool:
    """Whether slip `number` has something to say about the dossier (the builders' own checks)."""
    return {
        "01": lambda: ctx.receipt_event is not None and bool(ctx.dossier.code),
        "02": lambda: ctx.supplement_event is not None,
        "03": lambda: ctx.refusal_event is not None,
        "04": lambda: ctx.reappoint_event is not None,
        "05": lambda: bool(ctx.events),
    }[number]()
