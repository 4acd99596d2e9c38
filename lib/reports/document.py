"""Markdown reports of what a page shows, in the original tool's format.

A :class:`Report` is Markdown text plus the images it links to (relative path → PNG bytes, an
Altair chart rendered offline with vl-convert, or an album-art data URI converted to PNG). It gives
the two downloads of every page — :meth:`Report.to_markdown` (the ``.md`` alone, without local
images) and :meth:`Report.to_zip` (``report.md`` + ``images/*.png``) — and the pages of the static
export (:mod:`lib.reports.site`), which writes the same reports with links between them.

Builders live in :mod:`lib.reports.pages` (label, artist, playlist, genre, overview) and
:mod:`lib.reports.clusters` (clusters); this module holds what they share: the document builder,
the links context and the album-art track table.
"""

from __future__ import annotations

import hashlib
import html
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import Callable, Iterable, Protocol, Union

import altair as alt
import pandas as pd

from lib.reports import markdown as md
from lib.reports.art import ArtError, ImageError, art_problem, placeholder_png, render_art


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TRACK_HEADERS = ["Art", "Track", "Album", "Artists", "Label", "Score", "💚", "🔗"]
TRACK_ALIGN = ["left"] * 5 + ["right", "left", "left"]
# Chart PNGs are rendered at twice their CSS size so they stay sharp on GitHub.
CHART_SCALE = 2.0


@dataclass(frozen=True)
class ArtImage:
    """An album/artist image given as a data URI (the demo's SVG art), written out as a PNG
    (:func:`lib.reports.art.render_art`; the placeholder when it is refused)."""

    data_uri: str


@dataclass(frozen=True)
class ChartImage:
    """An Altair chart to render; ``width`` (pixels) is applied to single and layered charts
    that have no fixed width (on a page they stretch to the container)."""

    chart: alt.TopLevelMixin
    width: int | None = None

    def spec(self) -> dict:
        spec = self.chart.to_dict()
        if self.width and ("layer" in spec or "mark" in spec) and \
                spec.get("width") in (None, "container"):
            spec["width"] = self.width
        return spec


ImageSource = Union[bytes, ChartImage, ArtImage]


def render_chart(chart: alt.TopLevelMixin | ChartImage, scale: float = CHART_SCALE) -> bytes:
    """An Altair chart as PNG bytes, rendered offline by vl-convert and reduced to a 256-colour
    palette (charts have few colours; the file gets about ten times smaller)."""
    import vl_convert as vlc

    spec = chart.spec() if isinstance(chart, ChartImage) else chart.to_dict()
    try:
        png = bytes(vlc.vegalite_to_png(spec, scale=scale))
    except Exception as exc:  # vl-convert raises plain ValueError/RuntimeError
        raise ImageError(f"Could not render chart: {exc}") from exc
    return compress_png(png)


def compress_png(png: bytes) -> bytes:
    """The PNG with a 256-colour palette (alpha kept), or unchanged if that is not smaller."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        small = image.convert("RGBA").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue() if out.tell() < len(png) else png


def image_png(source: ImageSource) -> bytes:
    """PNG bytes of any image source of a report."""
    if isinstance(source, bytes):
        if not source.startswith(PNG_SIGNATURE):
            raise ImageError("Report image bytes are not a PNG.")
        return source
    if isinstance(source, ArtImage):
        try:
            return render_art(source.data_uri)
        except ArtError:  # refused or undrawable art (stored before the import checks)
            return placeholder_png()
    return render_chart(source)


@dataclass
class Report:
    """Markdown text and the images it links to, by path relative to the Markdown file.

    ``name`` is the suggested file name without extension (``clusters-in-kestrel-sound``).
    Image paths may point outside the report's folder (``../../images/art/x.png``) only in a
    static export, where the images are shared between pages.
    """

    title: str
    name: str
    markdown: str
    images: dict[str, ImageSource] = field(default_factory=dict)
    _png: dict[str, bytes | None] = field(default_factory=dict, repr=False, compare=False)

    def png(self, path: str) -> bytes | None:
        """The PNG of one image (rendered once), or None when it cannot be rendered."""
        if path not in self._png:
            try:
                self._png[path] = image_png(self.images[path])
            except ImageError:
                self._png[path] = None
        return self._png[path]

    def to_markdown(self) -> str:
        """The report as one ``.md`` file: local images (charts, data-URI art) are left out,
        since they only exist in the ``.zip`` download; web images and links stay."""
        return strip_local_images(self.markdown, self.images)

    def to_zip(self, markdown_name: str = "report.md") -> bytes:
        """A zip of ``report.md`` and ``images/*.png``, linked relatively. Images that cannot be
        rendered are left out and their references removed, so nothing in the zip is broken."""
        for path in self.images:
            if path.startswith(("/", "../")) or "/../" in path:
                raise ImageError(f"Image path {path!r} leaves the report folder.")
        broken = {p: s for p, s in self.images.items() if self.png(p) is None}
        text = strip_local_images(self.markdown, broken)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(markdown_name, text)
            for path in sorted(self.images):
                png = self.png(path)
                if png is not None:
                    zf.writestr(path, png, compress_type=zipfile.ZIP_STORED)
        return buffer.getvalue()

    def write(self, markdown_path: str, sink: "FileSink") -> None:
        """Write the Markdown at ``markdown_path`` (relative to the site root) and its images,
        resolved relative to it, into ``sink``. Shared images (album art) already in the sink are
        not rendered again; images that cannot be rendered are left out with their references."""
        folder = posixpath.dirname(markdown_path)
        broken: dict[str, ImageSource] = {}
        for path in sorted(self.images):
            target = posixpath.normpath(posixpath.join(folder, path))
            if target.startswith("../") or target.startswith("/"):
                raise ImageError(f"Image path {path!r} leaves the site.")
            if sink.has(target):
                continue
            png = self.png(path)
            if png is None:
                broken[path] = self.images[path]
            else:
                sink.put(target, png)
        sink.put(markdown_path, strip_local_images(self.markdown, broken).encode("utf-8"))


class FileSink(Protocol):
    """Where :meth:`Report.write` puts files (paths relative to the site root, ``/``-separated)."""

    def has(self, path: str) -> bool: ...

    def put(self, path: str, data: bytes) -> None: ...


_IMAGE_LINE = re.compile(r"^!\[[^\n]*\]\(([^)\s]+)\)\n?\n?", re.MULTILINE)
_IMG_TAG = re.compile(r'<img src="([^"]+)" alt="[^"]*" width="\d+" />')


def strip_local_images(markdown: str, images: Iterable[str]) -> str:
    """The Markdown without references to the given local image paths: ``![…](path)`` lines
    are dropped and ``<img src="path" …/>`` cells emptied (one pass, any number of images)."""
    urls = {u for u in (md.safe_url(p) for p in images) if u}
    if not urls:
        return markdown
    markdown = _IMAGE_LINE.sub(lambda m: "" if m.group(1) in urls else m.group(0), markdown)
    return _IMG_TAG.sub(lambda m: "" if html.unescape(m.group(1)) in urls else m.group(0),
                        markdown)


def referenced_images(markdown: str) -> set[str]:
    """The image URLs a report's Markdown shows (block images and ``<img>`` cells)."""
    return set(_IMAGE_LINE.findall(markdown)) | {html.unescape(u)
                                                 for u in _IMG_TAG.findall(markdown)}


# --- links between pages --------------------------------------------------------------------

PageLinker = Callable[[str, str, str], Union[str, None]]


def _no_pages(kind: str, name: str, sub: str) -> str | None:
    return None


@dataclass(frozen=True)
class Links:
    """Where a report's links and shared images go.

    ``page(kind, name, sub)`` gives the relative URL of another page of the site (``kind`` in
    label/artist/playlist/genre/library, ``sub`` "" for the entity page or "clusters"), or None
    when there is no such page — a report downloaded from the dashboard has none, so names are
    plain text. ``art_dir`` is where album-art files go, relative to the report.
    """

    page: PageLinker = _no_pages
    art_dir: str = "images/art"


STANDALONE = Links()


class Doc:
    """Collects Markdown blocks and images while a report is built."""

    def __init__(self, links: Links = STANDALONE, image_dir: str = "images") -> None:
        self.links = links
        self.image_dir = image_dir
        self.blocks: list[str] = []
        self.images: dict[str, ImageSource] = {}

    def add(self, *blocks: str) -> None:
        """Append Markdown blocks (empty ones are skipped); blocks are separated by a blank line."""
        self.blocks.extend(b for b in blocks if b)

    def chart(self, alt_text: str, filename: str, chart: alt.TopLevelMixin | None, *,
              width: int | None = None) -> None:
        """Add a chart image ``images/{filename}.png`` (nothing when ``chart`` is None)."""
        if chart is None:
            return
        path = f"{self.image_dir}/{md.slug(filename)}.png"
        self.images[path] = ChartImage(chart, width)
        self.add(md.image(alt_text, path))

    def art(self, url: object) -> str:
        """The Art cell for an image URL: the web image, or a PNG file for a data URI."""
        if not isinstance(url, str) or not url:
            return ""
        if art_problem(url) is not None:  # stored before imports checked art: the placeholder
            path = f"{self.links.art_dir}/placeholder.png"
            self.images[path] = placeholder_png()
            return md.img(path)
        if url[:5].lower() == "data:":
            # Named by content: identical art is stored once, and no two images share a name.
            path = f"{self.links.art_dir}/{hashlib.sha1(url.encode()).hexdigest()[:16]}.png"
            self.images[path] = ArtImage(url)
            return md.img(path)
        return md.img(url)

    def page_link(self, kind: str, name: object, sub: str = "", label: object = None) -> str:
        """The name, linked to its page when the site has one."""
        shown = name if label is None else label
        if md.is_missing(name):
            return ""
        url = self.links.page(kind, str(name), sub)
        return md.link(shown, url) if url else md.text(shown)

    def build(self, title: str, name: str) -> Report:
        """The report; images whose rows were cut from long tables are dropped."""
        text = "\n\n".join(self.blocks) + "\n"
        shown = referenced_images(text)
        images = {p: src for p, src in self.images.items() if md.safe_url(p) in shown}
        return Report(title=title, name=name, markdown=text, images=images)


def track_rows(doc: Doc, tracks: pd.DataFrame) -> list[list[str]]:
    """Rows of the album-art track table (Art, Track, Album, Artists, Label, Score, 💚, 🔗).

    Artists and labels link to their pages when the site has them, as in the original.
    """
    rows = []
    cols = ["image_url", "track_name", "album_name", "artist_names", "labels",
            "score", "liked", "track_id"]
    for image, track, album, artists, labels, score, liked, track_id in \
            tracks[cols].itertuples(index=False, name=None):
        rows.append([
            doc.art(image), md.text(track), md.text(album),
            ", ".join(doc.page_link("artist", a) for a in _as_list(artists)),
            ", ".join(doc.page_link("label", la) for la in _as_list(labels)),
            md.number(score), md.heart(liked), md.spotify_link("track", track_id),
        ])
    return rows


def track_table(doc: Doc, tracks: pd.DataFrame, *, noun: str = "tracks",
                limit: int = md.TABLE_LIMIT) -> str:
    """The original's album-art track table, 10 rows then "See all N tracks"."""
    rows = track_rows(doc, tracks.head(md.ROW_CAP))
    return md.truncated_table(TRACK_HEADERS, rows, noun=noun, align=TRACK_ALIGN, limit=limit,
                              total=len(tracks))


def _as_list(value: object) -> list:
    if md.is_missing(value):
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return list(value)
    try:
        return list(value)  # numpy arrays
    except TypeError:
        return [value]


def count_line(n: int, noun: str = "tracks") -> str:
    """"34 tracks" (the original's line under each heading); "1 track" for one."""
    singular = noun[:-1] if noun.endswith("s") else noun
    return f"{n:,} {singular if n == 1 else noun}"
