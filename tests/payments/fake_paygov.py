"""A small fake of the national payment platform (PayGov) on 127.0.0.1, port 0, that can fail on demand.

It checks the check code of every start message with its own SHA-256 (not the adapter's code),
answers with a pay address, and signs the callbacks it would send after the citizen pays.
"""

from __future__ import annotations

import hashlib
import json

from tests.fakeserver import LocalServer, QuietHandler

FIELDS = (
    "LoaiBanTin PhienBan MaDoiTac MaThamChieu SoTien LoaiHinhThanhToan MaKenhThanhToan MaThietBi NgonNgu "
    "MaTienTe MaNganHang ThongTinGiaoDich ThoiGianGD Ip"
).split()


def sha(message: dict, fields: list[str], key: str) -> str:
    return hashlib.sha256(
        ("|".join(str(message.get(f, "")) for f in fields) + "|" + key).encode()
    ).hexdigest()


class FakePayGov(LocalServer):
    def __init__(self, hash_key: str):
        self.hash_key = hash_key
        self.mode = "ok"  # ok / refuse / down
        self.received: list[dict] = []
        self.bad_signatures = 0
        fake = self

        class Handler(QuietHandler):
            def do_POST(self):
                body = self.read_body()
                message = json.loads(body)
                fake.received.append(message)
                if fake.mode == "down":
                    self.send_response(503)
                    self.end_headers()
                    return
                if sha(message, FIELDS, fake.hash_key) != message.get("MaXacThuc"):
                    fake.bad_signatures += 1
                    answer = {"MaLoi": "02", "MoTa": "Sai ma xac thuc"}
                elif fake.mode == "refuse":
                    answer = {"MaLoi": "99", "MoTa": "Tu choi"}
                else:
                    answer = {"MaLoi": "00", "UrlThanhToan": f"{fake.url}/pay/{message['MaThamChieu']}"}
                self.send_json(200, answer)

        super().__init__(Handler)

    def callback(
        self, start: dict, *, code: str = "00", txn: str = "PG0001", key: str | None = None, **changes
    ):
        """The callback the platform sends after payment, signed with `key` (default: the real one)."""
        message = {f: start.get(f, "") for f in FIELDS}
        message.update({"MaLoi": code, "MaGiaoDich": txn, "LoaiBanTin": "PAYRES"})
        message.update(changes)
        message["MaXacThuc"] = sha(
            message, FIELDS + ["MaLoi", "MaGiaoDich"], self.hash_key if key is None else key
        )
        return message
