# ruff: noqa: E501, E741
"""Fill the Vietnamese catalog of the queue app from VI below (run after makemessages):
python src/motcua/queueing/locale/translate.py && motcua compilemessages"""

import re
from pathlib import Path

PO = Path(__file__).parent / "vi" / "LC_MESSAGES" / "django.po"

VI = {
    "Queue": "Xếp hàng",
    "Counter %(n)s is open: you can call.": "Quầy %(n)s đang mở: bạn có thể gọi số.",
    "Counter resumed.": "Quầy đã gọi số trở lại.",
    "Counter paused: nobody is called to it.": "Quầy tạm dừng: không gọi số đến quầy này.",
    "Counter closed.": "Đã đóng quầy.",
    "Called %(code)s.": "Đã gọi số %(code)s.",
    "Nobody is waiting.": "Không còn ai chờ.",
    "Ticket %(code)s issued.": "Đã cấp số %(code)s.",
    "Ticket not found.": "Không tìm thấy số thứ tự.",
    "Called %(code)s again.": "Đã gọi lại số %(code)s.",
    "%(code)s marked as not present.": "Đã ghi nhận số %(code)s vắng mặt.",
    "Serving %(code)s: receive the dossier below, it is linked to this ticket.": "Đang phục vụ số %(code)s: tiếp nhận hồ sơ bên dưới, hồ sơ sẽ gắn với số này.",
    "%(code)s finished.": "Đã phục vụ xong số %(code)s.",
    "%(code)s transferred; it keeps its place by arrival time.": "Đã chuyển số %(code)s; số giữ thứ tự theo giờ đến.",
    "Unknown action.": "Thao tác không hợp lệ.",
    "Queue service not found.": "Không tìm thấy dịch vụ xếp hàng.",
    "Not found.": "Không tìm thấy.",
    "letter": "chữ cái",
    "Printed before the number: A001.": "In trước số: A001.",
    "name": "tên",
    "open for tickets": "đang cấp số",
    "tickets per day": "số lượt mỗi ngày",
    "expected minutes per citizen": "số phút dự kiến mỗi lượt",
    "Used for the estimated wait.": "Dùng để ước tính thời gian chờ.",
    "appointment slot (minutes)": "khung giờ hẹn (phút)",
    "appointments per slot": "số lịch hẹn mỗi khung giờ",
    "recalls before a no-show": "số lần gọi lại trước khi ghi vắng mặt",
    "priority calls in a row at most": "số lượt ưu tiên liên tiếp tối đa",
    "A normal ticket never waits for more priority calls in a row than this.": "Một số thường không phải chờ quá số lượt ưu tiên liên tiếp này.",
    "queue service": "dịch vụ xếp hàng",
    "queue services": "dịch vụ xếp hàng",
    "preference": "thứ tự ưu tiên",
    "service of a counter": "dịch vụ của quầy",
    "services of counters": "dịch vụ của các quầy",
    "Closed": "Đóng",
    "Open": "Đang mở",
    "Paused": "Tạm dừng",
    "Waiting": "Đang chờ",
    "Called": "Đã gọi",
    "Being served": "Đang phục vụ",
    "Finished": "Đã xong",
    "Missed (no-show)": "Vắng mặt",
    "None": "Không",
    "Elderly (60 or older)": "Người cao tuổi (từ 60 tuổi)",
    "Person with a disability": "Người khuyết tật",
    "Pregnant or carrying a small child": "Phụ nữ mang thai hoặc bế con nhỏ",
    "War invalid or person of merit": "Thương binh, người có công",
    "Kiosk": "Ki-ốt tự phục vụ",
    "At the counter": "Trực tiếp tại quầy",
    "Online (virtual ticket)": "Trực tuyến (số ảo)",
    "By appointment": "Theo lịch hẹn",
    "ticket number": "số thứ tự",
    "priority": "ưu tiên",
    "phone": "số điện thoại",
    "arrived at": "giờ đến",
    "Appointments: called at this time, before walk-ins.": "Lịch hẹn: được gọi vào giờ này, trước người đến trực tiếp.",
    "ticket": "số thứ tự",
    "tickets": "số thứ tự",
    "Booked": "Đã đặt",
    "Checked in": "Đã đến",
    "Cancelled": "Đã hủy",
    "Missed": "Vắng mặt",
    "time": "thời điểm",  # one wording per msgid across catalogs (security has it)
    "booking code": "mã đặt lịch",
    "full name": "họ và tên",
    "ID number": "số định danh cá nhân",
    "booking": "lịch hẹn",
    "bookings": "lịch hẹn",
    "Service center not found.": "Không tìm thấy Trung tâm Phục vụ hành chính công.",
    "Counter not found.": "Không tìm thấy quầy.",
    "The letter of a service is one or two letters A-Z.": "Chữ cái của dịch vụ là một hoặc hai chữ A-Z.",
    "Another service of this center uses the letter %(p)s.": "Một dịch vụ khác của trung tâm đã dùng chữ %(p)s.",
    "A counter serves only services of its own center.": "Quầy chỉ phục vụ dịch vụ của trung tâm mình.",
    "This counter serves no queue service yet: ask the center administrator.": "Quầy này chưa phục vụ dịch vụ xếp hàng nào: đề nghị quản trị trung tâm cấu hình.",
    "Open counter %(n)s first: another officer or nobody holds it.": "Mở quầy %(n)s trước: quầy đang do cán bộ khác giữ hoặc chưa mở.",
    "Unknown way of taking a ticket.": "Cách lấy số không hợp lệ.",
    "Unknown priority category.": "Đối tượng ưu tiên không hợp lệ.",
    "%(phone)s is not a Vietnamese mobile number (10 digits, e.g. 0912 345 678).": "%(phone)s không phải số điện thoại di động Việt Nam (10 chữ số, ví dụ 0912 345 678).",
    "The service “%(name)s” is not taking tickets now.": "Dịch vụ “%(name)s” hiện không cấp số.",
    "All %(n)d numbers of “%(name)s” for today are taken. Please come back on the next working day.": "Đã hết %(n)d số của “%(name)s” trong hôm nay. Mời ông/bà quay lại vào ngày làm việc tiếp theo.",
    "Counter %(n)s is paused: resume it to call.": "Quầy %(n)s đang tạm dừng: hãy mở lại để gọi số.",
    "Ticket %(code)s is still at this counter: finish it, transfer it or mark it missed first.": "Số %(code)s vẫn đang ở quầy: hãy kết thúc, chuyển hoặc ghi vắng mặt trước.",
    "This ticket is not at your counter in a state that allows this.": "Số này không ở quầy của bạn hoặc không ở trạng thái cho phép thao tác này.",
    "%(code)s was called again %(n)d times already: mark it missed.": "Số %(code)s đã được gọi lại %(n)d lần: hãy ghi vắng mặt.",
    "Call %(code)s again first: a no-show is marked after %(n)d recalls.": "Hãy gọi lại số %(code)s trước: chỉ ghi vắng mặt sau %(n)d lần gọi lại.",
    "Choose the service or the counter to transfer to.": "Chọn dịch vụ hoặc quầy để chuyển đến.",
    "Counter %(n)s serves no queue service: the ticket cannot go there.": "Quầy %(n)s không phục vụ dịch vụ xếp hàng nào: không thể chuyển số đến đó.",
    "Counter %(n)s does not serve “%(s)s”.": "Quầy %(n)s không phục vụ “%(s)s”.",
    "The ticket is already in this service's queue.": "Số này đã ở hàng chờ của dịch vụ này.",
    "Counter %(n)s": "Quầy %(n)s",
    "Counter": "Quầy tiếp nhận",
    "Open, you are calling": "Đang mở, bạn đang gọi số",
    "Held by %(who)s": "Do %(who)s giữ",
    "Waiting per service": "Số người chờ theo dịch vụ",
    "waiting": "đang chờ",
    "Open counter %(n)s": "Mở quầy %(n)s",
    ("called again %(n)s time", "called again %(n)s times"): "đã gọi lại %(n)s lần",
    "Start serving": "Bắt đầu phục vụ",
    "Call again": "Gọi lại",
    "Not present": "Vắng mặt",
    "Finish": "Kết thúc",
    "Resume calling": "Gọi số trở lại",
    "Call next": "Gọi số tiếp theo",
    "Pause": "Tạm dừng",
    "Close counter": "Đóng quầy",
    "Transfer to another service or counter": "Chuyển sang dịch vụ hoặc quầy khác",
    "Service": "Dịch vụ",
    "Transfer": "Chuyển",
    "Issue a ticket for a walk-in citizen": "Cấp số cho người dân đến trực tiếp",
    "Priority": "Ưu tiên",
    "Issue ticket": "Cấp số",
    "Queue board": "Màn hình xếp hàng",
    "Turn on sound": "Bật âm thanh",
    "Now calling": "Đang gọi",
    "Counters": "Các quầy",
    "Number": "Số",
    "Last called": "Vừa gọi",
    "counter": "quầy",
    "Connection lost: reconnecting…": "Mất kết nối: đang kết nối lại…",
    "Sound on": "Đã bật âm thanh",
    "Take a number": "Lấy số thứ tự",
    "Are you served first? (choose one if it applies)": "Ông/bà thuộc đối tượng ưu tiên? (chọn nếu có)",
    "No": "Không",
    "Choose the service": "Chọn dịch vụ",
    "No service is taking tickets now.": "Hiện không có dịch vụ nào cấp số.",
    "Keep your ticket: your number is shown and called on the screen.": "Giữ phiếu: số của ông/bà sẽ hiện và được gọi trên màn hình.",
    "Virtual ticket": "Số thứ tự trực tuyến",
    "Take a number online": "Lấy số thứ tự trực tuyến",
    "Wait at home: the page shows your place, and we send a message when three people are ahead of you.": "Chờ tại nhà: trang này cho biết vị trí của ông/bà, và chúng tôi nhắn tin khi còn ba người phía trước.",
    "Mobile phone number": "Số điện thoại di động",
    "Ticket %(code)s": "Số thứ tự %(code)s",
    "Your number": "Số của ông/bà",
    "Status": "Trạng thái",
    "counter %(n)s": "quầy %(n)s",
    "People ahead": "Số người phía trước",
    "Estimated wait": "Thời gian chờ dự kiến",
    "minutes": "phút",
    "Taken at": "Lấy lúc",
    "Scan to follow your number on your phone": "Quét mã để theo dõi số trên điện thoại",
    "Print": "In",
    "Choose a service that is taking tickets now.": "Chọn một dịch vụ đang cấp số.",
    "Too many tickets from this connection. Please try again later.": "Đã lấy quá nhiều số từ kết nối này. Vui lòng thử lại sau.",
    "No such call.": "Không có lượt gọi này.",
    "The service “%(name)s” is not taking bookings now.": "Dịch vụ “%(name)s” hiện không nhận đặt lịch.",
    "Enter the full name.": "Nhập họ và tên.",
    "The ID number has 12 digits.": "Số định danh cá nhân gồm 12 chữ số.",
    "The center does not work on %(day)s (weekend or holiday): choose another day.": "Trung tâm không làm việc ngày %(day)s (ngày nghỉ, lễ): vui lòng chọn ngày khác.",
    "%(time)s is not a booking slot within office hours.": "%(time)s không phải khung giờ đặt lịch trong giờ làm việc.",
    "Bookings are for a time from now to %(n)d days ahead.": "Chỉ đặt lịch từ bây giờ đến %(n)d ngày tới.",
    "The slot %(time)s is full: choose another time.": "Khung giờ %(time)s đã kín: vui lòng chọn giờ khác.",
    "No booking with this code and ID number.": "Không có lịch hẹn với mã và số định danh này.",
    "This booking can no longer be cancelled.": "Lịch hẹn này không thể hủy được nữa.",
    "No booking found for this code or ID number at this center.": "Không tìm thấy lịch hẹn với mã hoặc số định danh này tại trung tâm.",
    "This booking was already used or cancelled.": "Lịch hẹn này đã được sử dụng hoặc đã hủy.",
    "This booking is for %(when)s.": "Lịch hẹn này vào lúc %(when)s.",
    "The booked time has passed: please take an ordinary number.": "Đã quá giờ hẹn: mời ông/bà lấy số thường.",
    "Too many bookings from this connection. Please try again later.": "Đã đặt quá nhiều lịch từ kết nối này. Vui lòng thử lại sau.",
    "Choose a time.": "Chọn giờ hẹn.",
    "No booking with this code.": "Không có lịch hẹn với mã này.",
    "Book a time": "Đặt lịch hẹn",
    "Day": "Ngày",
    "Show free times": "Xem giờ còn trống",
    "The center does not work on this day.": "Trung tâm không làm việc ngày này.",
    "Free times": "Giờ còn trống",
    ("%(n)s place", "%(n)s places"): "còn %(n)s chỗ",
    "No free time on this day.": "Ngày này không còn giờ trống.",
    "Full name": "Họ và tên",
    "ID number (12 digits)": "Số định danh cá nhân (12 chữ số)",
    "Book": "Đặt lịch",
    "Your booking": "Lịch hẹn của ông/bà",
    "Booking code": "Mã đặt lịch",
    "Time": "Thời điểm",  # as the staff catalog
    "At the center, enter the booking code or your ID number at the kiosk: you get a number called at your time, before walk-ins.": "Khi đến trung tâm, nhập mã đặt lịch hoặc số định danh tại ki-ốt: ông/bà nhận số thứ tự được gọi đúng giờ hẹn, trước người đến trực tiếp.",
    "ID number, to cancel": "Số định danh cá nhân, để hủy lịch",
    "Cancel the booking": "Hủy lịch hẹn",
    "Booked a time? Enter the booking code or your ID number": "Đã đặt lịch? Nhập mã đặt lịch hoặc số định danh cá nhân",
    "Check in": "Xác nhận đến",
    "Group by one of: %(list)s.": "Nhóm theo một trong: %(list)s.",
    "The start is after the end.": "Ngày bắt đầu sau ngày kết thúc.",
    "Use 0 < share < 1, 0 < wait ≤ 240 minutes and 1-26 weeks.": "Dùng 0 < tỷ lệ < 1, 0 < thời gian chờ ≤ 240 phút và 1-26 tuần.",
    "Tickets": "Số lượt",
    "Wait p90 (minutes)": "Thời gian chờ p90 (phút)",
    "Arrivals and waits by hour, last 28 days": "Lượt đến và thời gian chờ theo giờ, 28 ngày qua",
    "Tickets taken in each hour of the day and the 90th percentile of the wait in minutes.": "Số lượt lấy số trong từng giờ và phân vị 90 của thời gian chờ (phút).",
    "Queue figures and staffing plan": "Số liệu xếp hàng và kế hoạch bố trí quầy",
    "Display board": "Màn hình hiển thị",
    "Served": "Đã phục vụ",
    "No-shows": "Vắng mặt",
    "Wait p50 (min)": "Chờ p50 (phút)",
    "Wait p90 (min)": "Chờ p90 (phút)",
    "Service (min, mean)": "Phục vụ (phút, trung bình)",
    "No tickets in this period.": "Không có lượt nào trong kỳ này.",
    "Queue figures": "Số liệu xếp hàng",
    "Service center": "Trung tâm Phục vụ hành chính công",
    "Show": "Hiển thị",
    "By service": "Theo dịch vụ",
    "By counter": "Theo quầy",
    "By officer": "Theo cán bộ",
    "Appointments": "Lịch hẹn",
    "%(b)s booked: %(c)s checked in, %(m)s no-shows, %(x)s cancelled.": "%(b)s lịch hẹn: %(c)s đã đến, %(m)s vắng mặt, %(x)s đã hủy.",
    "Staffing plan": "Kế hoạch bố trí quầy",
    "Counters needed so that a share of %(share)s of citizens wait at most %(wait)s minutes (Erlang C), from the last %(weeks)s weeks' arrivals and %(minutes)s minutes of service on average. Each cell: needed / open on average.": "Số quầy cần mở để tỷ lệ %(share)s người dân chờ không quá %(wait)s phút (Erlang C), theo lượt đến của %(weeks)s tuần qua và thời gian phục vụ trung bình %(minutes)s phút. Mỗi ô: cần mở / đã mở trung bình.",
    "No tickets in the last weeks yet.": "Chưa có lượt nào trong các tuần qua.",
    # the kiosk by ID card and procedure; the queue on the reports dashboard
    "Hello %(name)s: choose the procedure you came for.": "Xin chào %(name)s: mời chọn thủ tục bạn cần làm.",
    "Choose the procedure": "Chọn thủ tục",
    "Choose the service instead": "Chọn theo dịch vụ",
    "Not sure which service? Choose the procedure": "Chưa biết chọn dịch vụ nào? Chọn theo thủ tục",
    "Have a chip ID card? Scan its QR code, then choose the procedure": "Có thẻ căn cước gắn chip? Quét mã QR trên thẻ rồi chọn thủ tục",
    "If you booked a time for today, scanning the card checks you in.": "Nếu bạn đã đặt lịch hẹn hôm nay, quét thẻ là xác nhận đến hẹn.",
    "Read the card": "Đọc thẻ",
    "This procedure is not offered now: choose one from the list.": "Thủ tục này hiện không được tiếp nhận: mời chọn thủ tục trong danh sách.",
    "No queue of this center takes “%(name)s”: please ask at the reception desk.": "Chưa có dịch vụ xếp hàng nào của trung tâm nhận thủ tục “%(name)s”: mời hỏi tại bàn hướng dẫn.",
    "Queue figures by service": "Số liệu xếp hàng theo dịch vụ",
    "Queue tickets and waits": "Lấy số thứ tự và thời gian chờ",
    "Arrivals and waits by hour, %(period)s": "Lượt đến và thời gian chờ theo giờ, %(period)s",
}


def _unquote(lines):
    return "".join(
        re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), l.strip()[1:-1])
        for l in lines
    )


def _quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def fill() -> list[str]:
    blocks = PO.read_text(encoding="utf-8").split("\n\n")
    missing, out = [], []
    for block in blocks:
        lines = block.split("\n")
        keys = {}
        current = None
        for line in lines:
            m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) (".*")$', line)
            if m:
                current = m.group(1)
                keys[current] = [m.group(2)]
            elif line.startswith('"') and current:
                keys[current].append(line)
        if "msgid" not in keys or _unquote(keys["msgid"]) == "":
            out.append(block)
            continue
        msgid = _unquote(keys["msgid"])
        key = (msgid, _unquote(keys["msgid_plural"])) if "msgid_plural" in keys else msgid
        value = VI.get(key)
        if value is None:
            missing.append(msgid)
            out.append(block)
            continue
        head = [l for l in lines if l.startswith("#") and "fuzzy" not in l]
        body = [f"msgid {_quote(msgid)}"]
        if "msgid_plural" in keys:
            body += [f"msgid_plural {_quote(key[1])}", f"msgstr[0] {_quote(value)}"]
        else:
            body.append(f"msgstr {_quote(value)}")
        out.append("\n".join(head + body))
    text = "\n\n".join(out)
    text = text.replace(
        '"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"', '"Plural-Forms: nplurals=1; plural=0;\\n"'
    )
    text = text.replace('#, fuzzy\nmsgid ""\nmsgstr ""', 'msgid ""\nmsgstr ""')
    PO.write_text(text, encoding="utf-8")
    return missing


if __name__ == "__main__":
    for msgid in fill():
        print("MISSING:", msgid)
