"""lib.reports.markdown: escaping, safe links and images, tables and <details> truncation.

Rendered output is checked with markdown-it-py (CommonMark + GFM tables, raw HTML allowed, as a
viewer that trusts the file would render it)."""

from __future__ import annotations

import html as html_lib
import re

import pandas as pd
import pytest
from markdown_it import MarkdownIt

from lib.reports import markdown as md

EVIL = "| <script>alert(1)</script> [x](javascript:alert(1))"
NASTY = [
    EVIL,
    "line one\nline two\r\n| cell",
    "`code` **bold** _it_ ~~del~~ \\ & &amp; &lt;b&gt;",
    "<img src=x onerror=alert(1)>",
    '"quoted" \'single\' <!-- comment',
    "[a][b] ![img](https://example.com/x.png)",
    "Interscope Records*",
]


def render(text: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(text)


def visible_cells(rendered: str) -> list[list[str]]:
    """The text of every body cell of the first rendered table, tags removed, entities decoded."""
    body = rendered.split("<tbody>", 1)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    return [[html_lib.unescape(re.sub(r"<[^>]+>", "", c)).replace(md.WORD_JOINER, "")
             for c in re.findall(r"<td[^>]*>(.*?)</td>", r, flags=re.S)] for r in rows]


@pytest.mark.parametrize("name", NASTY)
def test_text_in_a_table_cell_renders_as_the_same_text(name: str) -> None:
    table = md.table(["Track", "Score"], [[md.text(name), "1"]], ["left", "right"])
    rendered = render(table)
    assert "<script" not in rendered and "<img" not in rendered and "<a " not in rendered
    assert "<strong>" not in rendered and "<em>" not in rendered and "<code>" not in rendered
    expected = " ".join(part.strip() for part in name.splitlines()).strip()
    assert visible_cells(rendered) == [[expected, "1"]]


def test_the_issue_example_is_text_everywhere() -> None:
    doc = "\n\n".join([
        f"# Clusters in {md.text(EVIL)}",
        f"- {md.link(EVIL, '../x/README.md')} ({md.text(EVIL)})",
        md.details(f"See all 3 {EVIL}", md.table(["A"], [[md.text(EVIL)]])),
        md.image(EVIL, "images/scatter.png"),
    ])
    rendered = render(doc)
    assert "<script" not in rendered
    hrefs = re.findall(r'(?:href|src)="([^"]*)"', rendered)
    assert hrefs == ["../x/README.md", "images/scatter.png"]
    alts = re.findall(r'alt="([^"]*)"', rendered)
    assert [html_lib.unescape(a).replace(md.WORD_JOINER, "") for a in alts] == [EVIL]
    shown = html_lib.unescape(re.sub(r"<[^>]+>", "", rendered)).replace(md.WORD_JOINER, "")
    assert shown.count(EVIL) == 5


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "data:image/png;base64,iVBORw0KGgo=", "file:///etc/passwd",
    "//evil.example/x", "https:evil", "vbscript:x", "", None, float("nan"), pd.NA,
])
def test_unsafe_urls_give_no_link_and_no_image(url: object) -> None:
    assert md.img(url) == ""
    assert md.link("name", url) == "name"
    assert "href" not in render(md.link("name", url))


def test_relative_link_cannot_become_a_scheme_through_entities() -> None:
    rendered = render(md.link("x", "javascript&#58;alert(1)"))
    assert 'href="javascript:' not in rendered
    assert md.safe_url("javascript&#58;alert(1)") == "javascript%26#58%3Balert%281%29"


def test_album_art_cell_is_the_originals_img_tag() -> None:
    url = "https://i.scdn.co/image/ab67616d0000b2734aeaaeeb0755f1d8a8b51738"
    assert md.img(url) == f'<img src="{url}" alt="" width="50" />'
    quoted = md.img('https://x.test/a.png" onerror="alert(1)')
    assert 'onerror="' not in quoted and quoted.startswith('<img src="https://x.test/a.png%22')
    assert md.img("images/art/abc.png") == '<img src="images/art/abc.png" alt="" width="50" />'


def test_spotify_links_and_hearts() -> None:
    assert md.spotify_link("track", "0bYVPJvXr8ACmw313cVvhB") == \
        "[🔗](https://open.spotify.com/track/0bYVPJvXr8ACmw313cVvhB)"
    assert md.spotify_link("track", "../../evil") == ""
    assert md.spotify_link("album", None) == ""
    assert [md.heart(v) for v in (True, False, None, pd.NA, 1)] == ["💚", "", "", "", "💚"]
    assert [md.number(v) for v in (61344.4, 0, None, float("nan"), "x")] == \
        ["61344", "0", "0", "0", "0"]
    assert md.number(0.7162, 2) == "0.72"


def test_table_format_matches_the_seed() -> None:
    row = [md.img("https://i.scdn.co/image/a"), md.text("Paparazzi"), "The Fame",
           md.text("Lady Gaga"), md.text("Interscope"), "0", "", md.spotify_link("track", "7Hq")]
    out = md.table(["Art", "Track", "Album", "Artists", "Label", "Score", "💚", "🔗"], [row],
                   ["left"] * 5 + ["right", "left", "left"])
    assert out.splitlines() == [
        "| Art | Track | Album | Artists | Label | Score | 💚 | 🔗 |",
        "|:---|:---|:---|:---|:---|---:|:---|:---|",
        '| <img src="https://i.scdn.co/image/a" alt="" width="50" /> | Paparazzi | The Fame '
        "| Lady Gaga | Interscope | 0 | | [🔗](https://open.spotify.com/track/7Hq) |",
    ]


@pytest.mark.parametrize("n, shown, hidden", [(0, 0, 0), (7, 7, 0), (10, 10, 0), (11, 10, 1),
                                              (95, 10, 85)])
def test_truncated_table_shows_ten_rows_and_the_rest_in_details(n: int, shown: int,
                                                                 hidden: int) -> None:
    rows = [[f"t{i}", str(i)] for i in range(n)]
    out = md.truncated_table(["Track", "Score"], rows, noun="tracks", align=["left", "right"])
    head, _, rest = out.partition("<details>")
    assert head.count("| t") == shown
    assert rest.count("| t") == hidden
    if hidden:
        assert f"<details><summary>See all {n} tracks</summary>" in out
        assert out.rstrip().endswith("</details>")
        rendered = render(out)
        assert rendered.count("<table>") == 2  # the table inside <details> renders too
    else:
        assert "<details>" not in out


def test_details_are_bounded_for_huge_tables() -> None:
    rows = [[f"t{i}"] for i in range(1_234)]
    out = md.truncated_table(["Track"], rows, noun="tracks", details_limit=100)
    assert "See all 1,234 tracks" in out
    assert out.count("| t") == 110
    assert "1,124 more tracks are not listed here" in out


def test_callers_may_format_only_the_rows_that_are_written() -> None:
    rows = [[f"t{i}"] for i in range(md.ROW_CAP)]
    capped = md.truncated_table(["Track"], rows, noun="tracks", total=100_000)
    full = md.truncated_table(["Track"], rows + [["x"]] * (100_000 - md.ROW_CAP), noun="tracks")
    assert capped == full
    assert "See all 100,000 tracks" in capped and "99,490 more tracks are not listed" in capped


def test_slug() -> None:
    assert md.slug("Interscope Records") == "interscope_records"
    assert md.slug("YG Entertainment/Interscope") == "yg_entertainment_interscope"
    assert md.slug("Beyoncé") == "beyoncé"
    assert md.slug("../../etc") == "etc"
    assert md.slug("!!!") == "_"
    assert len(md.slug("x" * 500)) <= 60
