"""What an uploaded scan may contain, and how a stored one is served back.

An image is refused when it declares more pixels than `MOTCUA_MAX_IMAGE_PIXELS` (50 megapixels by
default: an A4 page scanned at 600 dpi is 35): only its header is read, so a PNG that says
60,000 × 60,000 costs nothing to refuse. A PDF is refused when it carries active content —
JavaScript, launch actions, additional actions (`/JS`, `/JavaScript`, `/Launch`, `/AA`, `/S
/JavaScript` in an `/OpenAction`…): a paper's scan has none, so refusing is clearer than silently
rewriting the citizen's file. Scans are served with a sandboxing Content-Security-Policy,
`nosniff` and an explicit Content-Disposition, so even a file that slipped through runs nothing in
the site's origin."""

from __future__ import annotations

import logging
import struct

from django.conf import settings
from django.core.files import File
from django.http import FileResponse
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed

logger = logging.getLogger(__name__)

DEFAULT_MAX_IMAGE_PIXELS = 50_000_000
ACTIVE_PDF_KEYS = frozenset({"/JS", "/JavaScript", "/Launch", "/AA", "/RichMedia", "/XFA"})
ACTIVE_PDF_ACTIONS = frozenset({"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute"})
MAX_PDF_OBJECTS = 200_000  # a scan has a few per page; more is refused as too complex to check

# Uploads never run anything: no scripts, no plugins, no forms, no same-origin access. Chrome drops
# the header for its own PDF viewer (which still shows the PDF); Firefox applies it to pdf.js.
UPLOAD_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"


def max_image_pixels() -> int:
    return int(getattr(settings, "MOTCUA_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS))


def _dimensions(content: File) -> tuple[int, int] | None:
    """Width and height from the header: a PNG's IHDR directly, anything else through Pillow's
    lazy open (which reads markers up to the frame header and decodes nothing). None when the
    header cannot be read (the type was already checked from the signature)."""
    import warnings

    from PIL import Image

    content.seek(0)
    head = content.read(24)
    content.seek(0)
    if head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR":
        return struct.unpack(">II", head[16:24])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(content) as image:
                return image.size
    except Image.DecompressionBombError:
        return (2**31, 2**31)
    except Exception:
        logger.info("Could not read an image's header", exc_info=True)
        return None
    finally:
        content.seek(0)


def check_image(content: File, label: str) -> None:
    """Refuse an image above the pixel limit, reading its header only (never decoding it)."""
    size = _dimensions(content)
    limit = max_image_pixels()
    if size is not None and size[0] * size[1] > limit:
        raise ValidationFailed(
            _("“%(name)s” has too many pixels (at most %(limit)d megapixels); scan it at a lower resolution.")
            % {"name": label, "limit": limit // 1_000_000},
            code="image_too_large",
            field="file",
        )


def active_pdf_content(reader) -> str | None:
    """The first sign of active content in the PDF's object graph (a key or an action type), or
    None. Every reachable object is visited once; image data is never decoded."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    visited = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            return "too many objects"
        if isinstance(obj, DictionaryObject):
            for name, value in obj.items():
                if name in ACTIVE_PDF_KEYS:
                    return str(name)
                if name == "/S" and value in ACTIVE_PDF_ACTIONS:
                    return str(value)
                if name != "/Parent":
                    stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return None


def refuse_active_pdf(reader, label: str) -> None:
    found = active_pdf_content(reader)
    if found:
        logger.info("Refused a PDF with active content (%s)", found)
        raise ValidationFailed(
            _("“%(name)s” contains scripts or actions (%(what)s); upload a plain scan of the paper.")
            % {"name": label, "what": found},
            code="pdf_active_content",
            field="file",
        )


def file_response(handle, *, content_type: str, name: str) -> FileResponse:
    """A stored scan for viewing in the page (inline) that can do nothing there."""
    response = FileResponse(handle, content_type=content_type, as_attachment=False, filename=name)
    response["Content-Security-Policy"] = UPLOAD_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, max-age=0, no-store"
    return response
