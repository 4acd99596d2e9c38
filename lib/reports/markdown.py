"""Markdown (GitHub-flavoured) building blocks for reports, in the original tool's format.

Everything that comes from data goes through :func:`text` (Markdown/HTML-safe text), :func:`link`
(only http(s) and relative URLs) or :func:`img` (only http(s) and relative image paths), so a track
called ``| <script>alert(1)</script> [x](javascript:alert(1))`` is shown as those characters and
never as a table break, an HTML tag or a link. The output is meant for GitHub and any CommonMark
viewer: tables are GFM pipe tables, "See all" lists are ``<details>`` blocks.

The escaping policy, one for everything rendered (issue 11): data becomes *literal text*, never
markup. Two escapers apply it, one per dialect:

- :func:`text` for Markdown files (reports, the static site): syntax characters become HTML
  entities, which every CommonMark viewer shows as the character;
- :func:`streamlit_text` for text the app passes to ``st.markdown`` and every Streamlit element
  that reads Markdown (titles, captions, ``st.warning``/``st.error``/``st.info``, widget and link
  labels): ASCII punctuation is backslash-escaped, which Streamlit's renderer honours.

Both drop control and bidirectional-override characters, turn newlines into spaces, and put an
invisible word joiner (U+2060) after every ``:`` and ``@`` not followed by a space, between
``www`` and ``.`` and after a ``.`` followed by a letter or digit: link finders (GFM autolinks, linkify) and Streamlit's
``:material/…:`` icons and emoji shortcodes match the text *after* escapes are resolved, so only
breaking the character run stops them. ``$…$`` (math), ``:red[…]`` (directives), ``[x](…)``
(links), pipes and HTML are escaped as syntax.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Sequence
from urllib.parse import quote, urlsplit

import pandas as pd

# Shown rows before the rest moves into <details>, as in the original tool.
TABLE_LIMIT = 10
# A <details> block never holds more rows than this (a report stays a readable file).
DETAILS_LIMIT = 500

SPOTIFY_URL = "https://open.spotify.com"
_SPOTIFY_ID = re.compile(r"^[0-9A-Za-z]{1,64}$")
# Control characters, and the bidirectional controls (marks, embeddings, overrides, isolates)
# that can make text read in another order than it is stored ("gpj.exe" shown as "exe.jpg").
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029"
                      "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Where a link finder or a Streamlit shortcode could start (see the module docstring).
_LINK_STARTS = re.compile(r"(?<=[:@])(?=\S)|(?<=www)(?=\.)|(?<=\.)(?=[^\W_])", re.IGNORECASE)
WORD_JOINER = "\u2060"
# Every ASCII punctuation character may be backslash-escaped in CommonMark.
_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")

# Characters that break out of a table cell, start HTML, links or code spans, or format text.
# HTML entities render as the character in GitHub, CommonMark and HTML alike.
_ENTITIES = {
    "&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", "[": "&#91;", "]": "&#93;",
    "`": "&#96;", "\\": "&#92;", "*": "&#42;", "_": "&#95;", "~": "&#126;", "$": "&#36;",
}
_ENTITY_RE = re.compile("[" + re.escape("".join(_ENTITIES)) + "]")
_HTML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_HTML_RE = re.compile("[&<>\"']")
# Characters kept as they are inside a URL we write (everything else is percent-encoded).
# Relative URLs also lose "&" and ";" so no HTML entity can turn into a scheme ("javascript&#58;").
_URL_SAFE = "/:?#=&%~+@!$,;-._"
_RELATIVE_SAFE = "/?#=%~+@!$,-._"


def is_missing(value: object) -> bool:
    """None, NaN, pd.NA or NaT (lists and other non-scalars are never missing)."""
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _clean(value: object) -> str:
    if is_missing(value):
        return ""
    text = _CONTROL.sub("", str(value))
    return _NEWLINES.sub(" ", text).strip()


def _unlinked(value: str) -> str:
    """``value`` with a word joiner wherever a link or a shortcode could start."""
    return _LINK_STARTS.sub(WORD_JOINER, value)


def text(value: object) -> str:
    """Data as Markdown inline text for a Markdown *file*: safe in a table cell, a heading, a list
    item or link text.

    Newlines become spaces; control and bidi characters are dropped; ``| < > [ ] ` \\ * _ ~ & $``
    become HTML entities, so nothing in the value can end a cell, open a tag, a link, a code span,
    emphasis or math; a word joiner stops bare URLs and e-mail addresses from becoming links.

    >>> text("| <b>x</b> [y](javascript)")
    '&#124; &lt;b&gt;x&lt;/b&gt; &#91;y&#93;(javascript)'
    """
    return _ENTITY_RE.sub(lambda m: _ENTITIES[m.group(0)], _unlinked(_clean(value)))


def streamlit_text(value: object) -> str:
    """Data as literal text inside Streamlit Markdown (``st.markdown``, ``st.title``,
    ``st.caption``, ``st.warning``/``error``/``info``/``success``, link and widget labels).

    Whitespace runs (newlines included) become one space; control and bidi characters are
    dropped; every ASCII punctuation character is backslash-escaped (no HTML, link, emphasis,
    table, ``$`` math or ``:red[…]`` directive); a word joiner (U+2060, invisible) stops bare
    URLs, e-mail addresses, ``:material/…:`` icons and emoji shortcodes.

    >>> print(streamlit_text("*Hi* $a$ [x](y)"))
    \\*Hi\\* \\$a\\$ \\[x\\]\\(y\\)
    """
    if is_missing(value):
        return ""
    cleaned = " ".join(_CONTROL.sub("", str(value)).split())
    return _ASCII_PUNCTUATION.sub(r"\\\1", _unlinked(cleaned))


def html(value: object) -> str:
    """Data as HTML text or attribute value (``<summary>``, ``alt``…); newlines become spaces."""
    return _HTML_RE.sub(lambda m: _HTML_ENTITIES[m.group(0)], _clean(value))


def safe_url(url: object, *, allow_relative: bool = True) -> str | None:
    """The URL percent-encoded for use in Markdown and HTML, or None if it is not allowed.

    Allowed: ``http``/``https`` URLs with a host and (optionally) relative paths. Refused:
    ``javascript:``, ``data:``, ``file:`` and every other scheme, protocol-relative ``//host``,
    and empty values.
    """
    raw = _clean(url)
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme:
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            return None
        return quote(raw, safe=_URL_SAFE)
    if raw.startswith("//") or not allow_relative or ":" in raw.split("/", 1)[0]:
        return None
    return quote(raw, safe=_RELATIVE_SAFE)


def link(label: object, url: object, *, escape_label: bool = True) -> str:
    """``[label](url)``, or the plain label when the URL is missing or not allowed."""
    shown = text(label) if escape_label else str(label)
    target = safe_url(url)
    return f"[{shown}]({target})" if target else shown


def img(src: object, *, width: int = 50, alt: object = "") -> str:
    """``<img src="…" alt="" width="50" />`` for an http(s) or relative image; "" otherwise
    (data: URIs and other schemes are never put into a report)."""
    target = safe_url(src)
    if not target:
        return ""
    return f'<img src="{html(target)}" alt="{html(alt)}" width="{int(width)}" />'


def image(alt: object, path: str) -> str:
    """A block image ``![alt](path)`` (charts), or "" when the path is not allowed."""
    target = safe_url(path)
    return f"![{text(alt)}]({target})" if target else ""


def spotify_id_url(kind: str, spotify_id: object) -> str | None:
    """``https://open.spotify.com/{kind}/{id}`` for a real Spotify id, else None."""
    value = _clean(spotify_id)
    if not _SPOTIFY_ID.match(value):
        return None
    return f"{SPOTIFY_URL}/{kind}/{value}"


def spotify_link(kind: str, spotify_id: object) -> str:
    """``[🔗](https://open.spotify.com/{kind}/ID)``, or "" when the id is not a Spotify id."""
    url = spotify_id_url(kind, spotify_id)
    return f"[🔗]({url})" if url else ""


def heart(liked: object) -> str:
    """💚 for a liked track, "" otherwise."""
    return "💚" if not is_missing(liked) and bool(liked) else ""


def number(value: object, digits: int = 0) -> str:
    """A number as the original showed it: ``61344``, ``0`` for unknown; ``digits`` decimals."""
    if is_missing(value):
        return "0"
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "0"
    if digits == 0:
        return str(int(round(v)))
    return f"{v:.{digits}f}"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]],
          align: Sequence[str] | None = None) -> str:
    """A GFM pipe table. Cells must already be Markdown (escape data with :func:`text`).

    ``align`` holds one of ``"left"``, ``"right"``, ``"center"`` per column (default left),
    written ``:---``, ``---:``, ``:---:`` like the original. Empty cells are written ``| |``.
    """
    align = list(align or ["left"] * len(headers))
    marks = {"left": ":---", "right": "---:", "center": ":---:"}
    lines = [_row(headers), "|" + "|".join(marks[a] for a in align) + "|"]
    lines += [_row(r) for r in rows]
    return "\n".join(lines)


def _row(cells: Sequence[str]) -> str:
    return "|" + "|".join(f" {c} " if c != "" else " " for c in cells) + "|"


def details(summary: str, body: str) -> str:
    """A collapsed block: ``<details><summary>{summary}</summary>`` … ``</details>``.

    ``summary`` is HTML-escaped here; ``body`` is Markdown (blank lines around it so tables in it
    render on GitHub).
    """
    return f"<details><summary>{html(summary)}</summary>\n\n{body}\n\n</details>"


# Rows a truncated table ever writes: callers may format only this many.
ROW_CAP = TABLE_LIMIT + DETAILS_LIMIT


def truncated_table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, noun: str,
                    align: Sequence[str] | None = None, limit: int = TABLE_LIMIT,
                    details_limit: int = DETAILS_LIMIT, total: int | None = None) -> str:
    """The first ``limit`` rows as a table; the rest inside ``<details><summary>See all N
    {noun}</summary>``, at most ``details_limit`` of them (then a line says how many are left out).

    ``total`` is the number of rows there are when ``rows`` holds only the first ones (callers
    format at most :data:`ROW_CAP` rows of a long list).
    """
    rows = list(rows)
    n = max(total or 0, len(rows))
    out = table(headers, rows[:limit], align)
    if n <= limit:
        return out
    shown = rows[limit:limit + details_limit]
    body = table(headers, shown, align)
    left = n - limit - len(shown)
    if left > 0:
        body += (f"\n\n{left:,} more {text(noun)} are not listed here; "
                 f"the dashboard shows them all.")
    return out + "\n\n" + details(f"See all {n:,} {noun}", body)


def bullet_list(items: Iterable[str]) -> str:
    """A Markdown list; items must already be Markdown."""
    return "\n".join(f"- {item}" for item in items)


def slug(name: object, *, max_len: int = 60) -> str:
    """A file-system and URL safe name, like the original's ``interscope_records``.

    Letters of any script are kept (lower-cased), everything else becomes ``_``; an empty result
    becomes ``_``. Callers make slugs unique where two names could collide.
    """
    value = unicodedata.normalize("NFKC", _clean(name)).casefold()
    out = re.sub(r"[^\w]+", "_", value, flags=re.UNICODE).strip("_")
    out = out[:max_len].strip("_")
    return out or "_"
