"""The signature stamp's two costly parts, made cheap: its QR code and its font.

pyHanko's QR stamp builds the code with the pure-Python `qrcode` package and subsets the stamp's
font with fontTools for every signature: together two thirds of a signature's time. Here the QR
code comes from `segno` (already used for the slips), drawn as one rectangle per run of dark
modules, and the stamp font — DejaVu Sans already cut to Latin and Vietnamese, 20 KB — is
embedded whole from bytes compressed once per process, with no subsetting.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import segno
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.opentype import CIDFontType2, GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.writer import init_xobject_dictionary
from pyhanko.stamp import QRStampStyle
from pyhanko.stamp.qr import QRStamp

FONT_FILE = Path(__file__).resolve().parent / "fonts" / "DejaVuSans-vi.ttf"
QR_BORDER, QR_BOX = 4, 10  # as pyHanko's own QR: 4 modules of quiet zone, 10 units per module


@lru_cache(maxsize=1)
def _font() -> tuple[bytes, bytes]:
    data = FONT_FILE.read_bytes()
    return data, zlib.compress(data, 6)


class _WholeFontType2(CIDFontType2):
    def set_font_file(self, writer):
        raw, packed = _font()
        stream = generic.StreamObject(
            {pdf_name("/Length1"): generic.NumberObject(len(raw))}, encoded_data=packed
        )
        stream[pdf_name("/Filter")] = pdf_name("/FlateDecode")
        ref = writer.add_object(stream)
        self._font_descriptor[pdf_name("/FontFile2")] = ref
        return ref


class _WholeFontAccumulator(GlyphAccumulator):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.cidfont_obj.__class__ = _WholeFontType2  # the whole (small) font, raw glyph ids

    def _extract_subset(self, options=None):
        pass  # the vendored stamp font is already cut down


@dataclass(frozen=True)
class StampFont(GlyphAccumulatorFactory):
    def create_font_engine(self, writer, obj_stream=None):
        return _WholeFontAccumulator(
            writer=writer, font_handle=io.BytesIO(_font()[0]), font_size=self.font_size, obj_stream=obj_stream
        )


@lru_cache(maxsize=256)
def qr_commands(url: str) -> tuple[bytes, int]:
    """The QR code of `url` as PDF drawing commands (in module units) and its side in units."""
    matrix = segno.make_qr(url, error="m").matrix
    side = len(matrix)
    rects = []
    for row, modules in enumerate(matrix):
        col = 0
        while col < side:
            if modules[col]:
                start = col
                while col < side and modules[col]:
                    col += 1
                rects.append(b"%d %d %d 1 re" % (start, row, col - start))
            else:
                col += 1
    size = (side + 2 * QR_BORDER) * QR_BOX
    head = b"0 0 0 rg\n0 0 0 RG\n%d 0 0 %d %d %d cm" % (
        QR_BOX,
        -QR_BOX,
        QR_BORDER * QR_BOX,
        size - QR_BORDER * QR_BOX,
    )
    return b"\n".join([head, *rects, b"f"]), size


class _SegnoQRStamp(QRStamp):
    def _qr_xobject(self):
        commands, size = qr_commands(self.url)
        xobject = init_xobject_dictionary(commands, size, size)
        xobject.compress()
        return self.writer.add_object(xobject), size


@dataclass(frozen=True)
class FastQRStampStyle(QRStampStyle):
    def create_stamp(self, writer, box, text_params):
        params = dict(text_params)
        url = params.pop("url")
        return _SegnoQRStamp(writer, style=self, url=url, text_params=params, box=box)
