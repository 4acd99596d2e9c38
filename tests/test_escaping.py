"""The escaping policy (issue 11 case 5): data is literal text, never markup.

Two escapers, one per dialect: :func:`lib.reports.markdown.streamlit_text` for everything the app
passes to Streamlit's Markdown, :func:`lib.reports.markdown.text` for Markdown files. Both are
rendered here with markdown-it-py as a demanding viewer would: GFM tables, linkify (bare URLs and
``www.`` become links), ``$…$`` math and raw HTML allowed. Streamlit's own renderer is checked in
Chromium (tests/e2e/test_escaping_browser.py).
"""

from __future__ import annotations

import html as html_lib
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from lib.reports.markdown import WORD_JOINER, streamlit_text, table, text

ISSUE_URL_NAME = ("x. Session expired: sign in at https://evil.example/login "
                  "$\\color{red}{\\Huge !!!}$ :material/lock:")
HOSTILE = [
    ISSUE_URL_NAME,
    "see https://evil.example/phish now",
    "www.evil.example/x", "WWW.EVIL.COM", "evil.com", "http://evil.example", "ftp://evil.example",
    "mail me@evil.example", "mailto:me@evil.example xmpp:me@evil.example",
    "[x](javascript:alert(1))", "[x]: javascript:alert(1)\n\n[x]", "<https://evil.example>",
    "<b>bold</b> <img src=x onerror=alert(1)> <script>alert(1)</script>",
    ":red[red] :blue-background[b] :smile: :streamlit: :material/lock:",
    "a | b | c\n|---|---|---|\n| 1 | 2 | 3 |", "line1\n\n# heading\n- item\n> quote",
    "$x^2$ and $$y$$", "**bold** _it_ `code` ~~del~~", "&lt;b&gt; &amp; &#36;x&#36;",
    "\u202egpj.exe", "a\u2066b\u2069c\u200fd\u061c",
]
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
DROPPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\u061c\u200e\u200f"
                     "\u202a-\u202e\u2066-\u2069]")  # control and bidi characters


def renderer() -> MarkdownIt:
    return MarkdownIt("gfm-like", {"html": True}).use(dollarmath_plugin)


def visible(rendered: str) -> str:
    """The text a reader sees: tags removed, entities decoded, word joiners dropped."""
    return html_lib.unescape(re.sub(r"<[^>]+>", "", rendered)).replace(WORD_JOINER, "")


def assert_inert(rendered: str, allowed_tags: tuple[str, ...] = ("p",)) -> None:
    """No link, no HTML from the data, no math, no shortcode a Streamlit renderer would expand."""
    tags = set(re.findall(r"</?([a-zA-Z0-9]+)", rendered))
    assert tags <= set(allowed_tags), (tags, rendered)
    assert "math" not in rendered and "href" not in rendered
    seen = html_lib.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert not re.search(r":(?=\S)(?!\u2060)", seen), seen         # :material/…:, :red[…], :smile:
    assert not re.search(r"(?i)www\.|@(?=\S)(?!\u2060)|https?:/", seen), seen
    assert not BIDI.search(seen)


def expected(value: str) -> str:
    return " ".join(DROPPED.sub("", value).split())


@pytest.mark.parametrize("value", HOSTILE)
def test_streamlit_text_renders_as_the_same_text(value: str) -> None:
    out = streamlit_text(value)
    assert "\n" not in out
    rendered = renderer().render(out)
    assert_inert(rendered)
    assert visible(rendered).strip() == expected(value)


@pytest.mark.parametrize("value", HOSTILE)
def test_streamlit_text_inside_our_own_markup_stays_text(value: str) -> None:
    rendered = renderer().render(f"**{streamlit_text(value)}** · *{streamlit_text(value)}*")
    assert_inert(rendered, ("p", "strong", "em"))
    assert visible(rendered).strip() == f"{expected(value)} · {expected(value)}"


@pytest.mark.parametrize("value", HOSTILE)
def test_text_in_a_report_table_renders_as_the_same_text(value: str) -> None:
    rendered = renderer().render(table(["Name"], [[text(value)]]))
    assert_inert(rendered, ("table", "thead", "tbody", "tr", "th", "td"))
    cells = re.findall(r"<td[^>]*>(.*?)</td>", rendered, flags=re.S)
    assert [visible(c) for c in cells] == [expected(value)]


@pytest.mark.parametrize("value", HOSTILE)
def test_text_as_a_heading_renders_as_the_same_text(value: str) -> None:
    rendered = renderer().render(f"# Clusters in {text(value)}")
    assert_inert(rendered, ("h1",))
    assert visible(rendered).strip() == "Clusters in " + expected(value)


def test_the_issue_example_keeps_its_words_and_loses_its_markup() -> None:
    out = streamlit_text(ISSUE_URL_NAME)
    assert "\\$" in out and "\\:" in out and WORD_JOINER in out
    assert "https://" not in out and ":material/" not in out
    assert re.sub(r"\\(.)", r"\1", out).replace(WORD_JOINER, "") == ISSUE_URL_NAME


def test_ordinary_text_is_unchanged_apart_from_escapes() -> None:
    assert streamlit_text("Kestrel Sound") == "Kestrel Sound"
    assert streamlit_text("AC/DC: Live") == "AC\\/DC\\: Live"
    assert text("Kestrel Sound: Live") == "Kestrel Sound: Live"  # a colon before a space is inert
    assert streamlit_text(None) == "" and text(None) == ""


# -- fuzz -----------------------------------------------------------------------------------------
FRAGMENTS = ["https://", "http://", "www.", "WwW.", ".com", ".example", "@", "$", "$$", ":",
             ":material/lock:", ":red[", ":streamlit:", "]", "[x](javascript:alert(1))", "](",
             "<b>", "</b>", "<script>", "<!--", "|", "\n", "\r\n", "\u202e", "\u2066", "`", "```",
             "*", "_", "~", "\\", "&amp;", "&#36;", "&#58;", "mailto:", "evil", " ", "#", ">",
             "-", "1.", "!", "[", "(", ")", "{", "}", "\t", "    ", "<https://x.example>", "="]
hostile_text = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=6), max_size=14).map("".join)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(hostile_text)
def test_fuzz_streamlit_text_never_renders_markup(value: str) -> None:
    rendered = renderer().render(streamlit_text(value))
    assert_inert(rendered)
    assert visible(rendered).strip() == expected(value)


@FUZZ
@given(hostile_text)
def test_fuzz_text_never_renders_markup_in_a_table_cell(value: str) -> None:
    rendered = renderer().render(table(["Name"], [[text(value)]]))
    assert_inert(rendered, ("table", "thead", "tbody", "tr", "th", "td"))
    assert len(re.findall(r"<td", rendered)) == 1
