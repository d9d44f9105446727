"""A signature drawn on the counter tablet: a canvas's PNG as a data URL, checked and flattened.

The browser sends `data:image/png;base64,...`. Only a real PNG of sensible size is accepted; it is
re-encoded onto white (a canvas is transparent) so the PDF embeds a plain picture and nothing of
the original bytes but their pixels.
"""

from __future__ import annotations

import base64
import binascii
import io

from django.utils.translation import gettext as _

MAX_BYTES = 400 * 1024
MAX_SIDE = 2400
PREFIX = "data:image/png;base64,"


class SignatureError(ValueError):
    """The drawn signature cannot be used; the message is in the user's language."""


def signature_png(data_url: str | None) -> bytes | None:
    """The flattened PNG of a drawn signature, None when nothing was drawn."""
    from PIL import Image, UnidentifiedImageError

    text = (data_url or "").strip()
    if not text:
        return None
    if not text.startswith(PREFIX) or len(text) > MAX_BYTES * 4 // 3 + len(PREFIX) + 4:
        raise SignatureError(_("The signature is not a PNG picture from the signature pad."))
    try:
        raw = base64.b64decode(text[len(PREFIX) :], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SignatureError(_("The signature is not a PNG picture from the signature pad.")) from exc
    if not raw.startswith(b"\x89PNG\r\n\x1a\n"):
        raise SignatureError(_("The signature is not a PNG picture from the signature pad."))
    try:
        with Image.open(io.BytesIO(raw)) as picture:
            if picture.width > MAX_SIDE or picture.height > MAX_SIDE or picture.width * picture.height == 0:
                raise SignatureError(_("The signature picture is too large."))
            picture = picture.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise SignatureError(_("The signature is not a PNG picture from the signature pad.")) from exc
    white = Image.new("RGBA", picture.size, (255, 255, 255, 255))
    white.alpha_composite(picture)
    flat = white.convert("L")
    if flat.getextrema()[0] > 200:  # nothing darker than light grey: an empty pad
        return None
    box = flat.point(lambda v: 255 if v < 200 else 0).getbbox()
    if box:  # crop to the ink with a small margin, so the signature fills its place on paper
        margin = 8
        flat = flat.crop(
            (
                max(box[0] - margin, 0),
                max(box[1] - margin, 0),
                min(box[2] + margin, flat.width),
                min(box[3] + margin, flat.height),
            )
        )
    out = io.BytesIO()
    flat.save(out, format="PNG", optimize=True)
    return out.getvalue()


def picture_size(png: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as picture:
        return picture.width, picture.height
