"""Building blocks for the citizen-page tests: centers, an online procedure, files, ID-card QR."""

import io
import struct
import zlib
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers import services as dossier_services
from tests import factories
from tests.dossiers.support import staffed_center, version

CARD = "087190001234|361234567|Trần Thị Ánh Nguyệt|15041990|Nữ|Ấp 3, xã Mỹ An Hưng, tỉnh Đồng Tháp|10052021"
CARD_NFD = "087190001234||Tra\u0302\u0300n Va\u0306n Ba|01011980|Nam|Ấp 1, xã Phú Thọ|01012022"


def pdf_bytes(text: str = "Giay chung sinh") -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(300, 200))
    page.drawString(20, 100, text)
    page.showPage()
    page.save()
    return out.getvalue()


def png_bytes(color=(200, 30, 30)) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"\x00" + bytes(color)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def online_version(**kwargs):
    """A full-online procedure with two mandatory papers and one conditional paper."""
    v = version(
        name=kwargs.pop("name", "Đăng ký khai sinh"),
        channels=kwargs.pop("channels", ["counter", "online_full"]),
        components=("Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "Văn bản ủy quyền"),
        effective_from=date(2020, 1, 1),
        **kwargs,
    )
    third = v.components.get(position=3)
    third.mandatory, third.condition = False, "Khi nộp thay"
    third.save()
    return v


def applicant_post(center_obj, **overrides) -> dict:
    data = {
        "center": str(center_obj.pk),
        "name": "Trần Thị Ánh Nguyệt",
        "id_number": "087190001234",
        "birth_date": "15/04/1990",
        "phone": "0909 123 456",
        "email": "nguyet@example.vn",
        "address": "Ấp 3, xã Mỹ An Hưng",
        "result_delivery": "electronic",
    }
    data.update(overrides)
    return data


__all__ = [
    "CARD",
    "CARD_NFD",
    "applicant_post",
    "dossier_services",
    "factories",
    "online_version",
    "pdf_bytes",
    "png_bytes",
    "staffed_center",
    "upload",
]
