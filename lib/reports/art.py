"""Album and artist art: which image URLs are accepted, and data-URI art as a small PNG.

One policy for import and export (:func:`art_problem` says why a URL is refused; importers skip
such values, naming the row, and :func:`render_art` refuses the same ones at export):

- ``https://`` URLs up to :data:`MAX_URL_CHARS` characters (no spaces, quotes or angle brackets);
  they are only linked, never fetched.
- ``data:image/png|jpeg|gif|webp`` URIs of at most :data:`MAX_ART_URI_CHARS` characters whose
  image is at most :data:`MAX_ART_PIXELS` pixels on each side; written out as a PNG of
  :data:`ART_SIZE` pixels.
- ``data:image/svg+xml`` URIs of at most :data:`MAX_ART_URI_CHARS` characters holding only plain
  shapes, text and gradients (:data:`SVG_ELEMENTS`, at most :data:`MAX_SVG_ELEMENTS` of them), no
  links, entities, styles, images, filters or scripts. The root's ``width``/``height`` are
  rewritten to :data:`ART_SIZE` whatever it declares (its ``viewBox`` is kept, or made from the
  declared size), so rasterising costs the same small canvas for every SVG: measured with
  resvg (vl-convert) at under 0.3 s and 35 MB for the worst 256 KB inputs (a 20,000-segment path,
  10,000 text spans, ``viewBox='0 0 30000 30000'``, ``width='3e5'``) — before, the last two took
  41 s and 3.6 GB, or aborted the process allocating 360 GB.

No Streamlit and no heavy imports: importers use :func:`art_problem` on every row.
"""

from __future__ import annotations

import base64
import binascii
import io
import math
import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from urllib.parse import unquote_to_bytes

ART_SIZE = 64  # pixels; art is shown 50 px wide
MAX_ART_URI_CHARS = 256 * 1024
MAX_URL_CHARS = 2048
MAX_ART_PIXELS = 4096
MAX_SVG_ELEMENTS = 2000
SVG_NS = "http://www.w3.org/2000/svg"
SVG_ELEMENTS = frozenset({
    "svg", "g", "defs", "title", "desc", "rect", "circle", "ellipse", "line", "polyline",
    "polygon", "path", "text", "tspan", "linearGradient", "radialGradient", "stop", "clipPath",
})
RASTER_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/jpg": "JPEG",
                "image/gif": "GIF", "image/webp": "WEBP"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

_URL_BAD_CHARS = re.compile(r"[\s\"'<>\\`\x00-\x1f\x7f]")
_LOCAL_URL = re.compile(r"url\(\s*#[\w.-]+\s*\)")
_NUMBER = re.compile(r"^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(px)?\s*$")

ET.register_namespace("", SVG_NS)


class ImageError(ValueError):
    """An image of a report that cannot be rendered (bad data URI, chart vl-convert rejects)."""


class ArtError(ImageError):
    """An art image URL or data URI that is refused (the message says why, in words)."""


def art_problem(url: object) -> str | None:
    """Why ``url`` cannot be album/artist art, or None when it can (empty values can: no art).

    Checks what can be checked without rasterising: the scheme, the length, the data URI's type
    and, for SVG, its elements; a raster data URI's header gives its size.
    """
    if url is None or (isinstance(url, float) and math.isnan(url)) or url == "":
        return None
    if not isinstance(url, str):
        return "the image URL is not text"
    try:
        if url[:5].lower() == "data:":
            _decode(url)
        else:
            _check_https(url)
    except ArtError as exc:
        return str(exc)
    return None


def _check_https(url: str) -> None:
    if not url.lower().startswith("https://"):
        raise ArtError("the image URL must start with https:// (or be a data:image URI)")
    if len(url) > MAX_URL_CHARS:
        raise ArtError(f"the image URL is longer than {MAX_URL_CHARS:,} characters")
    if _URL_BAD_CHARS.search(url):
        raise ArtError("the image URL holds spaces, quotes or control characters")


def _decode(data_uri: str) -> tuple[str, bytes]:
    """(mime type, image bytes) of a data URI, checked; raises :class:`ArtError`."""
    if len(data_uri) > MAX_ART_URI_CHARS:
        raise ArtError(f"the image data URI is {len(data_uri) / 1024:,.0f} KB, more than the "
                       f"{MAX_ART_URI_CHARS // 1024} KB limit for album art")
    head, sep, payload = data_uri.partition(",")
    if not sep or not head.lower().startswith("data:image/"):
        raise ArtError("not an image data URI")
    mime = head[5:].split(";")[0].strip().lower()
    if mime != "image/svg+xml" and mime not in RASTER_TYPES:
        raise ArtError(f"image type {mime!r} is not accepted (PNG, JPEG, GIF, WebP or SVG)")
    try:
        data = (base64.b64decode(payload, validate=True) if ";base64" in head.lower()
                else unquote_to_bytes(payload))
    except (binascii.Error, ValueError) as exc:
        raise ArtError("the image data URI has broken base64") from exc
    if mime == "image/svg+xml":
        _safe_svg(data)
    else:
        _raster_size(data, mime)
    return mime, data


def _raster_size(data: bytes, mime: str) -> tuple[int, int]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            fmt, size = image.format, image.size
    except Image.DecompressionBombError as exc:
        raise ArtError(f"the image has more than {MAX_ART_PIXELS:,} pixels on a side") from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ArtError(f"the {mime} data is not a readable image") from exc
    if fmt != RASTER_TYPES[mime]:
        raise ArtError(f"the data URI says {mime} but holds {fmt or 'something else'}")
    if max(size) > MAX_ART_PIXELS or min(size) < 1:
        raise ArtError(f"the image is {size[0]:,}×{size[1]:,} pixels, more than "
                       f"{MAX_ART_PIXELS:,} on a side")
    return size


def _safe_svg(data: bytes) -> ET.Element:
    """The parsed SVG root with its size rewritten to :data:`ART_SIZE`; raises :class:`ArtError`
    for anything beyond plain shapes (see the module docstring)."""
    if b"<!" in data:
        raise ArtError("SVG art may not hold DOCTYPE, ENTITY or CDATA declarations")
    try:
        root = ET.fromstring(data)
    except (ET.ParseError, ValueError) as exc:
        raise ArtError(f"the SVG is not well-formed XML ({exc})") from exc
    count = 0
    for element in root.iter():
        count += 1
        if count > MAX_SVG_ELEMENTS:
            raise ArtError(f"the SVG has more than {MAX_SVG_ELEMENTS:,} elements")
        if not isinstance(element.tag, str):
            raise ArtError("the SVG holds processing instructions")
        ns, _, local = element.tag[1:].partition("}") if element.tag.startswith("{") \
            else ("", "", element.tag)
        if ns != SVG_NS or local not in SVG_ELEMENTS:
            raise ArtError(f"SVG art may hold only plain shapes and text, not <{local}>")
        for name, value in element.attrib.items():
            local_name = name.rpartition("}")[2].lower()
            if local_name == "href" or local_name.startswith("on") or local_name == "style":
                raise ArtError(f"SVG art may not use the {local_name!r} attribute")
            if "url(" in value.lower() and _LOCAL_URL.sub("", value).lower().count("url("):
                raise ArtError("SVG art may refer only to its own gradients (url(#id))")
    if root.tag != f"{{{SVG_NS}}}svg":
        raise ArtError("the SVG's root element is not <svg>")
    _fix_size(root)
    return root


def _fix_size(root: ET.Element) -> None:
    """Render at ART_SIZE whatever the root declares: keep a sane viewBox, else make one from
    the declared width/height, else from ART_SIZE."""
    box = root.get("viewBox")
    numbers = [float(v) for v in re.split(r"[\s,]+", box.strip())] if box and re.fullmatch(
        r"[\s,0-9eE.+-]+", box) else []
    valid = len(numbers) == 4 and all(math.isfinite(v) and abs(v) < 1e9 for v in numbers) \
        and numbers[2] > 0 and numbers[3] > 0
    if not valid:
        size = [_number(root.get("width")), _number(root.get("height"))]
        w, h = (size if all(v is not None and 0 < v < 1e9 for v in size)
                else (ART_SIZE, ART_SIZE))
        root.set("viewBox", f"0 0 {w:g} {h:g}")
    root.set("width", str(ART_SIZE))
    root.set("height", str(ART_SIZE))


def _number(value: str | None) -> float | None:
    match = _NUMBER.match(value or "")
    if not match:
        return None
    number = float(match.group(1))
    return number if math.isfinite(number) else None


def render_art(data_uri: str) -> bytes:
    """A data-URI image as a PNG of at most :data:`ART_SIZE` pixels a side; raises
    :class:`ArtError` for what :func:`art_problem` refuses or what cannot be drawn."""
    mime, data = _decode(data_uri)
    if mime == "image/svg+xml":
        import vl_convert as vlc

        svg = ET.tostring(_safe_svg(data), encoding="unicode")
        try:
            return bytes(vlc.svg_to_png(svg))
        except Exception as exc:  # vl-convert raises plain ValueError/RuntimeError
            raise ArtError(f"the SVG could not be drawn ({exc})") from exc
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.thumbnail((ART_SIZE, ART_SIZE))
            out = io.BytesIO()
            image.convert("RGBA").save(out, format="PNG")
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ArtError(f"the {mime} data could not be decoded") from exc
    return out.getvalue()


@lru_cache(maxsize=1)
def placeholder_png() -> bytes:
    """The art shown instead of an image that is refused or cannot be drawn: a grey square."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (ART_SIZE, ART_SIZE), (217, 217, 217)).save(out, format="PNG")
    return out.getvalue()
